"""The content repository: every version of every file, from the admin or from outside."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import time
from pathlib import Path

from cms.content import load, writer
from cms.content.repo import EXTERNAL, Repo
from cms.publish.backup import commit_outside, push_backup


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def test_the_first_save_keeps_the_version_that_was_there(content_copy):
    entry = load(content_copy).get("news", "plenary-2026")
    original = (content_copy / entry.source).read_text(encoding="utf-8")
    writer.save(content_copy, "news", entry.slug, original + "\n补充。\n", entry.version, "wang",
                author_name="王小明")  # fmt: skip
    revisions = writer.history(content_copy, "news", entry.slug)
    assert [(r.author, r.action) for r in revisions] == [("wang", "save"), (EXTERNAL, "outside")]
    assert revisions[0].who == "王小明（wang）"
    assert writer.revision_text(content_copy, "news", entry.slug, revisions[1].id) == original
    # git itself names the editor, by display name and account
    assert _git(content_copy, "log", "-1", "--format=%an <%ae>") == "王小明 <wang>\n"
    assert _git(content_copy, "status", "--porcelain") == ""


def test_changes_made_outside_the_admin_are_committed_as_outside_changes(content_copy):
    Repo(content_copy).ensure()
    path = content_copy / "news" / "plenary-2026.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n手工改的一段。\n", encoding="utf-8")
    (content_copy / "pages" / "by-hand.md").write_text(
        "---\ntitle: 手写的页面\nstatus: draft\n---\n正文\n", encoding="utf-8"
    )
    said: list[str] = []
    commit_outside(content_copy, said.append)
    assert said == ["已把后台之外的修改记入修改记录（外部修改）"]
    newest = writer.history(content_copy, "news", "plenary-2026")[0]
    assert (newest.author, newest.action) == (EXTERNAL, "outside")
    text = writer.revision_text(content_copy, "news", "plenary-2026", newest.id)
    assert "手工改的一段" in text
    assert writer.history(content_copy, "pages", "by-hand")[0].author == EXTERNAL
    said.clear()
    commit_outside(content_copy, said.append)  # nothing changed: no empty commit
    assert said == []


def test_a_folder_not_yet_a_repository_is_left_alone_by_builds(content_copy):
    commit_outside(content_copy)
    assert not (content_copy / ".git").exists()


def test_deleted_entries_keep_their_history_and_can_come_back(content_copy):
    entry = load(content_copy).get("news", "plenary-2026")
    text = (content_copy / entry.source).read_text(encoding="utf-8")
    writer.delete(content_copy, "news", entry.slug, entry.version, "editor")
    revisions = writer.history(content_copy, "news", entry.slug)
    assert revisions[0].action == "delete"
    assert writer.revision_text(content_copy, "news", entry.slug, revisions[0].id) is None
    assert writer.revision_text(content_copy, "news", entry.slug, revisions[1].id) == text


def test_the_old_history_folder_becomes_commits_oldest_first(content_copy):
    legacy = content_copy / ".history" / "news" / "plenary-2026"
    legacy.mkdir(parents=True)
    texts = {
        "20250101T000000000000Z": ("alice", "create", "---\ntitle: 第一版\n---\n"),
        "20250102T000000000000Z": ("bob", "save", "---\ntitle: 第二版\n---\n"),
    }
    for stamp, (author, action, text) in texts.items():
        (legacy / f"{stamp}.md").write_text(text, encoding="utf-8")
        when = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T00:00:00+00:00"
        meta = {"author": author, "time": when, "version": "x", "action": action}
        (legacy / f"{stamp}.json").write_text(json.dumps(meta), encoding="utf-8")
    gone = content_copy / ".history" / "news" / "gone"
    gone.mkdir()
    (gone / "20250103T000000000000Z.json").write_text(
        json.dumps({"author": "carol", "time": "2025-01-03T00:00:00+00:00", "action": "delete"}),
        encoding="utf-8",
    )
    (gone / "20250101T000000000000Z.md").write_text("---\ntitle: 删掉的\n---\n", "utf-8")
    (gone / "20250101T000000000000Z.json").write_text(
        json.dumps({"author": "carol", "time": "2025-01-01T00:00:00+00:00", "action": "create"}),
        encoding="utf-8",
    )

    Repo(content_copy).ensure()

    assert not (content_copy / ".history").exists()
    revisions = writer.history(content_copy, "news", "plenary-2026")
    # the two old revisions, then the file as it is now (which differs from them)
    assert [(r.author, r.action) for r in revisions] == [
        (EXTERNAL, "outside"), ("bob", "save"), ("alice", "create")
    ]  # fmt: skip
    assert revisions[2].time.year == 2025
    assert "第一版" in writer.revision_text(content_copy, "news", "plenary-2026", revisions[2].id)
    deleted = writer.history(content_copy, "news", "gone")
    assert [r.action for r in deleted] == ["delete", "create"]
    assert _git(content_copy, "status", "--porcelain") == ""
    Repo(content_copy).ensure()  # once only
    assert len(writer.history(content_copy, "news", "plenary-2026")) == 3


def test_backup_remote_receives_the_history_after_a_publish(content_copy, tmp_path):
    bare = tmp_path / "backup.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    site = content_copy / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + f"backup:\n  remote: {bare}\n", "utf-8")
    entry = load(content_copy).get("news", "plenary-2026")
    text = (content_copy / entry.source).read_text(encoding="utf-8")
    writer.save(content_copy, "news", entry.slug, text + "\n备份测试。\n", entry.version, "wang")
    assert push_backup(content_copy) == []
    assert _git(bare, "log", "-1", "--format=%ae", "main") == "wang\n"
    shown = _git(bare, "show", "main:news/plenary-2026.md")
    assert "备份测试" in shown


def test_a_backup_that_cannot_be_pushed_is_reported_in_chinese(content_copy, tmp_path):
    site = content_copy / "site.yml"
    missing = tmp_path / "nowhere.git"
    site.write_text(site.read_text(encoding="utf-8") + f"backup:\n  remote: {missing}\n", "utf-8")
    Repo(content_copy).ensure()
    problems = push_backup(content_copy)
    assert len(problems) == 1 and problems[0].startswith("内容备份推送失败（网站已上线）")


def _save_many(root: str, slug: str, count: int, queue) -> None:
    """Save an entry ``count`` times in a process of its own; report the seconds it took."""
    started = time.perf_counter()
    for number in range(count):
        entry = load(Path(root)).get("news", slug)
        text = (Path(root) / entry.source).read_text(encoding="utf-8")
        text = text.split("\n[", 1)[0] + f"\n[{slug}-{number}]\n"
        writer.save(Path(root), "news", slug, text, entry.version, f"p-{slug}")
    queue.put(time.perf_counter() - started)


def test_saves_from_several_processes_are_all_committed(content_copy):
    """Four processes save their own entries at once: each save is one commit, none lost, and
    git's own index lock is never met (the repository's lock file serialises git)."""
    Repo(content_copy).ensure()
    slugs = sorted(load(content_copy).entries["news"])[:4]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_save_many, args=(str(content_copy), s, 10, queue)) for s in slugs
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    seconds = [queue.get() for _ in workers]
    for slug in slugs:
        saves = [r for r in writer.history(content_copy, "news", slug) if r.author == f"p-{slug}"]
        assert len(saves) == 10
        last = writer.revision_text(content_copy, "news", slug, saves[0].id)
        assert last.endswith(f"[{slug}-9]\n")
    assert _git(content_copy, "status", "--porcelain") == ""
    print(f"\ngit-backed saves, 4 processes x 10: {1000 * max(seconds) / 10:.0f} ms per save")


def test_cost_of_a_commit_per_save(content_copy):
    """Not a limit (tests never assert on time): prints what the commit adds to one save."""
    Repo(content_copy).ensure()
    entry = load(content_copy).get("news", "plenary-2026")
    text = (content_copy / entry.source).read_text(encoding="utf-8")
    timings = {}
    for commit in (False, True):
        version, started = entry.version, time.perf_counter()
        for number in range(20):
            version = writer.save(
                content_copy, "news", entry.slug, f"{text}\n{commit}{number}\n", version, "w",
                commit=commit,
            )  # fmt: skip
            entry = load(content_copy).get("news", "plenary-2026")
        timings[commit] = (time.perf_counter() - started) / 20
    print(
        f"\nsave without a commit {1000 * timings[False]:.1f} ms, "
        f"with one {1000 * timings[True]:.1f} ms"
    )


def test_a_lock_left_by_a_killed_git_does_not_stop_saves(content_copy):
    Repo(content_copy).ensure()
    (content_copy / ".git" / "index.lock").write_text("")  # a commit killed midway
    entry = load(content_copy).get("news", "plenary-2026")
    text = (content_copy / entry.source).read_text(encoding="utf-8")
    writer.save(content_copy, "news", entry.slug, text + "\n之后的保存。\n", entry.version, "w")
    assert writer.history(content_copy, "news", entry.slug)[0].author == "w"
