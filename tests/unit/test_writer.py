"""Saving entries: round trip, compare-and-swap, revisions, restore, validation."""

from __future__ import annotations

import dataclasses

import pytest

from cms.content import load, writer


def _text(root, kind, slug):
    return (root / kind / f"{slug}.md").read_text(encoding="utf-8")


def test_dump_round_trips_every_demo_entry(content_copy):
    content = load(content_copy)
    for bucket in content.entries.values():
        for entry in bucket.values():
            text = writer.dump(entry.kind, writer.fields_of(entry), entry.body)
            assert writer.validate(content_copy, entry.kind, entry.slug, text) == []
            (content_copy / entry.source).write_text(text, encoding="utf-8")
    again = load(content_copy)
    for kind, bucket in content.entries.items():
        for slug, entry in bucket.items():
            same = dataclasses.replace(again.entries[kind][slug], version=entry.version)
            assert same == entry, f"{kind}/{slug} changed on round trip"


def test_stale_save_is_refused_and_overwrites_nothing(content_copy):
    entry = next(iter(load(content_copy).entries["news"].values()))
    first = writer.save(content_copy, "news", entry.slug, _text(content_copy, "news", entry.slug)
                        + "\n第一位编辑的补充。\n", entry.version, "alice")
    with pytest.raises(writer.Conflict) as caught:
        writer.save(content_copy, "news", entry.slug, _text(content_copy, "news", entry.slug)
                    + "\n第二位编辑的补充。\n", entry.version, "bob")
    assert caught.value.current_version == first
    assert "第一位编辑的补充" in caught.value.current_text
    assert "第一位编辑的补充" in _text(content_copy, "news", entry.slug)


def test_create_refuses_an_existing_slug(content_copy):
    entry = next(iter(load(content_copy).entries["news"].values()))
    with pytest.raises(writer.Conflict):
        writer.save(content_copy, "news", entry.slug, _text(content_copy, "news", entry.slug),
                    None, "alice")


def test_invalid_text_is_refused_with_field_and_line(content_copy):
    entry = next(iter(load(content_copy).entries["stations"].values()))
    text = _text(content_copy, "stations", entry.slug).replace("lat: ", "lat: 2", 1)
    before = _text(content_copy, "stations", entry.slug)
    with pytest.raises(writer.InvalidEntry) as caught:
        writer.save(content_copy, "stations", entry.slug, text, entry.version, "alice")
    assert "location.lat" in str(caught.value)
    assert _text(content_copy, "stations", entry.slug) == before


def test_every_save_is_a_revision_and_restore_brings_text_back(content_copy):
    entry = next(iter(load(content_copy).entries["pages"].values()))
    original = _text(content_copy, "pages", entry.slug)
    v1 = writer.save(content_copy, "pages", entry.slug, original + "\n改动一\n", entry.version, "a")
    v2 = writer.save(content_copy, "pages", entry.slug, original + "\n改动二\n", v1, "b")
    revisions = writer.history(content_copy, "pages", entry.slug)
    # the version on disk before the first save is the first revision
    assert [r.author for r in revisions] == ["b", "a", "外部修改"]
    writer.restore(content_copy, "pages", entry.slug, revisions[1].id, v2, "c")
    assert _text(content_copy, "pages", entry.slug) == original + "\n改动一\n"
    assert writer.history(content_copy, "pages", entry.slug)[0].action == "restore"
    first = writer.history(content_copy, "pages", entry.slug)[-1]
    assert writer.revision_text(content_copy, "pages", entry.slug, first.id) == original


def test_delete_keeps_the_last_text_in_history(content_copy):
    entry = next(iter(load(content_copy).entries["news"].values()))
    text = _text(content_copy, "news", entry.slug)
    writer.delete(content_copy, "news", entry.slug, entry.version, "editor")
    assert not (content_copy / entry.source).exists()
    assert writer.history(content_copy, "news", entry.slug)[0].action == "delete"
    assert load(content_copy).get("news", entry.slug) is None
    writer.save(content_copy, "news", entry.slug, text, None, "editor")
    assert load(content_copy).get("news", entry.slug).version == entry.version


@pytest.mark.parametrize("slug", ["../etc/passwd", "a/b", "NUL", "", "x" * 81, "con\n"])
def test_paths_outside_the_content_root_are_refused(content_copy, slug):
    with pytest.raises(ValueError):
        writer.save(content_copy, "news", slug, "---\ntitle: x\n---\n", None, "a")
