"""List, search, filter and edit pages work over 10,000 entries (tests never time them)."""

from __future__ import annotations

from .conftest import FORM_NEWS_TEMPLATE


def test_ten_thousand_news_list_search_and_filter(content_copy, as_role):
    for number in range(10_000):
        text = FORM_NEWS_TEMPLATE.format(number=number)
        (content_copy / "news" / f"bulk-{number:05d}.md").write_text(text, encoding="utf-8")
    editor = as_role("editor")
    editor.get("/admin/news/")  # the first request reads every file once
    for url in [
        "/admin/news/",
        "/admin/news/?page=150",
        "/admin/news/?search=第9876号",
        "/admin/news/?flt0_0=draft&sort=2&desc=1",
        "/admin/news/edit/?id=bulk-04242",
    ]:
        response = editor.get(url)
        assert response.status_code == 200, url
    assert "bulk-09876" in editor.get("/admin/news/?search=第9876号").get_data(as_text=True)
