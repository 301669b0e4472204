"""How ``dondoc demo`` holds the terminal, so that Ctrl-C ends it at once and cleanly.

Three things stand in the way of a clean Ctrl-C, each handled here:

* Under ``make demo`` the terminal's Ctrl-C reaches make as well, which then reports
  "*** [demo] Interrupt" and fails whatever the demo did. :func:`own_terminal` gives the
  demo a process group of its own and makes it the terminal's foreground, as a shell
  does for a job: Ctrl-C reaches the demo only, and make sees its command exit 0.
* The plan-reading worker process (documents.worker) is in the same foreground group
  and would print a KeyboardInterrupt traceback: :func:`children_ignore_interrupts`
  wraps the moments it may be started, so it ignores Ctrl-C (an ignored signal is
  inherited by a new process; a handler is not). The demo stops it on its way out.
* A thread blocked in ``readline`` would be waited for at exit: the console channel
  reads its lines in a daemon thread instead (bot.channels.console).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import TextIO

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _tty(stream: TextIO) -> int | None:
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


def _set_foreground(fd: int, group: int) -> None:
    # A background group changing the foreground would be stopped by SIGTTOU.
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, group)
    finally:
        signal.signal(signal.SIGTTOU, previous)


@contextlib.contextmanager
def own_terminal(stream: TextIO) -> Iterator[bool]:
    """When started by a program that shares its process group with us (make), take a
    group of our own as the terminal's foreground, and give it back on the way out.
    Yields whether it did. Started from a shell, the demo leads its group already."""
    fd = _tty(stream)
    if fd is None or not hasattr(os, "setpgid"):
        yield False
        return
    mine = os.getpgrp()
    try:
        leads_foreground = os.getpid() == mine or os.tcgetpgrp(fd) != mine
    except OSError:
        leads_foreground = True
    if leads_foreground:
        yield False
        return
    try:
        os.setpgid(0, 0)
        _set_foreground(fd, os.getpgrp())
    except OSError:
        yield False
        return
    # A stopped demo would leave make waiting for ever with no shell to resume it.
    suspend = signal.signal(signal.SIGTSTP, signal.SIG_IGN)
    try:
        yield True
    finally:
        signal.signal(signal.SIGTSTP, suspend)
        with contextlib.suppress(OSError):
            _set_foreground(fd, mine)


@contextlib.contextmanager
def children_ignore_interrupts() -> Iterator[None]:
    """While inside, Ctrl-C is ignored, and so it is by any process started meanwhile
    (the plan-reading worker). Only the main thread may call it."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to protect from here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Interrupts:
    """What Ctrl-C stops: the part of the demo running now (starting, then the session),
    once; on the way out (closing the database) nothing, so the end stays clean."""

    def __init__(self, target: asyncio.Future[object] | None) -> None:
        self.target = target
        self.seen = False

    def now_stops(self, target: asyncio.Future[object] | None) -> None:
        if not self.seen or target is None:
            self.target = target
        elif not target.done():  # stopped before the session began: it does not begin
            target.cancel()

    def __call__(self) -> None:
        self.seen = True
        if self.target is not None and not self.target.done():
            self.target.cancel()
        self.target = None


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[], object]) -> Iterator[None]:
    """Ctrl-C, ``kill`` and a closed terminal call ``stop`` on the running loop (which
    cancels the demo), instead of a KeyboardInterrupt traceback."""
    loop = asyncio.get_running_loop()
    added = []
    for sig in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop)
            added.append(sig)
    try:
        yield
    finally:
        for sig in added:
            loop.remove_signal_handler(sig)
