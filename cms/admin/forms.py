"""Entry forms built from the content model, and conversion between forms and entry fields."""

from __future__ import annotations

import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo

from wtforms import (
    DateField,
    DateTimeLocalField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import URL, DataRequired, Optional, ValidationError

from ..content import Entry, Site, slugs
from ..content.chinese_hours import HoursError, read_hours
from ..content.fields import LATITUDE, LONGITUDE, MEDIA_RE, PHONE_RE, PHOTOS_MAX
from ..content.schema import max_length, minimum
from ..geo.coords import parse_pasted
from .security import AdminForm

DATETIME = "%Y-%m-%dT%H:%M"
SEARCHABLE = 15  # a select with more options than this gets a search box
TAG_SEPARATORS = re.compile(r"[、，,；;\s]+")  # tags typed the way editors type lists
STATUS_LABELS = {"draft": "草稿", "review": "待审核", "published": "已发布"}
CRS = [("gcj02", "高德/腾讯（GCJ-02）"), ("bd09", "百度（BD-09）"), ("wgs84", "GPS（WGS-84）")]


def options(pairs: list[tuple[str, str]], blank: bool = False) -> list[SelectChoice]:
    """Return select options from (value, label) pairs, after a （无） option when ``blank``.

    A long list (more than SEARCHABLE) is sorted by its Chinese labels and each option carries
    its spelling (data-pinyin, data-initials), which admin.js searches: 坂田 is found by 坂田,
    bantian and bt.
    """
    first = [SelectChoice("", "（无）")] if blank else []
    if len(pairs) <= SEARCHABLE:
        return first + [SelectChoice(value, label) for value, label in pairs]
    spelled = sorted((spelling(label), label, value) for value, label in pairs)
    return first + [
        SelectChoice(value, label, render_kw={"data-pinyin": pin, "data-initials": ini})
        for (pin, ini), label, value in spelled
    ]


@functools.lru_cache(maxsize=4096)
def spelling(label: str) -> tuple[str, str]:
    """Return a label's pinyin and initials: 坂田街道 → ("bantianjiedao", "btjd").

    pypinyin's dictionaries take ~57 MB: they are loaded by the first long list, never by a
    process that shows none.
    """
    from pypinyin import Style, lazy_pinyin

    words = lazy_pinyin(label, style=Style.NORMAL, errors=lambda s: s.split())
    words = [w.strip().lower() for w in words if w.strip()]
    return "".join(words), "".join(w[0] for w in words)


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes (amenities)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _media(form, field) -> None:
    if field.data and (not MEDIA_RE.match(field.data) or ".." in field.data.split("/")):
        raise ValidationError("请从媒体库选择图片（形如 media/2026/xxx.jpg）")


def _photos(form, field) -> None:
    refs = _lines(field.data)
    if len(refs) > PHOTOS_MAX:
        raise ValidationError(f"照片最多 {PHOTOS_MAX} 张，现在有 {len(refs)} 张")
    for ref in refs:
        if not MEDIA_RE.match(ref) or ".." in ref.split("/"):
            raise ValidationError(f"“{ref}”不是媒体库里的图片地址（形如 media/2026/xxx.jpg）")


def _lines(text: str | None) -> list[str]:
    """Return the non-empty lines of a text box, each once, in order."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def _phone(form, field) -> None:
    if field.data and not PHONE_RE.match(field.data.strip()):
        raise ValidationError("电话号码只能包含数字、空格、+、-、括号")


def _hours(form, field) -> None:
    try:
        read_hours(field.data or "")
    except HoursError as exc:
        raise ValidationError(str(exc)) from None


def _hours_lines(text: str | None) -> list[str]:
    """Return structured hours lines from what the editor wrote (周一至周五 8:30-17:30 too)."""
    try:
        return read_hours(text or "").lines
    except HoursError:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Longest:
    """At most ``size`` characters, else an error at the field saying how many there are.

    Unlike WTForms' Length it gives the browser no ``maxlength``, which cuts a paste silently.
    """

    def __init__(self, size: int):
        self.size = size

    def __call__(self, form, field) -> None:
        found = len(field.data or "")
        if found > self.size:
            raise ValidationError(f"最多 {self.size} 个字，现在有 {found} 个，请删短一些")


class Between:
    """A number from ``low`` to ``high`` (both allowed; None means no bound), said in Chinese."""

    def __init__(self, low: float | None = None, high: float | None = None):
        self.low, self.high = low, high

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        if self.low is not None and self.high is not None:
            if not self.low <= value <= self.high:
                raise ValidationError(f"应在 {self.low:g} 到 {self.high:g} 之间")
        elif self.low is not None and value < self.low:
            raise ValidationError(f"不能小于 {self.low:g}")
        elif self.high is not None and value > self.high:
            raise ValidationError(f"不能大于 {self.high:g}")


def longest(kind: str, name: str) -> Longest:
    """Return a form check of the length the content layer allows a text field."""
    return Longest(max_length(kind, name))


def at_least(kind: str, name: str) -> Between:
    """Return a form check of the smallest number the content layer allows a field."""
    return Between(low=minimum(kind, name))


def short_label_text(text: str) -> str:
    """Return a label without its bracketed note: 纬度（WGS-84） → 纬度."""
    return text.split("（")[0].strip()


def short_label(field) -> str:
    return short_label_text(field.label.text)


def at_field(field, message: str) -> str:
    """Return an error as shown under its field, naming the field by its Chinese label."""
    label = short_label(field)
    return message if label in message else f"{label}：{message}"


class EntryForm(AdminForm):
    """Fields every kind has: the file name, the version loaded, the body, scheduling."""

    slug = StringField(
        "网址名",
        validators=[Longest(slugs.MAX_LENGTH)],
        description="网页地址的最后一段：只用小写英文字母、数字和连字符；留空则按标题拼音生成。",
    )
    version = HiddenField()
    publish_at = DateTimeLocalField("定时发布时间", format=DATETIME, validators=[Optional()])
    unpublish_at = DateTimeLocalField(
        "定时撤下时间",
        format=DATETIME,
        validators=[Optional()],
        description="到了这个时间自动从网站撤下（如活动结束后的通知）。",
    )
    body = TextAreaField("正文（Markdown）", render_kw={"rows": 18})

    def validate_slug(self, field) -> None:
        if slugs.refusal("", field.data or "") == slugs.PATTERN:
            raise ValidationError("网址名只能用小写英文字母、数字和连字符，并以字母或数字开头")


class NewsForm(EntryForm):
    title = StringField("标题", validators=[DataRequired("请填写标题"), longest("news", "title")])
    date = DateTimeLocalField("发布日期", format=DATETIME, validators=[DataRequired("请填写日期")])
    category = SelectField("栏目", validators=[DataRequired("请选择栏目")])
    tags = StringField("标签", description="用顿号、逗号、分号或空格分开，例如：工联会、产业工人")
    summary = TextAreaField("摘要", validators=[longest("news", "summary")], render_kw={"rows": 2})
    cover = StringField("封面图", validators=[_media])
    author = StringField("作者", validators=[longest("news", "author")])


class ActivityForm(EntryForm):
    title = StringField(
        "活动名称", validators=[DataRequired("请填写名称"), longest("activities", "title")]
    )
    starts_at = DateTimeLocalField(
        "开始时间", format=DATETIME, validators=[DataRequired("请填写开始时间")]
    )
    ends_at = DateTimeLocalField(
        "结束时间", format=DATETIME, validators=[DataRequired("请填写结束时间")]
    )
    brand = SelectField("活动品牌", validators=[DataRequired("请选择活动品牌")])
    street = SelectField("街道")
    venue = StringField("地点", validators=[longest("activities", "venue")])
    station = SelectField("所在阵地")
    summary = TextAreaField(
        "摘要", validators=[longest("activities", "summary")], render_kw={"rows": 2}
    )
    cover = StringField("封面图", validators=[_media])
    reg_phone = StringField("报名电话", validators=[_phone])
    reg_deadline = DateField("报名截止日期", validators=[Optional()])
    reg_capacity = IntegerField(
        "名额", validators=[Optional(), at_least("activities", "registration.capacity")]
    )
    reg_registered = IntegerField(
        "已报名人数", validators=[Optional(), at_least("activities", "registration.registered")]
    )
    reg_url = StringField(
        "报名网址",
        validators=[
            Optional(),
            longest("activities", "registration.url"),
            URL(message="请填写以 http:// 或 https:// 开头的网址"),
        ],
    )

    def validate_ends_at(self, field) -> None:
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError("结束时间早于开始时间")


class StationForm(EntryForm):
    name = StringField("名称", validators=[DataRequired("请填写名称"), longest("stations", "name")])
    type = SelectField("类型", validators=[DataRequired("请选择类型")])
    street = SelectField("街道", validators=[DataRequired("请选择街道")])
    address = StringField(
        "地址", validators=[DataRequired("请填写地址"), longest("stations", "address")]
    )
    lat = FloatField(
        "纬度（WGS-84）", validators=[DataRequired("请在地图上选点"), Between(*LATITUDE)]
    )
    lng = FloatField(
        "经度（WGS-84）", validators=[DataRequired("请在地图上选点"), Between(*LONGITUDE)]
    )
    paste = StringField(
        "粘贴坐标", description="从高德或百度地图复制的“经度,纬度”，会换算为 WGS-84"
    )
    paste_crs = SelectField("坐标来源", choices=options(CRS), default="gcj02")
    hours = TextAreaField(
        "开放时间",
        validators=[DataRequired("请填写开放时间"), _hours],
        description="每行一条，例如：周一至周五 8:30-12:00,14:00-18:00；周日休息；全天开放",
        render_kw={"rows": 3},
    )
    amenities = CheckboxesField("服务设施")
    access = SelectField("服务对象")
    phone = StringField("电话", validators=[_phone])
    verified_at = DateField("核实日期", validators=[Optional()])
    photos = TextAreaField(
        "照片",
        validators=[_photos],
        description="每行一张，写媒体库里的地址（形如 media/2026/xxx.jpg）；入口照片放第一行",
        render_kw={"rows": 2},
    )
    summary = TextAreaField(
        "简介", validators=[longest("stations", "summary")], render_kw={"rows": 2}
    )

    def validate_paste(self, field) -> None:
        if field.data and field.data.strip():
            try:
                lat, lng = parse_pasted(field.data.strip(), self.paste_crs.data or "gcj02")
            except ValueError:
                raise ValidationError(
                    "看不懂这个坐标：请粘贴“经度,纬度”，如 114.0652,22.6301"
                ) from None
            self.lat.data, self.lng.data = round(lat, 6), round(lng, 6)
            self.lat.errors, self.lng.errors = [], []


class PageForm(EntryForm):
    title = StringField("标题", validators=[DataRequired("请填写标题"), longest("pages", "title")])
    summary = TextAreaField("摘要", validators=[longest("pages", "summary")], render_kw={"rows": 2})
    order = IntegerField("菜单顺序", default=0, validators=[Optional(), at_least("pages", "order")])


FORMS = {"news": NewsForm, "activities": ActivityForm, "stations": StationForm, "pages": PageForm}


def labels_of(kind: str) -> dict[str, str]:
    """Return each form field's Chinese label by its name (``reg_capacity`` → 名额); none for a
    kind without an entry form."""
    if kind not in FORMS:
        return {}
    form = FORMS[kind]
    return {
        name: unbound.args[0]
        for name in dir(form)
        if isinstance(unbound := getattr(form, name), UnboundField) and unbound.args
    }


def set_choices(
    form: EntryForm, kind: str, site: Site, station_slugs: list[tuple[str, str]]
) -> None:
    """Fill the selects from site.yml's vocabularies (they can change while the admin runs)."""

    def terms(name: str, blank: bool = False) -> list[SelectChoice]:
        return options([(t.key, t.label) for t in getattr(site, name).values()], blank)

    if kind == "news":
        form.category.choices = terms("news_categories")
    elif kind == "activities":
        form.brand.choices = terms("activity_brands")
        form.street.choices = terms("streets", blank=True)
        form.station.choices = options(station_slugs, blank=True)
    elif kind == "stations":
        form.type.choices = terms("station_types")
        form.street.choices = terms("streets")
        form.amenities.choices = terms("amenities")
        form.access.choices = terms("access")


def fill(form: EntryForm, entry: Entry, tz: ZoneInfo) -> None:
    """Put an entry's values into a form."""

    def local(value: dt.datetime | None) -> dt.datetime | None:
        return value.astimezone(tz).replace(tzinfo=None) if value else None

    form.slug.data = entry.slug
    form.version.data = entry.version
    form.body.data = entry.body
    form.publish_at.data = local(entry.publish_at)
    form.unpublish_at.data = local(entry.unpublish_at)
    for name in form._fields:
        if name in ("slug", "version", "body", "publish_at", "unpublish_at", "csrf_token"):
            continue
        if hasattr(entry, name):
            value = getattr(entry, name)
            if isinstance(value, dt.datetime):
                value = local(value)
            elif name == "tags":
                value = "、".join(value)
            elif name in ("hours", "photos"):
                value = "\n".join(value)
            form[name].data = value
    if entry.kind == "stations":
        form.lat.data, form.lng.data = entry.location.lat, entry.location.lng
    if entry.kind == "activities" and entry.registration:
        reg = entry.registration
        form.reg_phone.data, form.reg_deadline.data = reg.phone, reg.deadline
        form.reg_capacity.data, form.reg_registered.data = reg.capacity, reg.registered or None
        form.reg_url.data = reg.url


def _location(lat: float | None, lng: float | None) -> dict | None:
    """Return the location of two coordinates; None (位置：必填) until both are there."""
    if lat is None or lng is None:
        return None
    return {"lat": round(lat, 6), "lng": round(lng, 6)}


def fields_from(form: EntryForm, kind: str, tz: ZoneInfo) -> dict:
    """Return front-matter fields (without status) from a validated form."""

    def aware(value: dt.datetime | None) -> dt.datetime | None:
        return value.replace(tzinfo=tz) if value else None

    def text(name: str) -> str:
        return (form[name].data or "").strip()

    out: dict = {}
    if kind == "news":
        tags = [t for t in TAG_SEPARATORS.split(text("tags")) if t]
        out.update(
            title=text("title"),
            date=aware(form.date.data),
            category=form.category.data,
            tags=list(dict.fromkeys(tags)),
            summary=text("summary"),
            cover=text("cover"),
            author=text("author"),
        )
    elif kind == "activities":
        reg = {
            "phone": text("reg_phone"),
            "deadline": form.reg_deadline.data,
            "capacity": form.reg_capacity.data,
            "registered": form.reg_registered.data,
            "url": text("reg_url"),
        }
        reg = {k: v for k, v in reg.items() if v not in (None, "", 0)}
        out.update(
            title=text("title"),
            starts_at=aware(form.starts_at.data),
            ends_at=aware(form.ends_at.data),
            brand=form.brand.data,
            street=form.street.data or "",
            venue=text("venue"),
            station=form.station.data or "",
            summary=text("summary"),
            cover=text("cover"),
            registration=reg or None,
        )
    elif kind == "stations":
        out.update(
            name=text("name"),
            type=form.type.data,
            street=form.street.data,
            address=text("address"),
            location=_location(form.lat.data, form.lng.data),
            hours=_hours_lines(form.hours.data),
            amenities=list(form.amenities.data or []),
            access=form.access.data,
            phone=text("phone"),
            verified_at=form.verified_at.data,
            photos=_lines(form.photos.data),
            summary=text("summary"),
        )
    elif kind == "pages":
        out.update(title=text("title"), summary=text("summary"), order=form.order.data or None)
    out["publish_at"] = aware(form.publish_at.data)
    out["unpublish_at"] = aware(form.unpublish_at.data)
    return out
