"""Every phone number a reader sees in the built demo site can be tapped, and the footer
carries the hotline, the address and the site's 备案 records."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

# Broader than the renderer's rule on purpose: any landline, mobile, 400 or 12xxx number.
PHONE = re.compile(r"(?<![\d.])(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|12\d{3}|400-?\d{3}-?\d{4})(?!\d)")


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.resolve().rglob("*.html") if "pagefind" not in p.parts)


def test_every_phone_number_in_the_demo_is_a_tel_link(demo_site):
    untapped, tapped = [], 0
    for page in pages(demo_site):
        tree = lxml.html.fromstring(page.read_bytes())
        for text in tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"):
            owner = text.getparent()
            if text.is_tail:
                owner = owner.getparent()
            in_link = owner is not None and owner.xpath(
                "ancestor-or-self::a[starts-with(@href, 'tel:')]"
            )
            for found in PHONE.finditer(text):
                if in_link:
                    tapped += 1
                else:
                    untapped.append(
                        (page.relative_to(demo_site.resolve()).as_posix(), found.group())
                    )
    assert untapped == []
    assert tapped > 100  # stations, posters, activities, the contact page and every footer


def test_contact_page_links_the_hotlines_in_its_body(demo_site):
    tree = lxml.html.fromstring((demo_site / "contact" / "index.html").read_bytes())
    links = tree.xpath("//div[contains(@class, 'prose')]//a[starts-with(@href, 'tel:')]/@href")
    assert {"tel:12351", "tel:075528900000", "tel:075528900012"} <= set(links)
    labels = tree.xpath("//div[contains(@class, 'prose')]//td/@data-label")
    assert {"热线", "号码"} <= set(labels)


def test_footer_has_hotline_address_and_records(demo_site):
    tree = lxml.html.fromstring((demo_site / "news" / "index.html").read_bytes())
    (footer,) = tree.xpath("//footer[@class='site-footer']")
    assert footer.xpath(".//a[@href='tel:12351']/text()") == ["12351"]
    assert "深圳市龙岗区龙城街道" in footer.text_content()
    icp = footer.xpath(".//a[@href='https://beian.miit.gov.cn/']")
    assert [a.text_content() for a in icp] == ["粤ICP备00000000号-1"]
    police = footer.xpath(".//a[starts-with(@href, 'https://beian.mps.gov.cn/')]")
    assert police[0].get("href").endswith("code=44030702000000")
    assert police[0].text_content() == "粤公网安备 44030702000000号"
