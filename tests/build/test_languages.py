"""site.yml's language chooses the theme's words and date formats; Chinese is the default."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import icalendar
import lxml.html
import pytest
from babel.messages.pofile import read_po

from cms.content import load
from cms.public.app import create_app
from cms.publish.build import build
from tests.conftest import DEMO, NOW, SHANGHAI
from tests.web.test_numbers import expected, tables

CATALOGUES = Path(__file__).resolve().parents[2] / "themes/default/translations"
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _set_language(root: Path, language: str | None) -> None:
    site_yml = root / "site.yml"
    lines = site_yml.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("language:")]
    if language:
        lines.insert(1, f"language: {language}")
    site_yml.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def en_content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("en") / "content"
    shutil.copytree(DEMO, root)
    _set_language(root, "en")
    return root


@pytest.fixture(scope="module")
def en_site(en_content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("en-site") / "site"
    build(en_content, out, now=NOW)
    return out


def html(site: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / name).read_bytes())


def test_pages_say_they_are_english(en_site):
    home = html(en_site, "index.html")
    assert home.get("lang") == "en"
    assert home.xpath("string(//meta[@property='og:locale']/@content)") == "en"
    assert home.xpath("string(//a[@class='skip-link'])") == "Skip to content"
    assert home.xpath("//nav[@aria-label='Main navigation']")
    footer = home.xpath("string(//footer//p[@class='subscribe'])")
    assert footer.startswith("Subscribe:") and "Activity calendar" in footer
    assert home.xpath("string(//h2[@id='latest-news'])") == "News"
    assert "Stations near me" in home.xpath("string(//button[@id='near-me'])")


def test_dates_follow_the_language(en_site, en_content):
    news = load(en_content).live("news", NOW)[0]
    day = news.date.astimezone(SHANGHAI)
    tree = html(en_site, f"news/{news.slug}/index.html")
    shown = tree.xpath("string(//article//p[@class='meta']/time)")
    assert shown == f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_activity_page_uses_english_labels_and_times(en_site, en_content):
    act = load(en_content).live("activities", NOW)[-1]
    start = act.starts_at.astimezone(SHANGHAI)
    tree = html(en_site, f"activities/{act.slug}/index.html")
    terms = [dt.text_content() for dt in tree.xpath("//dl[@class='facts']/dt")]
    assert terms[0] == "When"
    when = tree.xpath("string(//dl[@class='facts']/dd[1]/time)")
    assert when.startswith(f"{start:%a} {start.day} {MONTHS[start.month - 1]} {start.year}, ")
    assert tree.xpath("string(//span[contains(@class, 'state')])") in {
        "Open for registration",
        "Full",
        "Registration closed",
        "Ended",
    }


def test_station_page_hours_and_directions_are_english(en_site, en_content):
    station = load(en_content).live("stations", NOW)[0]
    tree = html(en_site, f"stations/{station.slug}/index.html")
    terms = [dt.text_content() for dt in tree.xpath("//dl[@class='facts']/dt")]
    assert "Opening hours" in terms and "Address" in terms
    hours = tree.xpath("string(//ul[@class='hours'])")
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)", hours), hours
    links = [a.text_content() for a in tree.xpath("//ul[@class='nav-links']//a")]
    assert links == [
        "Directions in AMap",
        "Directions in Baidu Maps",
        "Directions in Tencent Maps",
        "Phone",
    ]


def test_finder_scripts_get_their_words_from_the_catalogue(en_site):
    tree = html(en_site, "stations/index.html")
    messages = json.loads(tree.xpath("string(//script[@id='ui-messages'])"))
    assert messages["营业中"] == "Open now"
    assert messages["%(n)s 公里"] == "%(n)s km"


def test_numbers_page_is_english_with_the_same_figures(en_site):
    tree = html(en_site, "numbers/index.html")
    shown = tables(tree)
    counts = expected(DEMO)
    brands = shown[f"Activities held in {NOW.year} by programme"]
    assert {k: int(v) for k, v in brands.items()} == counts["brand"]
    plan = shown[f"Activities held in {NOW.year} against the target"]
    assert int(plan["Activities held"]) == counts["held"]
    assert "Yearly target" in plan
    descs = " ".join(tree.xpath("//svg/desc/text()"))
    assert f"activities held in {NOW.year} against a yearly target of 1500" in descs


def test_calendar_words_are_english(en_site):
    cal = icalendar.Calendar.from_ical((en_site / "activities/calendar.ics").read_bytes())
    assert str(cal["x-wr-calname"]).endswith("union activities")


def _ui_sentences(content: Path) -> list[str]:
    """Chinese UI messages of six characters or more that the content itself never uses."""
    with open(CATALOGUES / "en/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    written = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.[my][dm]*"))
    out = []
    for message in catalogue:
        # A plural message is (singular, plural): each form can show on a page.
        forms = message.id if isinstance(message.id, tuple) else (message.id or "",)
        for form in forms:
            text = re.sub(r"%\(\w+\)s|<[^>]+>", "", form)
            long_enough = len(re.findall(r"[\u4e00-\u9fff]", text)) >= 6
            if long_enough and "%(" not in form and form not in written:
                out.append(form)
    return out


def test_no_chinese_ui_sentence_is_left_on_any_english_page(en_site, en_content):
    sentences = _ui_sentences(en_content)
    assert len(sentences) > 10
    left = []
    for path in sorted(en_site.resolve().rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        left += [f"{path.name}: {s}" for s in sentences if s in text]
    assert not left


def test_chinese_is_the_default(content_copy):
    _set_language(content_copy, None)
    app = create_app(content_copy, now=NOW)
    assert app.extensions["yizhan"].site.language == "zh-CN"
    tree = lxml.html.fromstring(app.test_client().get("/news/plenary-2026/").data)
    assert tree.get("lang") == "zh-CN"
    assert tree.xpath("string(//a[@class='skip-link'])") == "跳到正文"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", tree.xpath("string(//p[@class='meta']/time)"))
    assert not tree.xpath("//script[@id='ui-messages']")
