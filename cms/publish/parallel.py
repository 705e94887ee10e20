"""Run work on every core by forking: children inherit the loaded site instead of pickling it."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
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


def fork_shards(
    shard: Callable[[int], Iterable[Any]],
    jobs: int,
    here: Callable[[Any, list], None] | None = None,
) -> list:
    """Run ``shard(k)`` for k in 1 … jobs-1 in forked workers and ``shard(0)`` in this process;
    return every result the shards yielded (this process's first, then the workers').

    This process takes a shard rather than waiting on its workers: rendering touches the
    reference counts of the loaded site, so every process that renders ends up with a copy of
    the memory pages holding it, and an idle parent would keep one more, the original.
    ``here(result, theirs)`` is called after each result of this process's shard, with the
    workers' results received so far. A failure anywhere kills every worker and raises.
    """
    ctx = multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()
    workers = []
    ours: list = []
    theirs: list = []
    failures: list[str] = []
    # Frozen out of the cyclic collector until this process's shard is done too: its full
    # collections would otherwise write into every inherited object and copy its page.
    with forking():
        for index in range(1, jobs):
            worker = ctx.Process(target=_serve, args=(shard, index, queue), daemon=True)
            worker.start()
            workers.append(worker)
        # The workers' results are read as they come, so that none waits on a full pipe.
        collector = threading.Thread(
            target=_collect, args=(queue, len(workers), theirs, failures), daemon=True
        )
        collector.start()
        try:
            for result in shard(0):
                ours.append(result)
                if failures:
                    break  # a worker failed: no use finishing this shard
                if here is not None:
                    here(result, theirs)
            else:
                collector.join()
            if failures:
                raise RuntimeError(f"a build worker failed: {failures[0]}")
        except BaseException:
            for worker in workers:
                worker.kill()
                worker.join()
            for _ in workers:  # wake the collector, whatever the workers managed to say
                queue.put(("done",))
            collector.join()
            raise
    for worker in workers:
        worker.join()
    return ours + theirs


def _collect(queue, workers: int, theirs: list, failures: list[str]) -> None:
    """Take the workers' results off the queue until each has said it is done or failed."""
    finished = 0
    while finished < workers:
        message = queue.get()
        if message[0] == "result":
            theirs.append(message[1])
        else:
            finished += 1
            if message[0] == "error":
                failures.append(message[1])


def _serve(shard: Callable[[int], Iterable[Any]], index: int, queue) -> None:
    try:
        for result in shard(index):
            queue.put(("result", result))
        queue.put(("done",))
    except BaseException as exc:  # report, never hang the parent
        queue.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        os._exit(0)


def fork_map(func: Callable[[Any], Any], items: Sequence, jobs: int) -> list:
    """Return ``[func(item) for item in items]``, computed here and in ``jobs - 1`` workers."""
    if jobs <= 1 or len(items) < 2:
        return [func(item) for item in items]

    def shard(index: int) -> Iterator[list[tuple[int, Any]]]:
        yield [(i, func(items[i])) for i in range(index, len(items), jobs)]

    results: list = [None] * len(items)
    for batch in fork_shards(shard, jobs):
        for index, value in batch:
            results[index] = value
    return results


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
