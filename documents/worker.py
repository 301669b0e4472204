"""Read plan files in a separate process, with a time and a memory limit.

Reading a file is CPU work in Python and lxml; on the event loop it would hold up every
other person's messages while it runs. :func:`run_in_worker` runs a reading function in
a worker process (one, started on first use and kept: the imports cost about a second)
and awaits it without blocking the loop. A read that passes ``timeout`` has its worker
killed — a thread could not be stopped — and is refused with a Vietnamese message; the
next import starts a fresh worker. The worker's address space is capped, so a file that
slips past the size limits (documents/file_limits.py) fails with MemoryError instead of
swapping the server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from babel.numbers import format_decimal

from documents.plan_file_error import PlanFileError
from locales import _, current_language, language

log = logging.getLogger(__name__)
T = TypeVar("T")

TIMEOUT = 9.0  # seconds; the target is an answer to any file within 10 s
ADDRESS_SPACE = 1024 * 1024 * 1024  # the worker's virtual memory (it starts at ~200 MB)

_pool: concurrent.futures.ProcessPoolExecutor | None = None


def _limit_memory() -> None:
    """In the worker: cap its address space (Linux; elsewhere the size limits remain)."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _worker() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # "spawn": a fork of a process with running threads (the event loop's executors,
        # aiosqlite) can deadlock; a fresh interpreter cannot.
        _pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_limit_memory,
        )
    return _pool


def _discard(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill the worker processes of ``pool`` and forget it."""
    global _pool
    if _pool is pool:
        _pool = None
    # The executor has no public way to stop a running call; its processes are kept in
    # ``_processes`` (CPython 3.8–3.13). Killing them is what the time limit is for.
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def too_slow(name: str, seconds: float) -> PlanFileError:
    return PlanFileError(
        _(
            "Đọc tệp {name} quá {seconds} giây nên đã dừng; vui lòng chỉ giữ bảng kế hoạch "
            "trong tệp rồi gửi lại."
        ).format(
            name=name, seconds=format_decimal(seconds, "#,##0.######", locale=current_language())
        )
    )


def too_much_memory(name: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Tệp {name} cần quá nhiều bộ nhớ để đọc; vui lòng chỉ giữ bảng kế hoạch trong tệp "
            "rồi gửi lại."
        ).format(name=name)
    )


def _in_language(lang: str, function: Callable[..., T], *args: Any) -> T:
    """In the worker: ``function(*args)`` speaking the language of the person who sent
    the file, so its refusals and review reasons are in that language."""
    with language(lang):
        return function(*args)


async def run_in_worker(
    function: Callable[..., T], *args: Any, name: str, timeout: float | None = None
) -> T:
    """``function(*args)`` in the worker process; PlanFileError as it raised it, or for a
    read too slow (``timeout``, default :data:`TIMEOUT`) or too big for the worker."""
    limit = TIMEOUT if timeout is None else timeout
    pool = _worker()
    loop = asyncio.get_running_loop()
    call = (_in_language, current_language(), function, *args)
    try:
        future = loop.run_in_executor(pool, *call)
    except (BrokenProcessPool, RuntimeError):  # a worker that died earlier
        _discard(pool)
        pool = _worker()
        future = loop.run_in_executor(pool, *call)
    try:
        return await asyncio.wait_for(future, limit)
    except TimeoutError:
        log.warning("reading %r took over %s s: worker stopped", name, limit)
        _discard(pool)
        raise too_slow(name, limit) from None
    except MemoryError:
        log.warning("reading %r ran out of the worker's memory", name)
        raise too_much_memory(name) from None
    except BrokenProcessPool:
        log.warning("the worker reading %r died", name)
        _discard(pool)
        raise too_much_memory(name) from None
