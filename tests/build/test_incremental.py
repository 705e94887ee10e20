"""An incremental build gives exactly the files a full build of the same content gives."""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import os
import random
import re
import shutil
import time
from pathlib import Path

import pytest

from cms.content import load
from cms.publish.build import Builder, BuildError, build
from cms.publish.cache import BuildCache
from cms.publish.releases import Releases
from tests.build.indexed import FOLDER, fragments, outside_index
from tests.conftest import DEMO, NOW


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (following the ``site`` link) with its bytes; the search
    index, whose bytes Pagefind does not reproduce, as what each of its results shows; and
    every folder."""
    root = root.resolve()
    files = {}
    for folder, _, names in os.walk(root):
        files[Path(folder).relative_to(root).as_posix() + "/"] = b"(folder)"
        for name in names:
            path = Path(folder) / name
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    files = outside_index(files)
    for url, fragment in (fragments(root) if (root / FOLDER).is_dir() else {}).items():
        files[f"{FOLDER}{url}"] = json.dumps(fragment, sort_keys=True).encode()
    return files


def _set_field(path: Path, field: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    if not count:
        text = text.replace("\n---\n", f"\n{field}: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def _published(root: Path, kind: str) -> list[Path]:
    content = load(root)
    return sorted(
        root / e.source
        for e in content.entries[kind].values()
        if e.status == "published" and e.publish_at is None
    )


def edit_body(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, rng.choice(["news", "activities", "stations", "pages"])))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n补充段落 {rng.randrange(10**6)}。\n")
    return f"edit body of {path.name}"


def _images(root: Path) -> list[Path]:
    return sorted((root / "media").rglob("*.jpg"))


def picture_in_body(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, rng.choice(["news", "activities"])))
    image = rng.choice(_images(root)).relative_to(root).as_posix()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n![现场 {rng.randrange(10**6)}](../{image})\n")
    return f"picture in the body of {path.name}"


def replace_image(rng: random.Random, root: Path) -> str:
    """An editor uploads a new photo under an old name: its renditions are named anew."""
    images = _images(root)
    target, source = rng.sample(images, 2) if len(images) > 1 else (images[0], images[0])
    data = source.read_bytes()
    target.write_bytes(data + bytes(rng.randrange(1, 200)))  # trailing bytes: a new file digest
    return f"replace {target.name}"


def retag_news(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "news"))
    tags = rng.sample(["工会驿站", "女职工", "法律援助", "技能竞赛", "新标签", "夏送清凉"], 2)
    _set_field(path, "tags", f"[{', '.join(tags)}]")
    return f"retag {path.name} {tags}"


def rebrand_activity(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "activities"))
    brand = rng.choice(["contest", "training", "care", "culture"])
    _set_field(path, "brand", brand)
    return f"rebrand {path.name} as {brand}"


def retitle_page(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "pages"))
    _set_field(path, "title", f"页面标题 {rng.randrange(10**6)}")
    return f"retitle {path.name}"


def rename_station(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "stations"))
    _set_field(path, "name", f"改名驿站 {rng.randrange(10**6)}")
    return f"rename {path.name}"


def add_activity(rng: random.Random, root: Path) -> str:
    slug = f"added-activity-{rng.randrange(10**6)}"
    day = rng.randint(10, 28)
    (root / "activities" / f"{slug}.md").write_text(
        f"---\ntitle: 新增活动 {slug}\nstarts_at: 2026-12-{day}T09:00:00+08:00\n"
        f"ends_at: 2026-12-{day}T11:00:00+08:00\nbrand: {rng.choice(['care', 'culture'])}\n"
        "street: buji\nvenue: 布吉街道职工之家\nstatus: published\n---\n活动内容。\n",
        encoding="utf-8",
    )
    return f"add {slug}"


def resummarise(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "news"))
    _set_field(path, "summary", f"新的摘要 {rng.randrange(10**6)}")
    return f"new summary for {path.name}"


def retitle_news(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "news"))
    _set_field(path, "title", f"改过的标题 {rng.randrange(10**6)}")
    return f"retitle {path.name}"


def redate_news(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "news"))
    _set_field(
        path,
        "date",
        f"20{rng.randint(21, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T10:00:00+08:00",
    )
    return f"redate {path.name}"


def add_news(rng: random.Random, root: Path) -> str:
    slug = f"added-{rng.randrange(10**6)}"
    tags = rng.sample(["工会驿站", "女职工", "法律援助", "技能竞赛", "新标签"], 2)
    (root / "news" / f"{slug}.md").write_text(
        f"---\ntitle: 新增新闻 {slug}\ndate: 2026-0{rng.randint(1, 9)}-15T10:00:00+08:00\n"
        f"category: work\ntags: [{', '.join(tags)}]\nsummary: 摘要\nstatus: published\n---\n"
        "## 正文\n\n内容。\n",
        encoding="utf-8",
    )
    return f"add {slug}"


def unpublish(rng: random.Random, root: Path) -> str:
    kind = rng.choice(["news", "stations"])
    candidates = [p for p in _published(root, kind) if not _linked_to(root, p)]
    if not candidates:
        return "nothing to unpublish"
    path = rng.choice(candidates)
    _set_field(path, "status", "draft")
    return f"unpublish {path.name}"


def delete_news(rng: random.Random, root: Path) -> str:
    candidates = [p for p in _published(root, "news") if not _linked_to(root, p)]
    path = rng.choice(candidates)
    path.unlink()
    return f"delete {path.name}"


def move_station(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "stations"))
    _set_field(
        path, "location", f"{{lat: 22.6{rng.randint(10, 99)}, lng: 114.1{rng.randint(10, 99)}}}"
    )
    return f"move {path.name}"


def add_station(rng: random.Random, root: Path) -> str:
    slug = f"new-station-{rng.randrange(10**6)}"
    (root / "stations" / f"{slug}.md").write_text(
        f"---\nname: 新驿站 {slug}\ntype: care-station\nstreet: buji\n"
        "address: 深圳市龙岗区布吉街道\n"
        "location: {lat: 22.605, lng: 114.118}\nhours: ['mon-sun 00:00-24:00']\n"
        "amenities: [water, charging]\nstatus: published\n---\n新建。\n",
        encoding="utf-8",
    )
    return f"add {slug}"


def fill_activity(rng: random.Random, root: Path) -> str:
    path = rng.choice(_published(root, "activities"))
    text = path.read_text(encoding="utf-8")
    if "registration:" not in text:
        return "no registration to change"
    capacity = re.search(r"capacity: (\d+)", text)
    # Never more than the places: that is a content problem, and this edit is a valid one.
    count = rng.randint(0, int(capacity.group(1)) if capacity else 200)
    path.write_text(re.sub(r"registered: \d+", f"registered: {count}", text), encoding="utf-8")
    return f"registered {count} in {path.name}"


def retheme_site(rng: random.Random, root: Path) -> str:
    path = root / "site.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("{label: 工作动态}", f"{{label: 工作动态{rng.randint(1, 9)}}}"),
        encoding="utf-8",
    )
    return "relabel a category in site.yml"


def _linked_to(root: Path, path: Path) -> bool:
    """Tell whether another file links to this entry (removing it would break the build)."""
    needle = f"{path.parent.name}/{path.name}"
    slug = path.stem
    for other in root.rglob("*.md"):
        text = other.read_text(encoding="utf-8")
        if other != path and (needle in text or f"station: {slug}\n" in text):
            return True
    return False


EDITS = [
    edit_body,
    edit_body,  # the most common edit, and the one a warm builder publishes fastest
    picture_in_body,
    resummarise,
    retitle_news,
    redate_news,
    add_news,
    unpublish,
    delete_news,
    move_station,
    add_station,
    fill_activity,
    retheme_site,
    replace_image,
    retag_news,
    rebrand_activity,
    retitle_page,
    rename_station,
    add_activity,
]


def random_edits(content: Path, tmp_path: Path, seed: int, steps: int) -> None:
    """Make ``steps`` random edits, building after each; every build must equal a full one."""
    rng = random.Random(seed)
    builder = Builder(content, tmp_path / "inc" / "site", jobs=1)
    first = builder.build(now=NOW)
    made = {first.release: tree(first.release)}
    done = []
    reused = 0
    for step in range(steps):
        done.append(rng.choice(EDITS)(rng, content))
        result = builder.build(now=NOW)
        reused += result.plan_reused
        made.setdefault(result.release, tree(result.release))
        fresh = tmp_path / f"full{step}" / "site"
        build(content, fresh, now=NOW, full=True, jobs=1)
        incremental, full = tree(builder.releases.link), tree(fresh)
        assert sorted(incremental) == sorted(full), done
        differing = [name for name in full if incremental[name] != full[name]]
        assert differing == [], done
        if "site.yml" not in done[-1]:  # settings show on every page: all is rendered then
            assert result.rendered < result.pages / 2, done  # it really was incremental
    print(f"\nseed {seed}: {done}; the last plan was brought up to date {reused} time(s)")
    # Later builds start from hard-linked copies of earlier releases: none was written through.
    for release, files in made.items():
        if release.exists():
            assert tree(release) == files, release.name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_build_exactly_what_a_full_build_builds(content_copy, tmp_path, seed):
    random_edits(content_copy, tmp_path, seed, steps=6)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_random_edits_of_the_demo_build_every_page_kind_as_a_full_build(tmp_path, seed):
    """The demo content has pages of every declared kind (test_page_kinds checks it)."""
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    random_edits(content, tmp_path, seed, steps=10)


PICTURE = "\n![图](../media/2025/x.jpg)\n"


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_a_warm_builder_brings_its_last_plan_up_to_date_only_when_it_may(content_copy, tmp_path):
    """Body edits reuse the builder's addresses and tokens; anything that other pages show
    (a summary, an author, a picture, a tag, the clock) plans again; and
    every build equals a full build of the same content."""
    news, training = content_copy / "news", content_copy / "activities/open-training-2026.md"
    steps = [
        ("news body", lambda: _append(news / "plenary-2026.md", "\n补充。\n"), True),
        ("same body again", lambda: _append(news / "plenary-2026.md", "\n再补充。\n"), True),
        ("activity body", lambda: _append(training, "\n补充。\n"), True),
        ("two bodies at once", lambda: [
            _append(news / "stations-network-2025.md", "\n补充。\n"),
            _append(news / "wage-arrears-2025.md", "\n补充。\n"),
        ], True),
        ("a picture", lambda: _append(news / "wage-arrears-2025.md", PICTURE), False),
        ("a summary", lambda: _set_field(news / "plenary-2026.md", "summary", "新的摘要"), False),
        # Shown by /api/v1/news.json only, among the pages of other addresses.
        ("an author", lambda: _set_field(news / "plenary-2026.md", "author", "新的作者"), False),
        ("a body after that", lambda: _append(news / "plenary-2026.md", "\n又补充。\n"), True),
        ("a tag", lambda: _set_field(news / "plenary-2026.md", "tags", "[新标签]"), False),
    ]  # fmt: skip
    builder = Builder(content_copy, tmp_path / "inc" / "site", jobs=1)
    builder.build(now=NOW)
    for number, (name, change, reusable) in enumerate(steps):
        change()
        result = builder.build(now=NOW)
        assert result.plan_reused is reusable, name
        fresh = tmp_path / f"full{number}" / "site"
        build(content_copy, fresh, now=NOW, full=True, jobs=1)
        incremental, full = tree(builder.releases.link), tree(fresh)
        assert sorted(incremental) == sorted(full), name
        assert [n for n in full if incremental[n] != full[n]] == [], name
    # The clock moving on changes activity states: the plan is made again.
    later = builder.build(now=NOW + dt.timedelta(days=400))
    assert later.plan_reused is False


def _settled(live: Path) -> None:
    """Wait for what a one-shot build leaves to a detached process: the cache, then the spare."""
    releases = Releases(live)
    deadline = time.monotonic() + 60
    while not releases.spare_for(releases.current()).is_dir():
        assert time.monotonic() < deadline, "the work after the switch never finished"
        time.sleep(0.05)


def test_a_fresh_process_brings_the_saved_plan_up_to_date(content_copy, tmp_path):
    """Each `build.py build` is a new process: it reads the last plan back with the cache,
    reuses it after a body edit, plans again after a summary edit, and every build equals a
    full build of the same content."""
    live, news = tmp_path / "inc" / "site", content_copy / "news" / "plenary-2026.md"
    steps = [
        ("news body", lambda: _append(news, "\n补充。\n"), True),
        ("a summary", lambda: _set_field(news, "summary", "新的摘要"), False),
        ("body after the new plan", lambda: _append(news, "\n再补充。\n"), True),
    ]
    build(content_copy, live, now=NOW)
    _settled(live)
    for number, (name, change, reusable) in enumerate(steps):
        change()
        result = build(content_copy, live, now=NOW)
        _settled(live)
        assert result.plan_reused is reusable, name
        assert result.rendered < result.pages / 2, name
        fresh = tmp_path / f"full{number}" / "site"
        build(content_copy, fresh, now=NOW, full=True, jobs=1)
        incremental, full = tree(live), tree(fresh)
        assert sorted(incremental) == sorted(full), name
        assert [n for n in full if incremental[n] != full[n]] == [], name


@pytest.mark.parametrize("process", ["warm builder", "fresh process"])
def test_cached_bodies_are_checked_again_when_what_their_links_reach_changes(
    content_copy, tmp_path, process
):
    """A body is rendered once and its links are not checked again while nothing they can
    reach changes; when a linked file goes (or turns into a link leading out of content) or
    a linked entry is unpublished, the next build names the broken link and publishes nothing,
    and it builds again once the file is back."""
    live, news = tmp_path / "inc" / "site", content_copy / "news" / "plenary-2026.md"
    guide, outside = content_copy / "media" / "2025" / "guide.pdf", tmp_path / "elsewhere.pdf"
    guide.write_bytes(b"%PDF-1.4 guide")
    outside.write_bytes(b"%PDF-1.4 not content")
    _append(news, "\n[服务指南](../media/2025/guide.pdf)\n")
    builder = Builder(content_copy, live, jobs=1)

    def publish():
        if process == "warm builder":
            return builder.build(now=NOW)
        result = build(content_copy, live, now=NOW)
        _settled(live)
        return result

    publish()
    release = Releases(live).current()
    lines = news.read_text(encoding="utf-8").splitlines()
    where = f"content/news/plenary-2026.md:{len(lines)}: body: broken link"
    missing = f"{where} ../media/2025/guide.pdf: no such media file"
    station = content_copy / "stations" / "bantian-care-01.md"
    breakages = [
        ("the file is deleted", lambda: guide.unlink(), missing),
        ("it links out of content", lambda: (guide.unlink(), guide.symlink_to(outside)), missing),
        ("the station is unpublished", lambda: _set_field(station, "status", "draft"), None),
    ]  # fmt: skip
    for name, breaking, expected in breakages:
        breaking()
        with pytest.raises(BuildError) as caught:
            publish()
        problems = [p for p in caught.value.problems if "plenary-2026.md" in p]
        if expected is not None:
            assert problems == [expected], name
        else:
            assert problems == [
                "content/news/plenary-2026.md:14: body: broken link "
                "../stations/bantian-care-01.md: no published stations entry 'bantian-care-01'"
            ], name
        assert Releases(live).current() == release, name
        if expected is not None:
            guide.unlink(missing_ok=True)
            guide.write_bytes(f"%PDF-1.4 back after: {name}".encode())
        else:
            _set_field(station, "status", "published")
        release = publish().release  # (the same release when all is as it was before)
        assert Releases(live).current() == release, name
        page = (live / "news/plenary-2026/index.html").read_text(encoding="utf-8")
        assert 'href="/union/media/2025/guide.pdf"' in page and "bantian-care-01" in page, name


def test_a_build_right_after_another_waits_for_the_cache_it_is_saving(
    content_copy, tmp_path, monkeypatch
):
    """`build.py build` saves its cache from a detached process after it exits; the next
    command, started at once, waits for that save and loads the cache instead of working
    everything out again."""
    live, saving = tmp_path / "site", BuildCache.save

    def slow_save(cache: BuildCache) -> None:
        time.sleep(1.0)  # a large site's cache takes a while to write
        saving(cache)

    monkeypatch.setattr(BuildCache, "save", slow_save)  # inherited by the detached process
    build(content_copy, live, now=NOW)
    monkeypatch.setattr(BuildCache, "save", saving)
    again = Builder(content_copy, live)
    assert again.cache.plan is not None and len(again.cache.caches.bodies)
    result = again.build(now=NOW)
    assert result.rendered == 0 and result.plan_reused


def test_a_publish_takes_the_spare_copy_and_leaves_the_live_release_alone(content_copy, tmp_path):
    builder = Builder(content_copy, tmp_path / "site", jobs=1)
    first = builder.build(now=NOW)
    builder.wait()  # the spare is made after the switch, off the reader's path
    spare = builder.releases.spare_for(first.release)
    # The spare holds the pages and the search index, all as links to the live files.
    assert tree(spare) == tree(first.release)
    assert any(name.startswith(FOLDER) for name in tree(spare))
    for name in ("index.html", f"{FOLDER}/pagefind-ui.js"):
        assert (spare / name).stat().st_ino == (first.release / name).stat().st_ino
    before = tree(first.release)

    path = content_copy / "news" / sorted(p.name for p in (content_copy / "news").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n备用副本测试。\n", encoding="utf-8")
    second = builder.build(now=NOW)
    assert not spare.exists()  # taken: it became the new release
    assert tree(first.release) == before  # the old release, still kept, was not written through
    page = f"news/{path.stem}/index.html"
    assert "备用副本测试" in (second.release / page).read_text(encoding="utf-8")
    assert "备用副本测试" not in (first.release / page).read_text(encoding="utf-8")
    builder.wait()
    assert builder.releases.spare_for(second.release).is_dir()

    builder.releases.rollback()  # a spare of a release that is no longer live is thrown away
    builder.build(now=NOW)
    builder.wait()
    assert not builder.releases.spare_for(second.release).exists()


def test_a_no_change_build_keeps_the_live_release(content_copy, tmp_path):
    live = tmp_path / "site"
    first = build(content_copy, live, now=NOW)
    again = build(content_copy, live, now=NOW)
    assert again.rendered == 0
    assert live.resolve() == first.release
    assert len(Releases(live).all()) == 1


def test_an_edit_renders_few_files_and_links_the_rest(content_copy, tmp_path):
    live = tmp_path / "site"
    first = build(content_copy, live, now=NOW)
    path = next((content_copy / "pages").glob("*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    second = build(content_copy, live, now=NOW)
    assert 0 < second.rendered <= 3  # the page, plus the sitemap if its lastmod moved
    before, after = first.release, second.release
    same = filecmp.cmpfiles(before, after, ["index.html", "feed.xml"], shallow=False)[0]
    assert same == ["index.html", "feed.xml"]
    assert (before / "index.html").stat().st_ino == (after / "index.html").stat().st_ino


def test_the_clock_moving_past_an_activity_rebuilds_its_state(content_copy, tmp_path):
    import datetime as dt

    builder = Builder(content_copy, tmp_path / "site", jobs=1)
    builder.build(now=NOW)
    later = NOW + dt.timedelta(days=800)  # every activity has ended
    builder.build(now=later)
    fresh = tmp_path / "fresh" / "site"
    build(content_copy, fresh, now=later, full=True, jobs=1)
    assert tree(builder.releases.link) == tree(fresh)
