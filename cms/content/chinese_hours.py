"""Opening hours as union staff write them in a 台账, turned into structured lines.

``周一至周五 8:30-17:30，周末休息`` becomes ``["mon-fri 08:30-17:30", "sat-sun closed"]``. The text
is read as a run of pieces (days, time ranges, 休息, 全天…) after full-width characters are made
half-width; days start a new rule and the times after them belong to it. Times written before
any day hold for every day, and later rules override earlier ones, just as in ``hours``. What
hours cannot hold (节假日除外) is kept aside as a note for the editor, never silently dropped, and
anything not understood is an error quoting it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .hours import DAYS, parse_line

_DAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DAY_CHARS.update({str(n): n - 1 for n in range(1, 8)})
_PREFIX = r"(?:周|星期|礼拜)"
_DCH = r"[一二三四五六日天七1-7]"
_TO = r"\s*(?:至|到|-|~|—|–|―|－)\s*"
_DAY_GROUP = rf"{_PREFIX}?{_DCH}+(?:{_TO}{_PREFIX}?{_DCH})?"
_DAYS = rf"{_PREFIX}{_DAY_GROUP}(?:\s*[、和及]\s*{_DAY_GROUP})*"
_PERIOD = r"(?:凌晨|早上|早晨|上午|中午|下午|午后|傍晚|晚上|晚间|夜间|夜里|早|晚)"


def _clock_pattern(p: str) -> str:
    return (
        rf"(?P<{p}p>{_PERIOD})?\s*(?P<{p}h>\d{{1,2}})"
        rf"(?:[:.](?P<{p}m>\d{{2}})|[点时](?:(?P<{p}n>\d{{1,2}})分?|(?P<{p}half>半))?)?"
    )


_RANGE = _clock_pattern("a") + rf"{_TO}(?P<next>次日|第二天|翌日)?\s*" + _clock_pattern("b")
_WORDS = {
    "week": r"每天|每日|天天|全周|每周七天|7天|七天|全年无休|全年|一周七天|周一至周日",
    "workdays": r"工作日|周一至周五",
    "weekend": r"周末|双休日",
    "allday": r"全天候|全天|24小时|二十四小时|24h|24H|通宵",
    "closed": r"休息|闭馆|闭站|休馆|不开放|关闭|停业|歇业|不营业|暂停开放|暂停服务",
    "holiday": (
        r"(?:法定)?(?:节假日|节日|假日)(?:除外|休息|闭馆|不开放|照常开放|照常|正常开放|不休)?"
    ),
}
# Words that say nothing for the schedule: labels, verbs, brackets and separators.
_FILLER = re.compile(
    r"(?:开放时间|服务时间|营业时间|办公时间|时间|开放|营业|服务|办公|上班|均|为|每周|每|"
    r"[\s,，;；。、:()\[\]【】/|])+"
)
_TOKENS = re.compile(
    "|".join(
        [
            rf"(?P<holiday>{_WORDS['holiday']})",
            rf"(?P<except>除\s*(?:{_WORDS['workdays']}|{_WORDS['weekend']}|{_DAYS})\s*(?:以外|之外|外)?)",
            rf"(?P<range>{_RANGE})",
            rf"(?P<week>{_WORDS['week']})",
            rf"(?P<workdays>{_WORDS['workdays']})",
            rf"(?P<weekend>{_WORDS['weekend']})",
            rf"(?P<days>{_DAYS})",
            rf"(?P<allday>{_WORDS['allday']})",
            rf"(?P<closed>{_WORDS['closed']})",
            rf"(?P<period>{_PERIOD})",
        ]
    )
)
_AFTERNOON = {"下午", "午后", "傍晚", "晚上", "晚间", "夜间", "夜里", "晚"}


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
# Chinese numerals of a clock: 九点, 十二时, 八点三十分 (never 周一, which no 点 follows).
_CN_CLOCK = re.compile(r"([零一二两三四五六七八九十]{1,3})(?=\s*[点时分])")


def _cn_number(text: str) -> int:
    """Return the value of a Chinese numeral up to 59: 九, 十二, 二十, 三十五."""
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return (
            _CN_DIGITS.get(text, 0)
            if len(text) == 1
            else int("".join(str(_CN_DIGITS[c]) for c in text))
        )
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


class HoursError(ValueError):
    """Hours text that cannot be read; the message quotes the part, in Chinese, for editors."""


@dataclass
class _Rule:
    days: frozenset[int] | None = None
    ranges: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = False

    @property
    def has_times(self) -> bool:
        return bool(self.ranges) or self.closed


@dataclass(frozen=True)
class ReadHours:
    """Structured lines read from an editor's text, and what they could not hold."""

    lines: list[str]
    notes: list[str]


def read_hours(text: str) -> ReadHours:
    """Read hours written either as structured lines or in Chinese; raise HoursError if neither."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = _CN_CLOCK.sub(lambda m: str(_cn_number(m.group(1))), text)  # 九点半 → 9点半
    parts = [" ".join(p.split()) for p in re.split(r"[;\n]+", text) if p.strip()]
    if not parts:
        raise HoursError("不能为空（例如 周一至周五 8:30-17:30，周末休息）")
    lines: list[str] = []
    notes: list[str] = []
    try:
        for part in parts:  # a line each, structured or in Chinese: 全天开放；sun closed
            read = ReadHours([part], []) if _is_line(part) else _read_chinese(part)
            lines += read.lines
            notes += read.notes
    except HoursError:
        return _read_chinese(text)  # one phrase across lines: 9:00-18:00；周一至周五
    return ReadHours(lines, notes)


def _is_line(text: str) -> bool:
    try:
        parse_line(text)
    except ValueError:
        return False
    return True


def _read_chinese(text: str) -> ReadHours:
    pieces: list[tuple[str, re.Match[str] | None]] = []
    position = 0
    for match in _TOKENS.finditer(text):
        _check_filler(text[position : match.start()])
        pieces.append((match.lastgroup or "", match))
        position = match.end()
    _check_filler(text[position:])
    rules: list[_Rule] = []
    notes: list[str] = []
    closed: list[_Rule] = []  # 除周一外: those days are closed, whatever the rest says
    period = ""
    for index, (kind, match) in enumerate(pieces):
        assert match is not None
        if kind == "holiday":
            notes.append(match.group())
            continue
        if kind == "except":
            inner = re.sub(r"^除\s*|\s*(?:以外|之外|外)$", "", match.group())
            inner_kind = next(k for k in ("workdays", "weekend", "days")
                              if re.fullmatch(_WORDS.get(k, _DAYS), inner))  # fmt: skip
            closed.append(_Rule(_days(inner_kind, inner), closed=True))
            continue
        if kind == "period":
            period = match.group()
            continue
        if kind in ("week", "workdays", "weekend", "days"):
            days = _days(kind, match.group())
            following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
            waiting = rules and rules[-1].days is None and rules[-1].has_times
            if waiting and following not in ("range", "allday", "closed", "period"):
                rules[-1].days = days  # times written first: 9:00-18:00（周一至周五）
            else:
                rules.append(_Rule(days))
            period = ""
            continue
        if not rules:
            rules.append(_Rule())
        rule = rules[-1]
        if kind == "closed":
            rule.closed = True
        elif kind == "allday":
            rule.ranges.append((0, 1440))
        else:
            rule.ranges.append(_range(match, period))
    return ReadHours(_lines(rules + closed, text), notes)


def _check_filler(gap: str) -> None:
    left = _FILLER.sub("", gap)
    if left:
        raise HoursError(f"看不懂“{left}”（例如 周一至周五 8:30-17:30，周末休息）")


def _days(kind: str, text: str) -> frozenset[int]:
    if kind == "week":
        return frozenset(range(7))
    if kind == "workdays":
        return frozenset(range(5))
    if kind == "weekend":
        return frozenset((5, 6))
    days: set[int] = set()
    for group in re.split(r"\s*[、和及]\s*", text):
        ends = re.split(_TO, re.sub(_PREFIX, "", group))
        first = [_DAY_CHARS[c] for c in ends[0]]
        days.update(first)
        if len(ends) == 2:
            start, stop = first[-1], _DAY_CHARS[ends[1]]
            days.update((start + i) % 7 for i in range((stop - start) % 7 + 1))
    return frozenset(days)


def _range(match: re.Match[str], period: str) -> tuple[int, int]:
    start = _minutes(match, "a", period)
    end = _minutes(match, "b", match.group("ap") or period)
    if end == start and start != 0:
        raise HoursError(f"“{match.group().strip()}”开门和关门是同一时间")
    if start >= 1440:
        raise HoursError(f"“{match.group().strip()}”不能从 24:00 开始")
    if (start, end) == (0, 0):
        end = 1440
    if end < start and not match.group("next") and end + 720 > start and end < 720:
        end += 720  # 8:00-5:30 means 17:30; an overnight range says 次日 or starts late
    return start, end


def _minutes(match: re.Match[str], p: str, period: str) -> int:
    hour = int(match.group(p + "h"))
    minute = int(match.group(p + "m") or match.group(p + "n") or 0) + (
        30 if match.group(p + "half") else 0
    )
    period = match.group(p + "p") or period
    if hour < 12 and (period in _AFTERNOON or (period == "中午" and hour < 3)):
        hour += 12
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise HoursError(f"“{match.group().strip()}”里的时间不对（应在 0:00 到 24:00 之间）")
    return hour * 60 + minute


def _lines(rules: list[_Rule], text: str) -> list[str]:
    every_day = [r for r in rules if r.days is None]
    lines = []
    for rule in every_day + [r for r in rules if r.days is not None]:
        if not rule.has_times:
            raise HoursError(f"“{text}”里有日期没有写时间（例如 周六 9:00-12:00 或 周日休息）")
        days = _day_text(rule.days if rule.days is not None else frozenset(range(7)))
        if rule.closed and not rule.ranges:
            lines.append(f"{days} closed")
            continue
        ranges = sorted(set(rule.ranges))
        lines.append(days + " " + ",".join(f"{_clock(a)}-{_clock(b)}" for a, b in ranges))
    if not lines:
        raise HoursError(f"“{text}”里没有开放时间（例如 周一至周五 8:30-17:30）")
    for line in lines:
        try:
            parse_line(line)
        except ValueError:
            raise HoursError(f"“{text}”里的时间段不对") from None
    return lines


def _day_text(days: frozenset[int]) -> str:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}" for r in runs)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
