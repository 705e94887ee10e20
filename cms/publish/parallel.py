"""Run work on every core by forking: children inherit the loaded site instead of pickling it."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..public.data import SiteData


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Start forked workers inside this block: what they inherit stays shared with us.

    Work this process does alongside its workers belongs inside the block too.

    A child's cyclic collector writes into the header of every object it scans, which copies
    the page it lives on; objects frozen before the fork are never scanned, so the loaded site
    is held once in memory, not once per worker. What was frozen already (a one-shot build
    freezes what it loaded) stays frozen.
    """
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def fork_map(func: Callable[[Any], Any], items: Sequence, jobs: int) -> list:
    """Return ``[func(item) for item in items]`` computed here and by ``jobs - 1`` forked workers.

    This process does a share itself instead of waiting: see ``freeze._freeze_parallel``.
    """
    if jobs <= 1 or len(items) < 2:
        return [func(item) for item in items]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()
    workers = []
    results: list = [None] * len(items)
    with forking():
        for index in range(1, jobs):
            shard = list(range(index, len(items), jobs))
            worker = ctx.Process(target=_work, args=(func, items, shard, queue), daemon=True)
            worker.start()
            workers.append(worker)
        try:
            for index in range(0, len(items), jobs):
                results[index] = func(items[index])
        except BaseException:
            for worker in workers:
                worker.kill()
                worker.join()
            raise
    for _ in workers:
        ok, payload = queue.get()
        if not ok:
            for worker in workers:
                worker.kill()
            raise RuntimeError(f"a build worker failed:\n{payload}")
        for index, value in payload:
            results[index] = value
    for worker in workers:
        worker.join()
    return results


def _work(func, items, shard, queue) -> None:
    try:
        queue.put((True, [(i, func(items[i])) for i in shard]))
    except BaseException:
        queue.put((False, traceback.format_exc()))
    finally:
        os._exit(0)


def encode_images(data: SiteData, jobs: int) -> int:
    """Encode the renditions of images not yet cached on all cores; return how many images."""
    todo = data.unencoded_images()
    if jobs <= 1 or len(todo) < 4:
        return 0  # the build encodes them in-process as it lists them

    def encode(ref: str) -> int:
        before = data.pictures.renditions.encoded
        data.pictures.picture(ref)
        return data.pictures.renditions.encoded - before

    # The files are the result; the parent then finds them cached and only counts them.
    # (Those encoded in this process counted themselves already: the total is set anew.)
    start = data.pictures.renditions.encoded
    data.pictures.renditions.encoded = start + sum(fork_map(encode, todo, jobs))
    return len(todo)


def prerender(data: SiteData, jobs: int) -> int:
    """Render every body missing from the cache on all cores; return how many were rendered."""
    stale = data.stale_bodies()
    if len(stale) < 200:
        return 0  # not worth a fork; check() renders them in-process

    for entry, body in zip(stale, fork_map(data.render_body, stale, jobs), strict=True):
        data.bodies.put(data.cache_key(entry), body)
    return len(stale)
