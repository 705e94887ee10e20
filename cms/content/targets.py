"""Publishing targets named in site.yml ``deploy:``: S3-compatible buckets the site is copied to.

    deploy:
      oss:
        endpoint: https://oss-cn-shenzhen.aliyuncs.com
        bucket: gonghui-site
        region: cn-shenzhen
        addressing: virtual      # virtual-hosted (OSS needs it) or path
        prefix: ""               # a folder inside the bucket
        max_deletes: 256         # refuse to delete more files than this in one deploy
        purge: ""                # a command given the changed addresses, one per line
        precompress: false       # upload text files gzip-compressed
        after_publish: true      # the admin deploys here after every publish

Credentials never live here: they come from the environment (AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY, as every S3 client reads them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ADDRESSING = ("virtual", "path")
Problem = Callable[[str, str], None]  # (field, message)
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}\Z")


@dataclass(frozen=True)
class DeployTarget:
    """One bucket the site is deployed to."""

    name: str
    endpoint: str
    bucket: str
    region: str = ""
    addressing: str = "virtual"
    prefix: str = ""
    max_deletes: int = 256
    purge: str = ""
    precompress: bool = False
    after_publish: bool = False


def read_targets(value: Any, problem: Problem) -> dict[str, DeployTarget]:
    """Return the targets of site.yml's ``deploy:`` mapping, reporting each bad field."""
    if not isinstance(value, dict):
        problem("deploy", "must be a mapping of target name: {endpoint: …, bucket: …}")
        return {}
    targets = {}
    for name, spec in value.items():
        where = f"deploy.{name}"
        if not isinstance(name, str) or not NAME.match(name):
            problem(where, "name must be lower-case letters, digits and '-'")
            continue
        if not isinstance(spec, dict):
            problem(where, "must be a mapping {endpoint: …, bucket: …}")
            continue
        target = _target(name, spec, where, problem)
        if target is not None:
            targets[name] = target
    return targets


def _target(name: str, spec: dict, where: str, problem: Problem) -> DeployTarget | None:
    ok = True
    known = set(DeployTarget.__dataclass_fields__) - {"name"}
    for key in spec:
        if key not in known:
            problem(f"{where}.{key}", "is not a known deploy setting")
            ok = False
    endpoint, bucket = spec.get("endpoint"), spec.get("bucket")
    if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("http", "https"):
        problem(f"{where}.endpoint", "must be an http(s):// address")
        ok = False
    if not isinstance(bucket, str) or not bucket:
        problem(f"{where}.bucket", "is required")
        ok = False
    if spec.get("addressing", "virtual") not in ADDRESSING:
        problem(f"{where}.addressing", "must be virtual or path")
        ok = False
    limit = spec.get("max_deletes", 256)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        problem(f"{where}.max_deletes", "must be a whole number, 0 or more")
        ok = False
    for key in ("region", "prefix", "purge"):
        if not isinstance(spec.get(key, ""), str):
            problem(f"{where}.{key}", "must be text")
            ok = False
    for key in ("precompress", "after_publish"):
        if not isinstance(spec.get(key, False), bool):
            problem(f"{where}.{key}", "must be true or false")
            ok = False
    if not ok:
        return None
    prefix = spec.get("prefix", "").strip("/")
    return DeployTarget(
        name,
        endpoint.rstrip("/"),  # type: ignore[union-attr]
        bucket,  # type: ignore[arg-type]
        spec.get("region", ""),
        spec.get("addressing", "virtual"),
        prefix + "/" if prefix else "",
        limit,
        spec.get("purge", ""),
        spec.get("precompress", False),
        spec.get("after_publish", False),
    )
