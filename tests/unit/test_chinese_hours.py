"""Opening hours as written in real 台账 become structured lines, or are refused with a reason."""

from __future__ import annotations

import pytest

from cms.content.chinese_hours import HoursError, read_hours
from cms.content.hours import parse_hours

PHRASINGS = [
    ("周一至周五 8:30-17:30", ["mon-fri 08:30-17:30"]),
    ("周一至周日 9:00-18:00", ["mon-sun 09:00-18:00"]),
    ("周一至周五 8:30-17:30，周末休息", ["mon-fri 08:30-17:30", "sat-sun closed"]),
    ("周一到周五 08:30—17:30", ["mon-fri 08:30-17:30"]),
    ("星期一至星期五 9:00-17:00", ["mon-fri 09:00-17:00"]),
    ("周一~周五 9:00~18:00", ["mon-fri 09:00-18:00"]),
    ("周一至周五　９：００－１８：００", ["mon-fri 09:00-18:00"]),
    ("全天", ["mon-sun 00:00-24:00"]),
    ("24小时", ["mon-sun 00:00-24:00"]),
    ("24小时开放", ["mon-sun 00:00-24:00"]),
    ("全天候开放", ["mon-sun 00:00-24:00"]),
    ("全年无休 24小时", ["mon-sun 00:00-24:00"]),
    ("工作日 9:00-17:00", ["mon-fri 09:00-17:00"]),
    ("工作日9:00-12:00，14:00-17:30", ["mon-fri 09:00-12:00,14:00-17:30"]),
    ("每天 9:00-21:00", ["mon-sun 09:00-21:00"]),
    ("每日8:00-20:00", ["mon-sun 08:00-20:00"]),
    ("周一至周五 9:00-18:00（节假日除外）", ["mon-fri 09:00-18:00"]),
    (
        "周一至周五 上午8:30-12:00，下午14:00-17:30",
        ["mon-fri 08:30-12:00,14:00-17:30"],
    ),
    ("周一至周五 上午8:30-12:00 下午2:00-5:30", ["mon-fri 08:30-12:00,14:00-17:30"]),
    ("上午9:00-12:00，下午2:30-6:00", ["mon-sun 09:00-12:00,14:30-18:00"]),
    ("周二至周日 9:00-17:00，周一闭馆", ["tue-sun 09:00-17:00", "mon closed"]),
    ("周一、三、五 9:00-17:00", ["mon,wed,fri 09:00-17:00"]),
    ("周六、周日 10:00-16:00", ["sat-sun 10:00-16:00"]),
    ("周六日休息", ["sat-sun closed"]),
    (
        "周一至周五 8:30-17:30；周六 9:00-12:00；周日休息",
        ["mon-fri 08:30-17:30", "sat 09:00-12:00", "sun closed"],
    ),
    ("早8点至晚8点", ["mon-sun 08:00-20:00"]),
    ("早上8点半到晚上9点", ["mon-sun 08:30-21:00"]),
    ("9点-18点", ["mon-sun 09:00-18:00"]),
    ("8时30分至17时30分", ["mon-sun 08:30-17:30"]),
    ("9:00-18:00（周一至周五）", ["mon-fri 09:00-18:00"]),
    ("8:30-17:30，周末休息", ["mon-sun 08:30-17:30", "sat-sun closed"]),
    ("22:00-次日6:00", ["mon-sun 22:00-06:00"]),
    ("开放时间：周一至周日 7:00-22:00", ["mon-sun 07:00-22:00"]),
    ("周一至周五 8:30-17:30 法定节假日休息", ["mon-fri 08:30-17:30"]),
    ("每周一至周五 9:00-17:00", ["mon-fri 09:00-17:00"]),
    ("周末 10:00-16:00", ["sat-sun 10:00-16:00"]),
    ("晚上7:00-10:00", ["mon-sun 19:00-22:00"]),
    ("中午12:00-下午1:30", ["mon-sun 12:00-13:30"]),
    ("8.30-17.30", ["mon-sun 08:30-17:30"]),
    ("mon-fri 09:00-18:00; sat closed", ["mon-fri 09:00-18:00", "sat closed"]),
    ("mon-sun 00:00-24:00", ["mon-sun 00:00-24:00"]),
    ("周一至周五：9:00-12:00、14:00-18:00", ["mon-fri 09:00-12:00,14:00-18:00"]),
    ("除周一外每天 9:00-17:00", ["mon-sun 09:00-17:00", "mon closed"]),
    ("每天9:00-21:00（除周二以外）", ["mon-sun 09:00-21:00", "tue closed"]),
    ("周一到周五早上九点到下午五点", ["mon-fri 09:00-17:00"]),
    ("上午八点半至十二点，下午两点半至五点半", ["mon-sun 08:30-12:00,14:30-17:30"]),
    ("晚上二十点至二十二点", ["mon-sun 20:00-22:00"]),
    ("八点三十分至十七点三十分", ["mon-sun 08:30-17:30"]),
]


@pytest.mark.parametrize(("text", "lines"), PHRASINGS)
def test_common_phrasings_become_structured_lines(text, lines):
    read = read_hours(text)
    assert read.lines == lines
    parse_hours(read.lines)  # what the station file will hold is valid


def test_there_are_thirty_phrasings_or_more():
    assert len(PHRASINGS) >= 30


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("周一至周五 9:00-18:00（节假日除外）", "节假日除外"),
        ("周一至周五 8:30-17:30 法定节假日休息", "法定节假日休息"),
    ],
)
def test_what_hours_cannot_hold_is_kept_as_a_note(text, note):
    assert read_hours(text).notes == [note]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "不能为空"),
        ("看情况", "看不懂“看情况”"),
        ("周一至周五", "有日期没有写时间"),
        ("周一至周五 9:00-9:00", "开门和关门是同一时间"),
        ("周一至周五 9:00-25:00", "时间不对"),
        ("周一至周五 9:70-18:00", "“9:70-18:00”里的时间不对"),
        ("预约开放", "看不懂“预约”"),
    ],
)
def test_unreadable_hours_are_refused_quoting_the_part(text, message):
    with pytest.raises(HoursError, match=message):
        read_hours(text)
