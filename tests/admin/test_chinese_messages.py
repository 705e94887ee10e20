"""Chinese at every field: every message source an editor can meet is walked — the forms'
validators, the content checks, the hours parser, the ledger — and none may carry an ASCII
field name (``title：必填``, ``registration.capacity``) or an English sentence."""

from __future__ import annotations

import re

import pytest

from cms.admin.problems import in_chinese, told
from cms.content import load, writer
from cms.content.chinese_hours import HoursError, read_hours
from cms.content.ledger import COLUMNS, plan_import, read_ledger
from cms.content.schema import FIELDS

from ..conftest import DATA
from ..security.naughty import field_errors
from .test_entries import _edit_form
from .test_problems import BAD

# Field names as the files and the forms spell them: none may reach an editor.
NAMES = {name for spec in FIELDS.values() for name in spec} | {
    "lat", "lng", "phone", "deadline", "capacity", "registered", "url", "slug", "body",
    "reg_phone", "reg_deadline", "reg_capacity", "reg_registered", "reg_url", "paste", "crs",
}  # fmt: skip
# ASCII an editor may read: addresses, coordinate systems, a code point, what they typed.
ALLOWED = {"http", "https", "media", "jpg", "xxx", "WGS-84", "GCJ-02", "BD-09", "Markdown"}
_QUOTED = re.compile(r"“[^”]*”|'[^']*'|\"[^\"]*\"")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def leaks(message: str, typed: tuple[str, ...] = ()) -> list[str]:
    """Return the English in ``message``: words outside quotes that are not allowed."""
    text = re.sub(r"U\+[0-9A-F]{4,6}", "", _QUOTED.sub("", message))
    for value in typed:  # an editor's own input shown back is theirs, not ours
        text = text.replace(value, "")
    found = [w.strip(".-") for w in _WORD.findall(text)]
    bad = [w for w in found if w and w not in ALLOWED]
    if not _CJK.search(message):
        bad.append(f"(no Chinese) {message}")
    return bad


def test_the_check_itself_catches_what_the_issue_names():
    assert leaks("title：必填")
    assert leaks("registration.capacity：不能小于 1")
    assert leaks("hours: mon-fri 09:00-18:00; sun closed")
    assert leaks("This field is required.")
    assert not leaks("名额：不能小于 1")
    assert not leaks("请填写以 http:// 或 https:// 开头的网址")
    assert not leaks("“abc” 不是有效的日期")


# (kind, entry to start from, fields posted) — every validator of every form, made to fail
FORM_CASES = [
    ("news", "plenary-2026", {"title": "", "date": "昨天", "category": "nope",
                              "summary": "长" * 600, "author": "长" * 200, "cover": "photo.jpg",
                              "slug": "坏 名字"}),
    ("news", "plenary-2026", {"title": "标" * 10_000, "tags": "上/下班、..", "date": ""}),
    ("activities", "open-training-2026", {
        "title": "", "starts_at": "2026-13-01T09:00", "ends_at": "", "brand": "", "station": "nope",
        "street": "nope", "venue": "长" * 300, "reg_phone": "打电话", "reg_deadline": "下周",
        "reg_capacity": "很多", "reg_registered": "-1", "reg_url": "ftp://x"}),
    ("activities", "open-training-2026", {"reg_capacity": "0", "reg_registered": "5",
                                          "ends_at": "2020-01-01T00:00"}),
    ("activities", "open-training-2026", {"reg_capacity": "10", "reg_registered": "50",
                                          "reg_deadline": "2030-01-01"}),
    ("stations", "bantian-care-01", {
        "name": "", "type": "", "street": "", "address": "", "lat": "222", "lng": "东经",
        "hours": "周八 25点", "access": "nope", "phone": "打电话", "verified_at": "昨天",
        "paste": "看不懂", "amenities": ["zz"]}),
    ("stations", "bantian-care-01", {"lat": "", "lng": "", "hours": "mon-fri 25:00-26:00"}),
    ("pages", "about", {"title": "", "order": "-3", "summary": "长" * 600}),
    ("pages", "about", {"order": "第一"}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "slug", "posted"), FORM_CASES)
def test_every_form_error_names_its_field_in_chinese(as_role, kind, slug, posted):
    editor = as_role("editor")
    form = {**_edit_form(editor, kind, slug), **posted, "action": "save"}
    response = editor.post(f"/admin/{kind}/edit/?id={slug}", form)
    errors = field_errors(response.get_data(as_text=True))
    assert errors, posted
    typed = tuple(v for v in posted.values() if isinstance(v, str) and len(v) < 50)
    for name, messages in errors.items():
        for message in messages:
            assert not leaks(message, typed), (name, message)
            if name != "body":
                assert "：" in message or message.startswith("请") or _label_in(message), message


def _label_in(message: str) -> bool:
    return bool(re.match(r"[\u4e00-\u9fff]{2,}", message))


def test_a_pasted_ten_thousand_character_title_is_an_error_never_cut(content_copy, as_role):
    editor = as_role("editor")
    from lxml import html

    loaded = editor.get("/admin/news/edit/?id=secret-review-note")
    page = html.fromstring(loaded.get_data(as_text=True))
    # A browser cuts a paste at maxlength without a word: no field of the form has one.
    assert page.get_element_by_id("entry-form").xpath(".//*[@maxlength]") == []
    form = {**_edit_form(editor, "news", "plenary-2026"), "title": "标" * 10_000, "action": "save"}
    errors = field_errors(editor.post("/admin/news/edit/?id=plenary-2026", form).get_data(True))
    assert errors["title"] == ["标题：最多 200 个字，现在有 10000 个，请删短一些"]
    assert "标" * 10_000 not in (content_copy / "news" / "plenary-2026.md").read_text("utf-8")


def test_an_over_long_reason_to_send_back_is_kept_and_told(as_role):
    editor = as_role("editor")
    form = {**_edit_form(editor, "news", "secret-review-note"), "reason": "请改" * 1500}
    page = editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "return"})
    text = page.get_data(as_text=True)
    assert "退回理由：最多 2000 个字，现在有 3000 个，请删短一些" in text
    assert "请改" * 1500 in text  # still in the box, not cut


def test_a_number_range_says_the_smallest_allowed(as_role):
    editor = as_role("editor")
    form = {**_edit_form(editor, "activities", "open-training-2026"), "reg_capacity": "0"}
    page = editor.post("/admin/activities/edit/?id=open-training-2026", {**form, "action": "save"})
    assert field_errors(page.get_data(as_text=True))["reg_capacity"] == ["名额：不能小于 1"]


HOURS_PROBLEMS = ["mon-fri", "mon-fri 25:00-26:00", "mon-fri 09:00-09:00", "xyz 09:00-18:00",
                  "mon-fri 24:00-02:00", "mon-fri nine-to-five"]  # fmt: skip


@pytest.mark.parametrize("line", HOURS_PROBLEMS)
def test_hours_problems_in_a_file_are_said_in_chinese(line):
    entry = load(DATA / "content").get("stations", "bantian-care-01")
    fields = {**writer.fields_of(entry), "status": entry.status, "hours": [line]}
    text = writer.dump("stations", fields, entry.body)
    problems = writer.validate(DATA / "content", "stations", "bantian-care-01", text)
    assert problems
    for problem in problems:
        assert not leaks(told(problem), (line,)), told(problem)
        assert not in_chinese(problem).startswith("内容检查未通过"), problem.message


@pytest.mark.parametrize(
    "text", ["", "周八", "25:00-26:00", "每天 9点到", "看心情", "mon-fri 25:00-26:00"]
)
def test_the_hours_parser_speaks_chinese(text):
    with pytest.raises(HoursError) as caught:
        read_hours(text)
    assert not leaks(str(caught.value), (text,)), str(caught.value)


@pytest.mark.parametrize(("kind", "slug", "changes", "body"), BAD)
def test_content_problems_told_away_from_the_form_name_the_field_in_chinese(
    kind, slug, changes, body
):
    entry = load(DATA / "content").get(kind, slug)
    fields = {**writer.fields_of(entry), "status": entry.status}
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(fields.get(name), dict):
            fields[name] = {**fields[name], **value}
        elif value is None:
            fields.pop(name)
        else:
            fields[name] = value
    text = writer.dump(kind, fields, body if body is not None else entry.body)
    for problem in writer.validate(DATA / "content", kind, slug, text):
        said = told(problem)
        typed = tuple(str(v) for v in changes.values() if not isinstance(v, dict))
        assert not leaks(said, typed), said
        for name in NAMES:
            assert not re.search(rf"(?<![A-Za-z_]){re.escape(name)}(?![A-Za-z_])", said), said


def test_ledger_errors_name_their_column_in_chinese(content_copy):
    import csv
    import io

    rows = [
        [
            "",
            "不存在的类型",
            "火星街道",
            "",
            "东经",
            "北纬",
            "火星坐标",
            "看心情",
            "打电话",
            "飞行",
        ],
        ["测试驿站", "爱心驿站", "平湖街道", "平湖路 1 号", 200, 95, "WGS-84", "", "", ""],
    ]
    out = io.StringIO(newline="")
    csv.writer(out).writerows([list(COLUMNS), *rows])
    plan = plan_import(load(content_copy), read_ledger(out.getvalue().encode(), "台账.csv"))
    messages = [m for row in plan.rows for m in row.errors + row.warnings]
    assert len(messages) >= 5
    typed = tuple(str(v) for row in rows for v in row)
    for message in messages:
        assert not leaks(message, typed), message


def test_the_preview_names_missing_fields_in_chinese(as_role):
    editor = as_role("editor")
    form = {**_edit_form(editor, "stations", "bantian-care-01"), "lat": "", "lng": ""}
    page = editor.post("/admin/stations/preview/?id=bantian-care-01", form)
    text = page.get_data(as_text=True)
    assert "还不能预览" in text and "位置：必填" in text
    assert "type：" not in text and "类型：必填" not in text  # a chosen type is not "missing"
    form = {**_edit_form(editor, "news", "plenary-2026"), "title": "", "date": ""}
    text = editor.post("/admin/news/preview/?id=plenary-2026", form).get_data(as_text=True)
    assert "标题：必填" in text and "发布日期：必填" in text and "title：" not in text


def test_the_preview_says_what_the_sanitiser_removed(as_role):
    editor = as_role("editor")
    body = (
        '会场在<span style="color:red">二楼</span>，<font color="red">请准时</font>。\n\n'
        '<iframe src="https://v.qq.com/x/page/a.html"></iframe>\n'
    )
    form = {**_edit_form(editor, "news", "plenary-2026"), "body": body}
    text = editor.post("/admin/news/preview/?id=plenary-2026", form).get_data(as_text=True)
    assert "已去掉：" in text
    for said in ("iframe 1 处", "颜色 1 处", "字体设置 1 处"):
        assert said in text
    assert "二楼" in text and "<iframe" not in text.split("</div>", 1)[1]


def test_an_over_long_comment_is_not_cut_but_kept_in_its_box(as_role):
    editor = as_role("editor")
    answer = editor.post("/admin/news/comment/", {"id": "plenary-2026", "text": "很长" * 1100})
    page = answer.get_data(as_text=True)
    assert "评论最多 2000 个字，现在有 2200 个" in page
    assert "很长" * 1100 in page  # back in the box to shorten
    again = editor.get("/admin/news/edit/?id=plenary-2026").get_data(as_text=True)
    assert "很长" * 1100 not in again


def test_any_admin_form_gets_chinese_wtforms_messages(admin_app):
    """A form another part of the admin writes with WTForms' own validators speaks Chinese too."""
    from werkzeug.datastructures import MultiDict
    from wtforms import IntegerField, StringField
    from wtforms.validators import DataRequired, Length, NumberRange

    from cms.admin.security import AdminForm

    class Sample(AdminForm):
        count = IntegerField("场次", validators=[NumberRange(min=1)])
        note = StringField("备注", validators=[DataRequired(), Length(max=5)])
        year = IntegerField("年份", validators=[NumberRange(min=2000, max=2100)])

    with admin_app.test_request_context():
        form = Sample(MultiDict({"count": "0", "note": "太长了的备注", "year": "1999"}))
        form.validate()
        assert form.count.errors == ["不能小于 1"]
        assert form.note.errors == ["最多 5 个字"]
        assert form.year.errors == ["应在 2000 到 2100 之间"]
        form = Sample(MultiDict({"count": "很多", "note": ""}))
        form.validate()
        assert form.count.errors[0] == "请填写整数" and form.note.errors == ["必填"]
