"""The content checks' problems, told to an editor in Chinese.

The content layer words its problems for the build log (``title contains control characters``);
the admin shows them at a form field, where the field's own label already names it. So the
field's name is dropped and the rest is said in Chinese; a problem not known here keeps its
original words after a Chinese lead, rather than being lost.
"""

from __future__ import annotations

import re

from ..content.errors import Problem
from .forms import FORMS, labels_of, short_label_text

_VALUE = r"(?P<value>.+)"
_CONTROL = "看不见的控制字符（常见于从别处复制的文字），请删去后再保存"
_MEDIA = "请从媒体库选择图片（形如 media/2026/xxx.jpg）"
_HOURS_LINE = r"(?P<value>'.*') in '.*' "
_SAYINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.DOTALL), zh)
    for p, zh in (
        (r"must be text, not .+", "请填写文字"),
        (r"must not be empty", "不能为空"),
        (
            r"is (?P<n>\d+) characters long; at most (?P<max>\d+) are allowed",
            "有 {n} 个字，最多只能 {max} 个，请删短一些",
        ),
        (r"contains control characters", "含有" + _CONTROL),
        (r"contains the control character (?P<code>U\+[0-9A-F]{4,6})", "含有 {code}：" + _CONTROL),
        (_VALUE + r" is not a date-time like .+", "{value} 不是有效的日期和时间"),
        (_VALUE + r" is not a date like .+", "{value} 不是有效的日期"),
        (_VALUE + r" is not one of(?: site\.yml \S+)?: .*", "{value} 不是可选的值，请从列表中选择"),
        (r"tag .+ must be non-empty text", "标签不能为空"),
        (r"tag " + _VALUE + r" must be at most 30 characters without '/'",
         "标签 {value} 最多 30 个字，且不能含“/”"),
        (r"tag " + _VALUE + r" must not be '\.' or '\.\.' nor contain .+",
         "标签 {value} 不能是“.”或“..”，也不能含 \\ # ? % 或控制字符"),
        (_VALUE + r" is not a whole number", "{value} 不是整数"),
        (_VALUE + r" is below (?P<min>\d+)", "不能小于 {min}"),
        (r"file name " + _VALUE + r" is not a slug.+",
         "网址名 {value} 只能用小写英文字母、数字和连字符，以字母或数字开头，最多 80 个字符"),
        (_VALUE + r" is not a slug .+", "网址名只能用小写英文字母、数字和连字符"),
        (_VALUE + r" is not a media file reference .+", _MEDIA),
        (_VALUE + r" is not a phone number", "{value} 不是有效的电话号码"),
        (_VALUE + r" is not a latitude", "{value} 不是有效的纬度（-90 到 90）"),
        (_VALUE + r" is not a longitude", "{value} 不是有效的经度（-180 到 180）"),
        (r"must be \{lat: …, lng: …\} in WGS-84", "请在地图上选点，或填写纬度和经度"),
        (r"unknown key " + _VALUE + r" \(only lat and lng\)", "只能有纬度和经度，多了 {value}"),
        (r"must be \{phone: …, deadline: …, capacity: …\}", "报名信息的格式不对"),
        (r"unknown key " + _VALUE + r" \(known: .+\)", "报名信息里多了不认识的一项 {value}"),
        (r"must be a list like \[a, b\], not .+", "应是一组值（每项一行）"),
        (r"must be an http\(s\) address", "请填写以 http:// 或 https:// 开头的网址"),
        (r"is required", "必填"),
        (r"is before starts_at", "结束时间早于开始时间"),
        (r"(?P<n>\d+) is more than the capacity (?P<max>\d+)", "已报 {n} 人，超过名额 {max} 人"),
        (r"\S+ is after the start (?P<start>\S+)", "报名截止日期晚于活动开始（{start}）"),
        (_VALUE + r": no such media file", "媒体库里没有 {value}"),
        (r"has (?P<n>\d+) photos; at most (?P<max>\d+)", "有 {n} 张照片，最多只能 {max} 张"),
        (r"an empty photo reference", "照片地址不能为空"),
        (r"must be a path such as /admin/report/ or an https:// address",
         "应是 /admin/report/ 这样的路径，或以 https:// 开头的网址"),
        (_VALUE + r": no such station", "没有这个阵地：{value}"),
        (_VALUE + r" is not published", "所选阵地 {value} 还没有发布"),
        (_VALUE + r" is not a field of \S+ \(fields: .+\)", "文件里多了不认识的一项 {value}"),
        # opening hours (cms/content/hours.py)
        (_VALUE + r" is not text like .+", "{value} 不是开放时间"),
        (_VALUE + r" must be '<days> <times>'.*",
         "{value} 应写成“星期 时段”，如 周一至周五 09:00-18:00"),
        (_HOURS_LINE + r"is not a time range like .+", "{value} 不是时段，应写成 09:00-18:00"),
        (_HOURS_LINE + r"has a time past 24:00", "{value} 的时间超过了 24:00"),
        (_HOURS_LINE + r"opens and closes at the same time", "{value} 开始和结束是同一时间"),
        (_HOURS_LINE + r"cannot start at 24:00", "{value} 不能从 24:00 开始"),
        (_VALUE + r" is not a day or day range like .+", "{value} 不是星期几，应写成 周一至周五"),
    )
]  # fmt: skip
# Names the content layer uses that no form field carries.
_OTHER_LABELS = {
    "status": "状态",
    "updated": "更新时间",
    "body": "正文",
    "slug": "网址名",
    "location": "位置",
    "registration": "报名",
    "tags": "标签",
    "report_url": "纠错提交地址",
}
_FORM_NAMES = {"location.lat": "lat", "location.lng": "lng"}  # content field → form field


def form_field(field: str) -> str:
    """Return the form field showing a content field: ``registration.capacity`` → reg_capacity."""
    if field.startswith("registration."):
        return "reg_" + field.partition(".")[2]
    return _FORM_NAMES.get(field) or field.split(".")[0]


def label(kind: str, field: str) -> str:
    """Return a content field's Chinese label: ``registration.capacity`` → 名额, ``hours.1`` →
    开放时间第 2 行."""
    kinds = [kind] if kind in FORMS else list(FORMS)  # a preview's problems name no file
    labels = {**{k: v for one in reversed(kinds) for k, v in labels_of(one).items()}}
    labels = {**_OTHER_LABELS, **labels}
    name, _, rest = field.partition(".")
    if rest.isdigit():
        return f"{short_label_text(labels.get(name, name))}第 {int(rest) + 1} 项"
    found = labels.get(form_field(field)) or labels.get(name) or field
    return short_label_text(found)


def _quoted(value: str) -> str:
    """Quote a value the Chinese way: 'abc' (as Python shows it) → “abc”."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return f"“{value[1:-1]}”"
    return value


def in_chinese(problem: Problem) -> str:
    """Return what to show at the problem's field: its message in Chinese, without the field."""
    message = problem.message
    if problem.field and message.startswith(problem.field + " "):  # the reader's "field …"
        message = message[len(problem.field) + 1 :]
    for pattern, saying in _SAYINGS:
        found = pattern.fullmatch(message)
        if found:
            parts = {k: _quoted(v) if k == "value" else v for k, v in found.groupdict().items()}
            return saying.format(**parts)
    return f"内容检查未通过：{problem.message}"


def told(problem: Problem) -> str:
    """Return the problem in Chinese with its field named, for a list away from the form."""
    said = in_chinese(problem)
    if not problem.field:
        return said
    kind = problem.path.split("/")[1] if problem.path.count("/") >= 2 else ""
    return f"{label(kind, problem.field)}：{said}"
