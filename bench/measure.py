"""Run a command and measure it: wall time and peak memory of its whole process tree."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    peak_mb: float  # highest sum of proportional set size (PSS) over the process tree
    output: str
    # The same, split: the tree without the search indexer, and the indexer alone (Pagefind
    # runs after the site is live; the issue reports the index apart).
    peak_build_mb: float = 0.0
    peak_index_mb: float = 0.0


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):  # the process may end while it is read
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_indexer(pid: int) -> bool:
    try:
        return b"pagefind" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def tree_pss_kb(root: int) -> tuple[int, int]:
    """Sum PSS over a process and its descendants (shared pages counted once in total):
    (everything but the search indexer's processes, the indexer's)."""
    build = index = 0
    stack = [(root, False)]
    while stack:
        pid, indexer = stack.pop()
        indexer = indexer or _is_indexer(pid)
        if indexer:
            index += _pss_kb(pid)
        else:
            build += _pss_kb(pid)
        stack += [(child, indexer) for child in _children(pid)]
    return build, index


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run ``command`` to completion, sampling memory every 20 ms; raise on failure."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = peak_build = peak_index = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_build, peak_index
        while not stop.is_set():
            build, index = tree_pss_kb(proc.pid)
            peak, peak_build = max(peak, build + index), max(peak_build, build)
            peak_index = max(peak_index, index)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{output[-3000:]}")
    return Run(seconds, peak / 1024, output, peak_build / 1024, peak_index / 1024)
