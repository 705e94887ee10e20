"""build.py deploy against a real S3-compatible server on 127.0.0.1 (moto's standalone server),
read back over plain HTTP as a reader (or a CDN) would."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import boto3
import pytest

from cms.content.targets import DeployTarget
from cms.publish.build import build
from cms.publish.deploy import RECORD, DeployError, deploy, plan_deploy, release_files
from cms.publish.jobs import Publisher
from cms.publish.serve import content_type
from tests.conftest import DATA, DEMO, NOW, ROOT

BUCKET = "gonghui-site"
PREFIX = "union/"
KEY, SECRET = "AKIDEXAMPLE7Q2", "sekrit-never-printed-9f3c"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.1)
    yield endpoint
    process.terminate()
    process.wait(10)


@pytest.fixture
def env(monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    return {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}


@pytest.fixture
def bucket(server, env, request):
    """A new public-read bucket (a static site's bucket) for each test."""
    name = f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}"
    client = boto3.client("s3", endpoint_url=server, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    target = DeployTarget("test", server, name, "us-east-1", "path", PREFIX)
    return client, target


def fetch(target: DeployTarget, path: str) -> tuple[int, dict[str, str], bytes]:
    url = f"{target.endpoint}/{target.bucket}/{quote(target.prefix + path)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, b""


def keys(client, target: DeployTarget) -> set[str]:
    found = set()
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=target.bucket, Prefix=target.prefix
    ):
        found.update(item["Key"].removeprefix(target.prefix) for item in page.get("Contents", []))
    return found


def assert_bucket_is(client, target: DeployTarget, release: Path) -> None:
    files = release_files(release)
    assert keys(client, target) == set(files) | {RECORD}
    for path in files:
        body = client.get_object(Bucket=target.bucket, Key=target.prefix + path)["Body"].read()
        assert body == (release / path).read_bytes(), path


def test_a_first_deploy_serves_every_file_from_the_bucket(demo_site, bucket):
    client, target = bucket
    release = demo_site.resolve()
    result = deploy(release, target, client)
    files = release_files(release)
    assert result.uploaded == len(files) and result.deleted == 0
    # The assets went before any page that names them.
    order = result.plan.uploads
    first_page = min(i for i, p in enumerate(order) if p.endswith(".html"))
    assert all(p.startswith(("static/", "media/", "pagefind/")) for p in order[:first_page])
    for path in files:
        status, headers, body = fetch(target, path)
        assert status == 200, path
        assert body == (release / path).read_bytes(), path
        kind = content_type(path.rpartition("/")[2])
        assert headers["content-type"].split(";")[0] == kind.split(";")[0], path
        if kind.startswith(("text/", "application/json", "application/xml")):
            assert "charset=utf-8" in headers["content-type"].lower(), path
    css = next(p for p in files if p.startswith("static/css/site."))
    assert fetch(target, css)[1]["cache-control"] == "public, max-age=31536000, immutable"
    assert fetch(target, "news/index.html")[1]["cache-control"] == "no-cache"
    assert fetch(target, "feed.xml")[1]["content-type"].startswith("application/atom+xml")


def test_one_edit_uploads_only_the_files_it_changed(content_copy, tmp_path, bucket):
    client, target = bucket
    live = tmp_path / "site"
    build(content_copy, live, now=NOW)
    before = release_files(live.resolve())
    deploy(live.resolve(), target, client)
    with open(content_copy / "news" / "plenary-2026.md", "a", encoding="utf-8") as handle:
        handle.write("\n会议还强调了安全生产。\n")
    build(content_copy, live, now=NOW)
    after = release_files(live.resolve())
    changed = {p for p in after if before.get(p) != after[p]}
    result = deploy(live.resolve(), target, client)
    assert set(result.plan.uploads) == changed
    assert result.uploaded == len(changed) and 0 < len(changed) < len(after) / 10
    assert "news/plenary-2026/index.html" in changed
    status, _, body = fetch(target, "news/plenary-2026/index.html")
    assert status == 200 and "会议还强调了安全生产。" in body.decode()
    assert deploy(live.resolve(), target, client).uploaded == 0  # nothing changed since


def test_a_page_the_release_dropped_is_deleted_from_the_bucket(content_copy, tmp_path, bucket):
    client, target = bucket
    live = tmp_path / "site"
    build(content_copy, live, now=NOW)
    deploy(live.resolve(), target, client)
    assert fetch(target, "news/wage-arrears-2025/index.html")[0] == 200
    path = content_copy / "news" / "wage-arrears-2025.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: published", "status: draft"),
        encoding="utf-8",
    )
    build(content_copy, live, now=NOW)
    result = deploy(live.resolve(), target, client)
    assert "news/wage-arrears-2025/index.html" in result.plan.deletions
    assert fetch(target, "news/wage-arrears-2025/index.html")[0] in (403, 404)
    assert_bucket_is(client, target, live.resolve())


def test_the_delete_guard_stops_a_release_that_would_delete_a_thousand_files(
    data_site, tmp_path, bucket
):
    client, target = bucket
    bloated = tmp_path / "bloated"
    shutil.copytree(data_site.resolve(), bloated)
    for number in range(1000):
        (bloated / "old" / f"{number // 100}").mkdir(parents=True, exist_ok=True)
        (bloated / "old" / f"{number // 100}" / f"{number}.html").write_text(f"旧页面 {number}")
    deploy(bloated, target, client)
    with pytest.raises(DeployError, match="删除 1000 个文件，超过上限 256 个") as caught:
        deploy(data_site.resolve(), target, client)
    assert "--max-deletes 1000" in str(caught.value)
    assert fetch(target, "old/3/345.html")[0] == 200  # nothing was deleted
    result = deploy(data_site.resolve(), target, client, max_deletes=1000)
    assert result.deleted == 1000
    assert_bucket_is(client, target, data_site.resolve())


def _site_with_target(tmp_path: Path, content: Path, target: DeployTarget) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    with open(copy / "site.yml", "a", encoding="utf-8") as handle:
        handle.write(
            f"\ndeploy:\n  {target.name}:\n    endpoint: {target.endpoint}\n"
            f"    bucket: {target.bucket}\n    region: us-east-1\n    addressing: path\n"
            f"    prefix: {target.prefix}\n"
        )
    return copy


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def test_a_deploy_killed_half_way_is_finished_by_the_next(tmp_path, bucket, env):
    client, target = bucket
    content = _site_with_target(tmp_path, DEMO, target)
    live = tmp_path / "site"
    build(content, live, now=NOW)
    files = release_files(live.resolve())
    total = len(files)
    # Killed once the pages have begun (the assets go first): about/ is the first page.
    kill_at = len(plan_deploy(files, {}, []).assets) + 40
    command = [sys.executable, str(ROOT / "build.py"), "deploy", "--content", str(content),
               "--output", str(live)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while len(keys(client, target)) < kill_at and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert process.poll() is None, "the deploy finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < len(keys(client, target) - {RECORD}) < total
    assert "about/index.html" in keys(client, target)
    # Meanwhile an editor publishes again: a page goes, so the bucket must not keep it.
    about = content / "pages" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8").replace("status: published", "status: draft"),
        encoding="utf-8",
    )
    build(content, live, now=NOW)
    finished = _cli("deploy", "--content", str(content), "--output", str(live), env=env)
    assert finished.returncode == 0, finished.stderr
    assert_bucket_is(client, target, live.resolve())


def test_credentials_are_never_printed(tmp_path, bucket, env):
    _, target = bucket
    content = _site_with_target(tmp_path, DATA / "content", target)
    live = tmp_path / "site"
    build(content, live, now=NOW)
    base = ["deploy", "--content", str(content), "--output", str(live)]
    runs = [
        _cli(*base, "--dry-run", env=env),
        _cli(*base, env=env),
        _cli(*base, "--target", "nowhere", env=env),
    ]
    wrong = dict(env, AWS_SECRET_ACCESS_KEY=SECRET + "-wrong")
    missing = _site_with_target(tmp_path / "other", DATA / "content",
                                DeployTarget("test", target.endpoint, "no-such-bucket",
                                             prefix=PREFIX))  # fmt: skip
    runs.append(_cli("deploy", "--content", str(missing), "--output", str(live), env=wrong))
    assert [r.returncode for r in runs] == [0, 0, 1, 1]
    assert "上传 news/index.html" in runs[0].stdout
    assert "部署完成" in runs[1].stderr
    assert "没有名为 nowhere 的部署目标" in runs[2].stderr
    assert "部署失败" in runs[3].stderr
    for run in runs:
        for secret in (SECRET, KEY):
            assert secret not in run.stdout + run.stderr


def test_the_purge_hook_gets_the_changed_addresses(content_copy, tmp_path, bucket):
    client, target = bucket
    told = tmp_path / "purged.txt"
    script = f"import sys; open({str(told)!r}, 'a').write(sys.stdin.read())"
    target = dataclasses.replace(target, purge=f"{sys.executable} -c {shlex.quote(script)}")
    live = tmp_path / "site"
    build(content_copy, live, now=NOW)
    deploy(live.resolve(), target, client, site_url=lambda p: "https://example.org/union" + p)
    told.unlink()
    with open(content_copy / "news" / "plenary-2026.md", "a", encoding="utf-8") as handle:
        handle.write("\n补充。\n")
    build(content_copy, live, now=NOW)
    result = deploy(live.resolve(), target, client,
                    site_url=lambda p: "https://example.org/union" + p)  # fmt: skip
    lines = told.read_text().split()
    assert "https://example.org/union/news/plenary-2026/" in lines
    assert lines == result.purged and not any("/static/" in line for line in lines)


def test_the_admin_deploys_after_each_publish_when_site_yml_says_so(tmp_path, bucket):
    client, target = bucket
    content = _site_with_target(tmp_path, DATA / "content", target)
    with open(content / "site.yml", "a", encoding="utf-8") as handle:
        handle.write("    after_publish: true\n")
    publisher = Publisher(content, tmp_path / "site", now=NOW)
    publisher.start("编辑小王")
    job = publisher.wait(timeout=300)
    assert job is not None and job.state == "succeeded", job
    assert any("部署完成" in line for line in job.log), job.log
    assert_bucket_is(client, target, (tmp_path / "site").resolve())
