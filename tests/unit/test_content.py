"""Reading and validating content files: every broken file is named with its line and field."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cms.content import ContentError, News, Station, load, write_atomic
from cms.content.fields import SLUG_RE

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Valid files; each broken case below changes one thing in one of them.
NEWS = """\
---
title: 测试新闻
date: 2026-01-01T10:00:00+08:00
category: work
tags: [工联会]
status: published
---
正文。
"""
ACTIVITY = """\
---
title: 测试活动
starts_at: 2026-12-10T09:00:00+08:00
ends_at: 2026-12-10T11:00:00+08:00
brand: care
street: bantian
station: bantian-care-01
status: published
---
正文。
"""
STATION = """\
---
name: 测试驿站
type: care-station
street: bantian
address: 深圳市龙岗区坂田街道
phone: "0755-28750315"
location: {lat: 22.6301, lng: 114.0652}
hours: ["mon-sun 00:00-24:00"]
status: published
---
正文。
"""
STATION_FIELDS = (
    "name, type, street, address, location, hours, amenities, access, phone, "
    "verified_at, photos, summary, status, publish_at, unpublish_at, updated"
)
STREETS = (
    "pinghu, buji, jihua, bantian, nanwan, henggang, yuanshan, longcheng, longgang, baolong, pingdi"
)

BROKEN = [
    pytest.param(
        "news/x.md",
        "title: 没有前言\n正文。\n",
        "content/news/x.md:1: the file must start with a '---' line opening the front matter",
        id="missing-front-matter",
    ),
    pytest.param(
        "news/x.md",
        "---\ntitle: 没有结束\nstatus: published\n正文。\n",
        "content/news/x.md:5: the front matter is not closed by a '---' line",
        id="unclosed-front-matter",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("tags: [工联会]", "tags: [工联会, 产业工人"),
        "content/news/x.md:6: YAML syntax error: did not find expected ',' or ']'",
        id="yaml-syntax-error",
    ),
    pytest.param(
        "news/x.md",
        "---\n- title\n- date\n---\n",
        "content/news/x.md:2: the front matter must be a mapping of 'field: value' lines",
        id="front-matter-not-a-mapping",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace("status: published", "status: published\ncolour: red"),
        f"content/stations/x.md:10: colour is not a field of stations (fields: {STATION_FIELDS})",
        id="unknown-field",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("title: 测试活动\n", ""),
        "content/activities/x.md:1: title is required",
        id="required-field-missing",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("category: work", "category: sports"),
        "content/news/x.md:4: category 'sports' is not one of site.yml news_categories: "
        "work, reform, service, rights, culture, notice",
        id="bad-category",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("brand: care", "brand: sports"),
        "content/activities/x.md:5: brand 'sports' is not one of site.yml activity_brands: "
        "contest, training, care, culture",
        id="bad-brand",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace("care-station", "bath-house"),
        "content/stations/x.md:3: type 'bath-house' is not one of site.yml station_types: "
        "worker-home, care-station, mother-room, legal-aid, culture-palace",
        id="bad-type",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace("street: bantian", "street: futian"),
        f"content/stations/x.md:4: street 'futian' is not one of site.yml streets: {STREETS}",
        id="bad-street",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace("status: published", "amenities: [water, sauna]\nstatus: published"),
        "content/stations/x.md:9: amenities.1 'sauna' is not one of site.yml amenities: water, "
        "food-heating, charging, battery-swap, toilet, rest, aircon, first-aid, umbrella, wifi, "
        "reading, legal, haircut, nursing",
        id="bad-amenity",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("2026-01-01T10:00:00+08:00", "yesterday"),
        "content/news/x.md:3: date 'yesterday' is not a date-time like 2021-04-09T10:00:00+08:00",
        id="bad-date",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace('phone: "0755-28750315"', 'phone: "0755"\nverified_at: 20 May 2026'),
        "content/stations/x.md:7: verified_at '20 May 2026' is not a date like 2021-05-20",
        id="bad-plain-date",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("ends_at: 2026-12-10T11", "ends_at: 2026-12-10T08"),
        "content/activities/x.md:4: ends_at is before starts_at",
        id="ends-before-starts",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("status:", "registration: {deadline: 2026-12-11, capacity: 10}\nstatus:"),
        "content/activities/x.md:8: registration.deadline 2026-12-11 is after the start 2026-12-10",
        id="deadline-after-start",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("status:", "registration: {capacity: 10, registered: 11}\nstatus:"),
        "content/activities/x.md:8: registration.registered 11 is more than the capacity 10",
        id="registered-over-capacity",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace("lat: 22.6301", "lat: 222.1"),
        "content/stations/x.md:7: location.lat 222.1 is not a latitude",
        id="latitude-out-of-range",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace("lng: 114.0652", "lng: -190"),
        "content/stations/x.md:7: location.lng -190 is not a longitude",
        id="longitude-out-of-range",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace(
            "location: {lat: 22.6301, lng: 114.0652}",
            "location:\n  lat: 22.6301\n  lng: 114.0652\n  alt: 3",
        ),
        "content/stations/x.md:10: location.alt unknown key 'alt' (only lat and lng)",
        id="location-unknown-key",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace('["mon-sun 00:00-24:00"]', '["sat-sun closed", "mon-fri 9-18"]'),
        "content/stations/x.md:8: hours.1 '9-18' in 'mon-fri 9-18' is not a time range "
        "like '09:00-18:00'",
        id="bad-hours",
    ),
    pytest.param(
        "stations/x.md",
        STATION.replace(
            '["mon-sun 00:00-24:00"]', '\n  - "mon-fri 09:00-18:00"\n  - "weekend closed"'
        ),
        "content/stations/x.md:10: hours.1 'weekend' is not a day or day range like 'mon-fri' "
        "(days: mon, tue, wed, thu, fri, sat, sun)",
        id="bad-hours-block-list",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("tags: [工联会]", "tags: 工联会"),
        "content/news/x.md:5: tags must be a list like [a, b], not str",
        id="tags-not-a-list",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("status: published", "status: public"),
        "content/news/x.md:6: status 'public' is not one of: draft, review, published",
        id="bad-status",
    ),
    pytest.param(
        "news/Bad_Name.md",
        NEWS,
        "content/news/Bad_Name.md: file name 'Bad_Name' is not a slug: use lower-case letters, "
        "digits and '-', starting with a letter or digit, at most 80",
        id="bad-slug-file-name",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("status:", "cover: media/2025/missing.jpg\nstatus:"),
        "content/news/x.md:6: cover 'media/2025/missing.jpg': no such media file",
        id="cover-missing-media",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("status:", "cover: media/../../etc/passwd\nstatus:"),
        "content/news/x.md:6: cover 'media/../../etc/passwd' is not a media file reference "
        "like media/2021/photo.jpg",
        id="cover-traversal",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("status:", "cover: /etc/passwd\nstatus:"),
        "content/news/x.md:6: cover '/etc/passwd' is not a media file reference "
        "like media/2021/photo.jpg",
        id="cover-absolute",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("bantian-care-01", "no-such-station"),
        "content/activities/x.md:7: station 'no-such-station': no such station",
        id="activity-station-missing",
    ),
    pytest.param(
        "activities/x.md",
        ACTIVITY.replace("bantian-care-01", "secret-draft-station"),
        "content/activities/x.md:7: station 'secret-draft-station' is not published",
        id="activity-station-unpublished",
    ),
    pytest.param(
        "news/x.md",
        NEWS.replace("测试新闻", "工会").encode("gbk"),
        "content/news/x.md: cannot read as UTF-8 text: 'utf-8' codec can't decode byte 0xb9 "
        "in position 11: invalid start byte",
        id="not-utf-8",
    ),
]


def write(root: Path, name: str, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (root / name).write_bytes(data)


@pytest.mark.parametrize(("name", "text", "message"), BROKEN)
def test_broken_file_is_named_with_line_and_field(content_copy, name, text, message):
    write(content_copy, name, text)
    content = load(content_copy)
    assert [str(p) for p in content.problems] == [message]


def test_test_content_is_clean():
    content = load(DATA / "content")
    assert content.problems == []
    assert len(content.entries["news"]) == 11


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param(
            "news/x.md",
            NEWS.replace("2026-01-01T10:00:00+08:00", "2021-13-01"),
            "content/news/x.md:3: date '2021-13-01' is not valid: month must be in 1..12",
            id="month-13",
        ),
        pytest.param(
            "news/x.md",
            NEWS.replace("2026-01-01T10:00:00+08:00", "2021-02-30T10:00:00+08:00"),
            "content/news/x.md:3: date '2021-02-30T10:00:00+08:00' is not valid: "
            "day is out of range for month",
            id="february-30",
        ),
        pytest.param(
            "stations/x.md",
            STATION.replace("status:", "verified_at: 2026-02-30\nstatus:"),
            "content/stations/x.md:9: verified_at '2026-02-30' is not valid: "
            "day is out of range for month",
            id="verified-february-30",
        ),
    ],
)
def test_impossible_yaml_date_is_a_problem_not_a_crash(content_copy, name, text, message):
    # YAML resolves these as timestamps, then datetime() refuses them: a broken file, not a
    # crash, and the message names the field like every other one does.
    write(content_copy, name, text)
    assert [str(p) for p in load(content_copy).problems] == [message]


def test_a_field_given_twice_is_a_problem(content_copy):
    # Otherwise the last one silently wins: "status: draft" on top, "published" below, publishes.
    write(content_copy, "news/x.md", NEWS.replace("title:", "status: draft\ntitle:"))
    content = load(content_copy)
    assert content.get("news", "x") is None
    assert [str(p) for p in content.problems] == [
        "content/news/x.md:7: status is given twice (lines 2 and 7); keep one"
    ]


def test_every_problem_of_a_file_is_reported(content_copy):
    text = STATION.replace("lat: 22.6301", "lat: 222.1").replace("street: bantian", "street: x")
    write(content_copy, "stations/x.md", text)
    assert [p.line for p in load(content_copy).problems] == [4, 7]


def test_problems_of_several_files_are_all_reported(content_copy):
    write(content_copy, "news/a.md", NEWS.replace("category: work", "category: sports"))
    write(content_copy, "news/b.md", "no front matter\n")
    assert [p.path for p in load(content_copy).problems] == [
        "content/news/a.md",
        "content/news/b.md",
    ]


@pytest.mark.parametrize(
    ("slug", "good"),
    [
        ("a", True),
        ("0", True),
        ("plenary-2021", True),
        ("2021-plenary", True),
        ("a-", True),
        ("a" * 80, True),
        ("a" * 81, False),
        ("-a", False),
        ("Plenary", False),
        ("bad_name", False),
        ("a.b", False),
        ("a b", False),
        ("新闻", False),
        ("xinwen-新闻", False),
        ("", False),
        pytest.param("plenary\n", False, id="trailing-newline"),
    ],
)
def test_slug_rule(content_copy, slug, good):
    assert bool(SLUG_RE.match(slug)) is good
    if slug:
        write(content_copy, f"news/{slug}.md", NEWS)
        content = load(content_copy)
        assert (content.get("news", slug) is not None) is good
        assert len(content.problems) == (0 if good else 1)


def test_yaml_python_tags_are_refused_and_not_run(content_copy, tmp_path):
    marker = tmp_path / "ran"
    evil = f"!!python/object/apply:os.system ['touch {marker}']"
    write(content_copy, "news/x.md", NEWS.replace("测试新闻", evil))
    content = load(content_copy)
    assert not marker.exists()
    assert [str(p) for p in content.problems] == [
        "content/news/x.md:2: YAML syntax error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ]
    assert content.get("news", "x") is None


def test_yaml_python_tags_in_site_yml_are_refused(content_copy, tmp_path):
    marker = tmp_path / "ran"
    site = content_copy / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "title: 龙岗区总工会", f"title: !!python/object/apply:os.system ['touch {marker}']", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="content/site.yml:2: .*python/object/apply"):
        load(content_copy)
    assert not marker.exists()


def test_naive_times_are_taken_as_asia_shanghai(content_copy):
    write(
        content_copy, "news/x.md", NEWS.replace("2026-01-01T10:00:00+08:00", "2026-01-01 10:00:00")
    )
    item = load(content_copy).get("news", "x")
    assert isinstance(item, News)
    assert item.date.utcoffset() == dt.timedelta(hours=8)
    assert item.date == dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.UTC)
    assert str(item.date.tzinfo) == "Asia/Shanghai"


def test_a_bare_date_is_midnight_in_shanghai(content_copy):
    write(content_copy, "news/x.md", NEWS.replace("2026-01-01T10:00:00+08:00", "2026-01-01"))
    item = load(content_copy).get("news", "x")
    assert item.date == dt.datetime(2026, 1, 1, 0, 0, tzinfo=SHANGHAI)


def test_other_offsets_keep_their_instant(content_copy):
    write(
        content_copy, "news/x.md", NEWS.replace("2026-01-01T10:00:00+08:00", "2026-01-01T02:00:00Z")
    )
    item = load(content_copy).get("news", "x")
    assert item.date == dt.datetime(2026, 1, 1, 10, 0, tzinfo=SHANGHAI)


def test_a_valid_station_reads_into_the_model(content_copy):
    write(content_copy, "stations/x.md", STATION)
    station = load(content_copy).get("stations", "x")
    assert isinstance(station, Station)
    assert (station.location.lat, station.location.lng) == (22.6301, 114.0652)
    assert station.hours == ["mon-sun 00:00-24:00"]
    assert station.source == "stations/x.md"
    assert station.body == "正文。\n"


def test_byte_order_mark_and_crlf_are_accepted(content_copy):
    write(content_copy, "news/x.md", "\ufeff" + NEWS.replace("\n", "\r\n"))
    content = load(content_copy)
    assert content.problems == []
    assert content.get("news", "x").title == "测试新闻"


def test_unpublished_entries_are_read_but_not_live(now):
    content = load(DATA / "content")
    live = {e.slug for e in content.live("news", now)}
    for slug in ("secret-draft-plan", "secret-review-note", "secret-scheduled-notice"):
        assert content.get("news", slug) is not None
        assert slug not in live
    assert "early-bird-2026" in live  # publish_at already passed
    later = now + dt.timedelta(days=7)
    assert "secret-scheduled-notice" in {e.slug for e in content.live("news", later)}


def test_write_atomic_replaces_the_file_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "news" / "x.md"
    write_atomic(target, "第一版\n".encode())
    write_atomic(target, "第二版\n".encode())
    assert target.read_text(encoding="utf-8") == "第二版\n"
    assert os.listdir(target.parent) == ["x.md"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "x.md"
    target.write_bytes(b"old\n")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["x.md"]


def test_check_command_fails_on_a_broken_copy(content_copy):
    write(content_copy, "stations/x.md", STATION.replace("lat: 22.6301", "lat: 222.1"))
    result = subprocess.run(
        [
            sys.executable,
            "build.py",
            "check",
            "--content",
            str(content_copy),
            "--now",
            "2026-11-25T12:00:00+08:00",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "content/stations/x.md:7: location.lat 222.1 is not a latitude" in result.stderr


def test_check_command_passes_on_the_test_content():
    result = subprocess.run(
        [
            sys.executable,
            "build.py",
            "check",
            "--content",
            str(DATA / "content"),
            "--now",
            "2026-11-25T12:00:00+08:00",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
