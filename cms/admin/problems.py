"""The content checks' problems, told to an editor in Chinese.

The content layer words its problems for the build log (``title contains control characters``);
the admin shows them at a form field, where the field's own label already names it. So the
field's name is dropped and the rest is said in Chinese; a problem not known here keeps its
original words after a Chinese lead, rather than being lost.
"""

from __future__ import annotations

import re

from ..content.errors import Problem

_VALUE = r"(?P<value>.+)"
_CONTROL = "看不见的控制字符（常见于从别处复制的文字），请删去后再保存"
_MEDIA = "请从媒体库选择图片（形如 media/2026/xxx.jpg）"
_SAYINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.DOTALL), zh)
    for p, zh in (
        (r"must be text, not .+", "请填写文字"),
        (r"must not be empty", "不能为空"),
        (
            r"is (?P<n>\d+) characters long; at most (?P<max>\d+) are allowed",
            "有 {n} 个字符，最多只能 {max} 个",
        ),
        (r"contains control characters", "含有" + _CONTROL),
        (r"contains the control character (?P<code>U\+[0-9A-F]{4,6})", "含有 {code}：" + _CONTROL),
        (_VALUE + r" is not a date-time like .+", "{value} 不是有效的日期和时间"),
        (_VALUE + r" is not a date like .+", "{value} 不是有效的日期"),
        (_VALUE + r" is not one of(?: site\.yml \S+)?: (?P<keys>.*)",
         "{value} 不是可选的值（可选：{keys}）"),
        (r"tag .+ must be non-empty text", "标签不能为空"),
        (r"tag " + _VALUE + r" must be at most 30 characters without '/'",
         "标签 {value} 最多 30 个字符，且不能含“/”"),
        (r"tag " + _VALUE + r" must not be '\.' or '\.\.' nor contain .+",
         "标签 {value} 不能是“.”或“..”，也不能含 \\ # ? % 或控制字符"),
        (_VALUE + r" is not a whole number", "{value} 不是整数"),
        (_VALUE + r" is below (?P<min>\d+)", "不能小于 {min}"),
        (_VALUE + r" is not a slug .+", "网址名只能用小写英文字母、数字和连字符"),
        (_VALUE + r" is not a media file reference .+", _MEDIA),
        (_VALUE + r" is not a phone number", "{value} 不是有效的电话号码"),
        (_VALUE + r" is not a latitude", "{value} 不是有效的纬度（-90 到 90）"),
        (_VALUE + r" is not a longitude", "{value} 不是有效的经度（-180 到 180）"),
        (r"must be an http\(s\) address", "请填写以 http:// 或 https:// 开头的网址"),
        (r"is required", "必填"),
        (r"is before starts_at", "结束时间早于开始时间"),
        (r"(?P<n>\d+) is more than the capacity (?P<max>\d+)", "已报 {n} 人，超过名额 {max} 人"),
        (r"\S+ is after the start (?P<start>\S+)", "报名截止日期晚于活动开始（{start}）"),
        (_VALUE + r": no such media file", "媒体库里没有 {value}"),
    )
]  # fmt: skip


def in_chinese(problem: Problem) -> str:
    """Return what to show at the problem's field: its message in Chinese, without the field."""
    message = problem.message
    if problem.field and message.startswith(problem.field + " "):  # the reader's "field …"
        message = message[len(problem.field) + 1 :]
    for pattern, saying in _SAYINGS:
        found = pattern.fullmatch(message)
        if found:
            return saying.format(**found.groupdict())
    return f"内容检查未通过：{problem.message}"


def told(problem: Problem) -> str:
    """Return the problem in Chinese with its field named, for a list away from the form."""
    said = in_chinese(problem)
    return f"{problem.field}：{said}" if problem.field else said
