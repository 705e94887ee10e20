"""Traversal through slugs, ids, media names and references: nothing leaves its root.

Each test snapshots the whole temporary folder (the parent of the content root, which also
holds the instance folder and the build output) before and after, and plants a secret file
beside the content root: no response may show it, no file outside the roots may change.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from cms.content import load, resolve_inside, writer
from cms.content.fields import SLUG_RE
from cms.content.media import MediaError, delete_media, store_upload
from cms.publish.build import Builder, BuildError

from .conftest import changes, snapshot

SECRET = "SECRET-5f1c9e"
TRAVERSALS = [
    "../secret", "../../secret", "../secret.md", "..%2fsecret", "%2e%2e%2fsecret",
    "%252e%252e%252fsecret", "..\\secret", "..\\..\\secret", "/etc/passwd", "/tmp/secret",
    "....//secret", "..;/secret", "news/../../secret", "./../secret", "~/secret",
    "secret\x00.md", "C:\\secret", "\\\\server\\share\\secret", "CON", "NUL", "con", "nul.md",
    "aux", "com1", "lpt1.txt", "media/../../secret", "media/../secret.md",
    "media/2025/../../../secret", "media/%2e%2e/%2e%2e/secret", "//etc/passwd", "file:///etc/passwd",
]  # fmt: skip
KINDS = ("news", "activities", "stations", "pages")


@pytest.fixture
def planted(content_copy: Path) -> Path:
    """A secret file beside the content root, and one inside the media folder's parent."""
    (content_copy.parent / "secret").write_text(SECRET)
    (content_copy.parent / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n")
    (content_copy / "secret.md").write_text(SECRET)
    return content_copy.parent


def _outside(changed: list[str], *roots: Path) -> list[str]:
    inside = tuple(str(root) for root in roots)
    return [path for path in changed if not path.startswith(inside)]


def test_admin_refuses_traversal_in_every_slug_id_and_reference(planted, content_copy, as_role):
    editor = as_role("editor")
    instance = planted / "instance"
    before = snapshot(planted)
    version = load(content_copy).get("news", "plenary-2026").version
    for value in TRAVERSALS:
        for kind in KINDS:
            base = f"/admin/{kind}"
            responses = [
                editor.post(f"{base}/new/", {"slug": value, "title": "t", "name": "t"}),
                editor.get(f"{base}/edit/", query_string={"id": value}),
                editor.get(f"{base}/history/", query_string={"id": value}),
                editor.get(f"{base}/revision/", query_string={"id": value, "rev": value}),
                editor.get(f"{base}/revision/", query_string={"id": "plenary-2026", "rev": value}),
                editor.get(f"{base}/preview/", query_string={"id": value}),
                editor.post(f"{base}/delete/", {"id": value, "version": version}),
                editor.post(f"{base}/restore/", {"id": value, "rev": value}),
                editor.post(f"{base}/restore/", {"id": "plenary-2026", "rev": value}),
            ]
            for response in responses:
                assert response.status_code < 500, (kind, value)
                assert SECRET not in response.get_data(as_text=True), (kind, value)
        news = {"title": "封面", "date": "2026-11-20T09:30", "category": "work", "cover": value}
        page = editor.post("/admin/news/new/", {**news, "slug": "cover-test"})
        assert not (content_copy / "news" / "cover-test.md").exists(), value
        assert "请从媒体库选择图片" in page.get_data(as_text=True), value
        for response in (
            editor.post("/admin/media/delete/", {"ref": value}),
            editor.post("/admin/ledger/apply/", {"token": value}),
            editor.get("/admin/site/" + value.lstrip("/")),
            editor.get("/admin/site/media/" + value),
        ):
            assert response.status_code in (302, 308, 400, 404), value
            if response.status_code == 308:  # the public app adds a trailing slash
                assert response.location.startswith("/admin/site/"), value
            assert SECRET not in response.get_data(as_text=True), value
            response.close()
    changed = changes(before, snapshot(planted))
    assert _outside(changed, content_copy, instance) == []
    assert (planted / "secret").read_text() == SECRET
    # Slugs such as "con" and "nul" are names like any other here (Linux); they stay inside.
    assert all(not Path(p).is_relative_to(content_copy / "media") for p in changed)


def test_uploaded_file_names_never_become_paths(planted, content_copy, as_role):
    writer_ = as_role("writer")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 0)).save(out, "PNG")
    before = snapshot(planted)
    for name in [*TRAVERSALS, "../../../../../../tmp/x.png", "a/../../b.png", "媒体.png"]:
        response = writer_.post(
            "/admin/media/upload/",
            {"files": (io.BytesIO(out.getvalue()), name)},
            headers={"Accept": "application/json"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, name
        (stored,) = response.json["stored"]
        assert stored["ref"].startswith("media/2026/") and ".." not in stored["ref"]
    changed = changes(before, snapshot(planted))
    outside_media = [p for p in changed if not p.startswith(str(content_copy / "media"))]
    assert [p for p in outside_media if not p.startswith(str(planted / "instance"))] == []


def test_content_layer_refuses_paths_out_of_its_roots(planted, content_copy):
    media = content_copy / "media"
    before = snapshot(planted)
    for value in TRAVERSALS:
        for kind in (*KINDS, "../news", "news/..", ".history"):
            if kind in KINDS and SLUG_RE.match(value):  # "con", "nul", "aux": plain names here
                path = writer.entry_path(content_copy, kind, value)
                assert path.resolve().parent == (content_copy / kind).resolve()
                continue
            with pytest.raises(ValueError):
                writer.entry_path(content_copy, kind, value)
            with pytest.raises(ValueError):
                writer.save(content_copy, kind, value, "---\ntitle: x\n---\n", None, "t")
            with pytest.raises((ValueError, KeyError)):
                writer.revision_text(content_copy, kind, "plenary-2026", value)
        assert resolve_inside(media, value) is None, value
        assert resolve_inside(media, value.removeprefix("media/")) is None, value
        assert load(content_copy).media_file(value) is None, value
        with pytest.raises(MediaError):
            delete_media(load(content_copy), value)
    ref = store_upload(media, "../../../secret.png", _png(), dt.datetime(2026, 11, 25))
    assert (media / ref.removeprefix("media/")).is_file()
    changed = changes(before, snapshot(planted))
    assert [p for p in changed if not p.startswith(str(media))] == []


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return out.getvalue()


def test_builds_freeze_only_into_their_release(planted, content_copy, now):
    """Device-like names build inside the release; traversal references build nothing."""
    output = planted / "out" / "site"
    output.parent.mkdir()
    for slug in ("con", "nul", "aux", "com1"):
        text = (
            f"---\ntitle: {slug}\ndate: 2026-11-20T09:30:00+08:00\ncategory: work\n"
            f"tags: [{slug}, '...', 'CON.md', 'NUL']\nstatus: published\n---\n正文\n"
        )
        writer.save(content_copy, "news", slug, text, None, "test")
    before = snapshot(planted)
    # A builder that lives on runs the work after the switch (caches, the next spare copy) in
    # a thread it can wait for, so that work is inside the snapshot too.
    builder = Builder(content_copy, output)
    builder.build(now=now)
    builder.wait()
    release = output.resolve()
    changed = changes(before, snapshot(planted))
    changed.remove(str(output.parent))  # the folder that holds the link and the releases
    assert (
        _outside(
            _not_history(changed, content_copy), release, output, output.parent / "site.releases"
        )
        == []
    )
    assert (release / "news" / "con" / "index.html").is_file()
    assert (release / "news" / "tag" / "..." / "index.html").is_file()

    lines = [f"![x]({ref})" for ref in TRAVERSALS if "\x00" not in ref]
    lines += [f"[x]({ref})" for ref in TRAVERSALS if "\x00" not in ref]
    text = (
        "---\ntitle: 路径\ndate: 2026-11-20T09:30:00+08:00\ncategory: work\n"
        "status: published\n---\n" + "\n\n".join(["正文", *lines]) + "\n"
    )
    writer.save(content_copy, "news", "paths", text, None, "test")
    before = snapshot(planted)
    with pytest.raises(BuildError, match="broken link"):
        builder.build(now=now)
    changed = _not_history(changes(before, snapshot(planted)), content_copy)
    assert _outside(changed, output.parent / "site.releases") == []  # its scratch and cache
    assert output.resolve() == release  # the live site is the one before
    assert not any(SECRET in p.read_text(errors="replace") for p in _files(planted / "out"))


def _not_history(changed: list[str], content: Path) -> list[str]:
    """Leave out the content repository: a build records what it publishes there (外部修改)."""
    history = str(content / ".git")
    return [p for p in changed if p != history and not p.startswith(history + "/")]


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
