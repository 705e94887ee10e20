"""Copy the live release to S3-compatible object storage (OSS, COS, OBS, S3, MinIO) for a CDN.

What the bucket holds is known from a small record the last deploy left in it
(``<prefix>.yizhan/deployed.json``: every file with the digest of its bytes), never by listing
or downloading the bucket. A deploy uploads the files whose digest changed, then the pages,
feeds and API documents, then deletes what the release dropped, and writes the record last:

1. assets first (``/static/``, ``/media/``, ``/pagefind/`` but its entry file), so that no page
   goes out naming a file that is not there yet;
2. then everything else (pages, feeds, calendars, API documents, the index's entry file);
3. then deletions, refused beyond the target's ``max_deletes`` (a runaway delete, say from a
   wrong ``--output``, stops and says so).

Before uploading, the record lists the files about to change as *pending*: a deploy killed
half-way is finished by the next one, which also removes pending files the new release lacks.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shlex
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..content.targets import DeployTarget
from .serve import content_type

RECORD = ".yizhan/deployed.json"
# Named by a hash of their bytes: a new version gets a new name, so browsers and the CDN may keep
# them for a year (the same rule as deploy/nginx.conf).
IMMUTABLE = re.compile(r"^(static/.+\.[0-9a-f]{12}\.(css|js)|media/r/[0-9a-f]{20}-.+)$")
ASSETS = ("static/", "media/", "pagefind/")
LATE_ASSETS = {"pagefind/pagefind-entry.json"}  # names the index's other files
TEXT = ("text/", "application/json", "application/geo+json", "application/xml",
        "application/atom+xml", "application/rss+xml", "application/schema+json",
        "image/svg+xml")  # fmt: skip
THREADS = 8


class DeployError(RuntimeError):
    """Raised when a deploy cannot go on; what was uploaded stays, the record says what is."""


@dataclass
class DeployPlan:
    """What one deploy will do: uploads in order (assets, then the rest) and deletions."""

    assets: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def uploads(self) -> list[str]:
        return self.assets + self.pages


@dataclass
class DeployResult:
    plan: DeployPlan
    uploaded: int = 0
    deleted: int = 0
    purged: list[str] = field(default_factory=list)


def release_files(release: Path, digests: DigestCache | None = None) -> dict[str, str]:
    """Return every file of a release by its path with the digest of its bytes."""
    digests = digests or DigestCache(None)
    found = {}
    for folder, _, names in os.walk(release):
        for name in names:
            path = Path(folder) / name
            found[path.relative_to(release).as_posix()] = digests.digest(path)
    digests.save()
    return dict(sorted(found.items()))


class DigestCache:
    """Digests of files by inode, size and time: releases hard-link unchanged files, so a
    deploy reads only the files a publish wrote."""

    def __init__(self, file: Path | None):
        self.file = file
        self.known: dict[str, str] = {}
        self.seen: dict[str, str] = {}
        if file is not None:
            try:
                self.known = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def digest(self, path: Path) -> str:
        stat = path.stat()
        key = f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
        digest = self.known.get(key)
        if digest is None:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        self.seen[key] = digest
        return digest

    def save(self) -> None:
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(json.dumps(self.seen), encoding="utf-8")


def plan_deploy(files: dict[str, str], deployed: dict[str, str], pending: list[str]) -> DeployPlan:
    """Compare the release's files with what the bucket holds (and may hold: ``pending``)."""
    plan = DeployPlan()
    for path, digest in files.items():
        if deployed.get(path) == digest and path not in pending:
            plan.unchanged += 1
        elif path.startswith(ASSETS) and path not in LATE_ASSETS:
            plan.assets.append(path)
        else:
            plan.pages.append(path)
    plan.deletions = sorted((set(deployed) | set(pending)) - set(files))
    return plan


def headers(path: str, precompress: bool = False) -> dict[str, str]:
    """Return the upload's Content-Type, Cache-Control and (when compressed) Content-Encoding."""
    kind = content_type(path.rpartition("/")[2])
    if kind.startswith(TEXT) and "charset" not in kind and kind != "image/svg+xml":
        kind += "; charset=utf-8"
    found = {
        "ContentType": kind,
        "CacheControl": "public, max-age=31536000, immutable"
        if IMMUTABLE.match(path)
        else "no-cache",  # revalidated on every use: a publish shows at once
    }
    if precompress and kind.startswith(TEXT):
        found["ContentEncoding"] = "gzip"
    return found


def client_for(target: DeployTarget):
    """Return a boto3 S3 client for a target; credentials come from the environment only."""
    import boto3  # ~0.3 s to import: only deploys pay for it
    from botocore.config import Config

    config = Config(
        s3={"addressing_style": target.addressing},
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=THREADS,
    )
    return boto3.client(
        "s3", endpoint_url=target.endpoint, region_name=target.region or None, config=config
    )


class Bucket:
    """The target's bucket as the deploy uses it: keys under the prefix."""

    def __init__(self, target: DeployTarget, client=None):
        self.target = target
        self.client = client or client_for(target)

    def key(self, path: str) -> str:
        return self.target.prefix + path

    def record(self) -> tuple[dict[str, str], list[str]]:
        """Return what the last deploy left (files and digests) and what was pending."""
        try:
            answer = self.client.get_object(Bucket=self.target.bucket, Key=self.key(RECORD))
        except self.client.exceptions.NoSuchKey:
            return {}, []
        data = json.loads(answer["Body"].read())
        return data.get("files", {}), data.get("pending", [])

    def write_record(self, files: dict[str, str], pending: list[str]) -> None:
        body = json.dumps({"files": files, "pending": pending}, sort_keys=True).encode()
        self.client.put_object(
            Bucket=self.target.bucket,
            Key=self.key(RECORD),
            Body=body,
            ContentType="application/json",
            CacheControl="no-store",
        )

    def upload(self, release: Path, path: str) -> None:
        extra = headers(path, self.target.precompress)
        body = (release / path).read_bytes()
        if "ContentEncoding" in extra:
            body = gzip.compress(body, mtime=0)
        self.client.put_object(Bucket=self.target.bucket, Key=self.key(path), Body=body, **extra)

    def delete(self, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):  # the API's limit per request
            chunk = paths[start : start + 1000]
            self.client.delete_objects(
                Bucket=self.target.bucket,
                Delete={"Objects": [{"Key": self.key(p)} for p in chunk], "Quiet": True},
            )


def deploy(
    release: Path,
    target: DeployTarget,
    client=None,
    log: Callable[[str], None] = lambda _: None,
    progress: Callable[[int, int, str], None] | None = None,
    dry_run: bool = False,
    max_deletes: int | None = None,
    digests: DigestCache | None = None,
    site_url: Callable[[str], str] = lambda path: path,
) -> DeployResult:
    """Deploy ``release`` to ``target``; raise DeployError when the delete guard stops it."""
    files = release_files(release, digests)
    bucket = Bucket(target, client)
    deployed, pending = bucket.record()
    plan = plan_deploy(files, deployed, pending)
    result = DeployResult(plan)
    limit = target.max_deletes if max_deletes is None else max_deletes
    log(
        f"上传 {len(plan.uploads)} 个文件（其中资源 {len(plan.assets)} 个），"
        f"删除 {len(plan.deletions)} 个，未变 {plan.unchanged} 个 → {target.name}"
    )
    if dry_run:
        return result
    # The record first says what may be in the bucket once this deploy has started.
    now_pending = sorted(set(pending) | set(plan.uploads))
    bucket.write_record(deployed, now_pending)
    total = len(plan.uploads)
    done = 0
    for group in (plan.assets, plan.pages):
        with ThreadPoolExecutor(THREADS) as pool:
            for path in pool.map(lambda p: (bucket.upload(release, p), p)[1], group):
                done += 1
                if progress:
                    progress(done, total, path)
    result.uploaded = done
    kept = {path: files[path] for path in files}
    if len(plan.deletions) > limit:
        # Keep what was not deleted in the record, so that an allowed run removes it later.
        for path in plan.deletions:
            kept[path] = deployed.get(path, "")
        bucket.write_record(kept, [])
        raise DeployError(
            f"本次部署要删除 {len(plan.deletions)} 个文件，超过上限 {limit} 个，已停止删除"
            f"（新文件已上传）。如确需删除，请核对后用 --max-deletes {len(plan.deletions)} 再部署。"
        )
    bucket.delete(plan.deletions)
    result.deleted = len(plan.deletions)
    bucket.write_record(kept, [])
    result.purged = _purge(target, plan, site_url, log)
    log(f"部署完成：上传 {result.uploaded} 个，删除 {result.deleted} 个 → {target.name}")
    return result


def _purge(
    target: DeployTarget,
    plan: DeployPlan,
    site_url: Callable[[str], str],
    log: Callable[[str], None],
) -> list[str]:
    """Run the target's purge command with the changed pages' addresses, one per line."""
    addresses = sorted({site_url(_address(p)) for p in plan.pages + plan.deletions})
    if not target.purge or not addresses:
        return []
    try:
        subprocess.run(
            shlex.split(target.purge),
            input="\n".join(addresses) + "\n",
            text=True,
            check=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise DeployError(f"已部署，但刷新 CDN 缓存的命令失败：{exc}") from None
    log(f"已请求 CDN 刷新 {len(addresses)} 个地址")
    return addresses


def _address(path: str) -> str:
    """The address a file is read at: a folder's index.html at the folder."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path.removesuffix("index.html")
    return "/" + path


def iter_targets(targets: dict[str, DeployTarget], name: str | None) -> Iterator[DeployTarget]:
    """Yield the target named (or every target when there is exactly one and none is named)."""
    if name is not None:
        if name not in targets:
            known = "、".join(targets) or "（site.yml 里没有 deploy: 设置）"
            raise DeployError(f"没有名为 {name} 的部署目标；可用：{known}")
        yield targets[name]
    elif len(targets) == 1:
        yield from targets.values()
    elif not targets:
        raise DeployError("site.yml 里没有 deploy: 设置，不知道部署到哪里")
    else:
        raise DeployError(f"有多个部署目标（{'、'.join(targets)}），请用 --target 指定一个")


def after_publish(
    release: Path, content_root: Path, log: Callable[[str], None] = lambda _: None
) -> list[str]:
    """Deploy a release just published to every target marked ``after_publish`` in site.yml.

    Returns what went wrong, in Chinese, one line per target: the site is live on this machine
    either way, and the next publish deploys again.
    """
    from ..content.reader import read_site

    site, _ = read_site(content_root / "site.yml")
    targets = [t for t in site.deploy.values() if t.after_publish] if site else []
    digests = DigestCache(release.parent / ".cache" / "deploy-digests.json")
    problems = []
    for target in targets:
        try:
            deploy(release, target, log=log, digests=digests, site_url=site.url)  # type: ignore[union-attr]
        except Exception as exc:  # the storage service's errors, named without credentials
            problems.append(f"部署到 {target.name} 失败（网站已在本机上线）：{exc}")
            log(problems[-1])
    return problems
