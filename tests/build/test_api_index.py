"""/api/v1/ and /api/v1/index.json list the API's documents and schemas, and each one exists."""

from __future__ import annotations

import json

import lxml.html

from .test_site import BASE


def local(site, url: str):
    assert url.startswith(BASE + "/"), url
    return site / url[len(BASE) + 1 :]


def test_index_json_names_documents_and_schemas_that_exist(data_site):
    index = json.loads((data_site / "api/v1/index.json").read_bytes())
    urls = [d["url"] for d in index["documents"]]
    assert BASE + "/api/v1/activities.json" in urls
    for document in index["documents"]:
        if "{slug}" not in document["url"]:
            assert local(data_site, document["url"]).is_file(), document["url"]
        assert local(data_site, document["schema"]).is_file(), document["schema"]
        assert document["schema"] in index["schemas"]
    written = {p.name for p in (data_site / "api/v1/schema").iterdir()}
    assert {url.rsplit("/", 1)[1] for url in index["schemas"]} == written


def test_api_page_links_every_document_and_schema(data_site):
    tree = lxml.html.fromstring((data_site / "api/v1/index.html").read_bytes())
    links = set(tree.xpath("//main//a/@href"))
    for name in ("site.json", "news.json", "activities.json", "stations.geojson", "index.json"):
        assert f"/union/api/v1/{name}" in links, name
    for schema in (data_site / "api/v1/schema").iterdir():
        assert f"/union/api/v1/schema/{schema.name}" in links
