"""Publish continuously: rebuild as soon as a content file changes, and every minute anyway.

A long-lived builder keeps parsed entries and rendered bodies in memory, so one edit is live
after rendering only the pages that show it. The minute tick publishes scheduled entries
and moves activities from 报名中 to 已结束 as the clock passes their times.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .build import Builder, BuildError

TICK = 60.0  # seconds between builds when nothing changed


def snapshot(root: Path) -> frozenset[tuple[str, int, int]]:
    """Return (path, size, mtime) of every file under ``root`` that a build reads."""
    found = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # .history and the like
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            found.add((os.path.join(folder, name), stat.st_size, stat.st_mtime_ns))
    return frozenset(found)


def watch(
    builder: Builder,
    log: Callable[[str], None],
    interval: float = 0.5,
    stop: threading.Event | None = None,
) -> None:
    """Rebuild on every change under the content folder until ``stop`` is set."""
    stop = stop or threading.Event()
    seen: frozenset | None = None
    last = 0.0
    while not stop.is_set():
        current = snapshot(builder.content_root)
        if current != seen or time.monotonic() - last >= TICK:
            seen, last = current, time.monotonic()
            try:
                result = builder.build(strict=False)
            except BuildError as exc:
                log(f"构建失败，线上网站保持不变：{exc}")
            else:
                if result.rendered:
                    log(f"已发布：重新生成 {result.rendered} 个文件，用时 {result.seconds:.2f} 秒")
                if result.index_seconds is not None:
                    log(f"搜索索引已更新，用时 {result.index_seconds:.2f} 秒")
                for message in result.warnings:
                    log(f"警告：{message}")
        stop.wait(interval)
