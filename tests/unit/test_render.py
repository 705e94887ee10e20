"""Markdown rendering: what a browser receives from an entry body."""

from __future__ import annotations

import lxml.html
import pytest

from cms.render import BrokenLink, LinkError, Rendered, render_markdown

PUBLIC = {
    "../stations/bantian-care-01.md": "/stations/bantian-care-01/",
    "news/plenary.md": "/news/plenary/",
    "/news/plenary/": "/news/plenary/",
    "media/2021/a.jpg": "/media/2021/a.jpg",
    "../media/2021/a.jpg": "/media/2021/a.jpg",
}


def resolve(ref: str) -> str:
    try:
        return PUBLIC[ref]
    except KeyError:
        raise LinkError(f"{ref} is not a published entry") from None


def render(text: str) -> lxml.html.HtmlElement:
    rendered, _ = render_markdown(text, resolve)
    return lxml.html.fragment_fromstring(rendered.html, create_parent="div")


def hrefs(root: lxml.html.HtmlElement) -> list[str | None]:
    return [a.get("href") for a in root.iter("a")]


@pytest.mark.parametrize(
    ("source", "gone"),
    [
        ("hi <script>alert(1)</script>", "script"),
        ('<iframe src="https://evil.example/"></iframe>', "iframe"),
        ("<style>body { display: none }</style>", "style"),
        ('<svg onload="alert(1)"><circle r="4"/></svg>', "svg"),
        ('<object data="x.swf"></object>', "object"),
        ('<embed src="x.swf">', "embed"),
        ('<form action="/steal"><input name="pw"></form>', "form"),
        ('<form action="/steal"><input name="pw"></form>', "input"),
    ],
)
def test_dangerous_raw_html_is_removed(source: str, gone: str) -> None:
    root = render(f"text\n\n{source}\n\nmore")
    assert root.findall(f".//{gone}") == []
    assert "alert" not in lxml.html.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    "source",
    [
        '<p onclick="alert(1)">x</p>',
        '<img src="media/2021/a.jpg" onerror="alert(1)">',
        'a paragraph\n{: onclick="alert(1)" }',
        '## heading {: onmouseover="alert(1)" }',
        '![a](media/2021/a.jpg){: onload="alert(1)" }',
        '[a](news/plenary.md){: onfocus="alert(1)" style="color: red" }',
    ],
)
def test_event_handler_and_style_attributes_are_removed(source: str) -> None:
    root = render(source)
    for el in root.iter():
        assert not [name for name in el.attrib if name.startswith("on") or name == "style"]


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_script_urls_lose_their_href(target: str) -> None:
    root = render(f"[click]({target}) and [ref][x]\n\n[x]: {target}")
    assert hrefs(root) == [None, None]


def test_data_url_images_lose_their_src() -> None:
    root = render("![x](data:image/svg+xml;base64,PHN2Zz4=)")
    assert root.find(".//img").get("src") is None


def test_raw_html_script_link_loses_its_href() -> None:
    root = render('<a href="javascript:alert(1)">x</a>')
    assert hrefs(root) == [None]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("mailto:union@example.org", "mailto:union@example.org"),
        ("tel:0755-12345678", "tel:0755-12345678"),
        ("https://www.example.org/a?b=1&c=2", "https://www.example.org/a?b=1&c=2"),
        ("http://example.org/", "http://example.org/"),
        ("//cdn.example.org/x", "//cdn.example.org/x"),
        ("#活动安排", "#活动安排"),
    ],
)
def test_external_links_are_kept_as_written(target: str, expected: str) -> None:
    rendered, broken = render_markdown(f"[x]({target})", resolve)
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    assert hrefs(root) == [expected]
    assert rendered.links == ()
    assert broken == []


def test_email_autolink_is_a_mailto_link_not_an_internal_one() -> None:
    rendered, broken = render_markdown("写信 <union@example.org>", resolve)
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    assert hrefs(root) == ["mailto:union@example.org"]
    assert (rendered.links, broken) == ((), [])


def test_links_get_rel_noopener() -> None:
    root = render("[a](https://example.org/) [b](news/plenary.md)")
    assert [a.get("rel") for a in root.iter("a")] == ["noopener noreferrer"] * 2


@pytest.mark.parametrize(
    ("source", "level", "anchor", "text"),
    [
        ("## 活动安排", 2, "活动安排", "活动安排"),
        ("### 服务时间与地点", 3, "服务时间与地点", "服务时间与地点"),
        ("## Opening Hours", 2, "opening-hours", "Opening Hours"),
        ("## 夏送清凉 & 慰问", 2, "夏送清凉-慰问", "夏送清凉 & 慰问"),
        ("## 自定义 {: #custom }", 2, "custom", "自定义"),
    ],
)
def test_headings_keep_unicode_ids(source: str, level: int, anchor: str, text: str) -> None:
    rendered, _ = render_markdown(source)
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    heading = root.find(f"h{level}")
    assert (heading.get("id"), heading.text_content()) == (anchor, text)
    assert rendered.toc == [(level, anchor, text)]


def test_h1_in_the_body_becomes_h2() -> None:
    rendered, _ = render_markdown("# 区总工会\n\n正文")
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    assert root.findall(".//h1") == []
    assert root.find("h2").get("id") == "区总工会"
    assert rendered.toc == [(2, "区总工会", "区总工会")]


def test_toc_lists_h2_to_h4_in_document_order() -> None:
    source = "# 标题\n## 活动安排\n### 上午\n#### 签到\n##### 细节\n## 活动安排\n"
    rendered, _ = render_markdown(source)
    assert rendered.toc == [
        (2, "标题", "标题"),
        (2, "活动安排", "活动安排"),
        (3, "上午", "上午"),
        (4, "签到", "签到"),
        (2, "活动安排_1", "活动安排"),
    ]


def test_tables_render_with_alignment() -> None:
    root = render("| 站点 | 数量 |\n|:---|---:|\n| 坂田 | 12 |\n")
    assert [th.text for th in root.iter("th")] == ["站点", "数量"]
    assert [td.get("align") for td in root.iter("td")] == ["left", "right"]


def test_fenced_code_keeps_its_language_class() -> None:
    root = render("```python\nprint('<b>hi</b>')\n```")
    code = root.find("pre/code")
    assert code.get("class") == "language-python"
    assert code.text == "print('<b>hi</b>')\n"


def test_chinese_emphasis_renders() -> None:
    root = render("这是**重点**内容")
    assert root.find("p/strong").text == "重点"


@pytest.mark.parametrize(
    ("source", "tag", "attr", "expected"),
    [
        ("[站点](../stations/bantian-care-01.md)", "a", "href", "/stations/bantian-care-01/"),
        ("[新闻](news/plenary.md)", "a", "href", "/news/plenary/"),
        ("[新闻](/news/plenary/)", "a", "href", "/news/plenary/"),
        ("[新闻][n]\n\n[n]: news/plenary.md", "a", "href", "/news/plenary/"),
        ("![图](media/2021/a.jpg)", "img", "src", "/media/2021/a.jpg"),
        ("![图](../media/2021/a.jpg)", "img", "src", "/media/2021/a.jpg"),
    ],
)
def test_internal_references_are_rewritten(source: str, tag: str, attr: str, expected: str) -> None:
    rendered, broken = render_markdown(source, resolve)
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    assert root.find(f".//{tag}").get(attr) == expected
    assert broken == []
    assert len(rendered.links) == 1


def test_internal_references_are_left_alone_without_a_resolver() -> None:
    rendered, broken = render_markdown("[a](news/plenary.md) ![b](media/2021/a.jpg)")
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    assert hrefs(root) == ["news/plenary.md"]
    assert root.find(".//img").get("src") == "media/2021/a.jpg"
    assert rendered.links == ("news/plenary.md", "media/2021/a.jpg")
    assert broken == []


def test_broken_reference_is_reported_with_its_line_and_loses_its_href() -> None:
    source = "## 活动安排\n\n详见[站点](../stations/gone.md)。\n\n![图](media/2021/a.jpg)\n"
    rendered, broken = render_markdown(source, resolve)
    root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
    assert hrefs(root) == [None]
    assert root.find(".//a").text == "站点"
    assert rendered.links == ("../stations/gone.md", "media/2021/a.jpg")
    assert broken == [
        BrokenLink("../stations/gone.md", 3, "../stations/gone.md is not a published entry")
    ]


def test_each_call_starts_fresh() -> None:
    first, _ = render_markdown("## 活动安排\n[a](news/plenary.md)", resolve)
    second, _ = render_markdown("## 活动安排", resolve)
    assert second.toc == [(2, "活动安排", "活动安排")]
    assert second.links == ()
    assert first.html != second.html


def test_result_is_a_rendered_value() -> None:
    rendered, broken = render_markdown("")
    assert rendered == Rendered(html="", toc=[], links=())
    assert broken == []
