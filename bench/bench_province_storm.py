"""The 08:00 reminder storm of a province (issue 24, point 6; ``make bench`` through
``bench_province``, or alone): 20,000 officers over 480 communes (``DONDOC_BENCH_SCALE``
scales both), each owed a reminder at 08:00, a quarter of them with a second task (one
message each: the two fold into one), sent by a real ``dondoc run`` subprocess to the fake
Bot API in a process of its own (Telegram's 30 messages in any rolling second, one a
second per chat, 429 beyond).

At 30/s the whole storm takes 11 minutes, so it runs for ``DONDOC_BENCH_STORM_SECONDS``
(120) seconds from its first message (or until done), then gets SIGTERM: what was not
sent must still be pending, never lost. Prints, by the fake server's clock: the share of
30/s over the first 10 s, the first 60 s and the whole window; the worst rolling second
(target ≤ 30); 429s; repeats (one text twice to a chat, a marked "(Gửi lại…" copy
included); lost; the peak memory of each ``dondoc run`` (VmHWM). Then the same on
PostgreSQL (``DONDOC_BENCH_POSTGRES_URL`` or ``DONDOC_TEST_POSTGRES_URL``, else skipped)
with two ``dondoc run`` processes sharing Telegram's budgets through the database
(``SharedBudget``). A measurement, not a test; the load average is printed beside it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from bench.bench_faults import FakeServer, write_config  # noqa: E402
from bench.bench_faults_second import start_run  # noqa: E402
from bench.bench_progress import vn  # noqa: E402
from bench.bench_reminders import AT, LIMIT, OCCURRENCE, seed  # noqa: E402
from models.db import make_engine, open_database, upgrade  # noqa: E402
from models.outbox import FOLDED, SENT, OutboxItem  # noqa: E402

SCALE = float(os.environ.get("DONDOC_BENCH_SCALE", "1"))  # 0.05 for a quick try
OFFICERS, ORGS = max(2, int(20_000 * SCALE)), max(1, int(480 * SCALE))
REMINDERS = OFFICERS + OFFICERS // 4  # the first quarter of the officers has two tasks
SECONDS = float(os.environ.get("DONDOC_BENCH_STORM_SECONDS", "120"))
RESEND = "(Gửi lại"  # the first line of a copy sent again after a crash or a timeout


def rolling_worst(times: list[float], window: float = 1.0) -> int:
    """The most sends in any rolling ``window`` (Telegram's count: (t - 1 s, t])."""
    worst, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= window:
            first += 1
        worst = max(worst, last - first + 1)
    return worst


def repeated(stats: dict) -> int:
    """Messages that repeat one already in their chat (a marked resend counts too)."""
    total = 0
    for texts in stats["repeated"].values():
        bodies = [t.split("\n", 1)[1] if t.startswith(RESEND) and "\n" in t else t for t in texts]
        total += len(bodies) - len(set(bodies))
    return total


def peak_mb(pid: int) -> float | None:
    """The process's peak resident memory so far (VmHWM), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for row in status.splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    return None


def cpu_seconds(pid: int) -> float | None:
    """The process's CPU time so far (user + system), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def two(value: float) -> str:
    """Two decimals, Vietnamese style (0,97)."""
    return f"{value:.2f}".replace(".", ",")


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


async def states_of(sessions) -> Counter[str]:  # noqa: ANN001
    """The storm's rows by state ("pending*" when a row may have gone: maybe_at set)."""
    async with sessions() as s:
        rows = await s.execute(
            select(OutboxItem.state, OutboxItem.maybe_at.is_not(None), func.count())
            .where(OutboxItem.occurrence == OCCURRENCE)
            .group_by(OutboxItem.state, OutboxItem.maybe_at.is_not(None))
        )
        return Counter({state + ("*" if maybe else ""): n for state, maybe, n in rows})


async def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def run_storm(url: str, label: str, processes: int) -> dict:
    """One storm on ``url`` with ``processes`` ``dondoc run``; prints and returns its figures."""
    if url.startswith("postgresql"):
        await reset_postgres(url)
    print(f"{label}: bão nhắc việc 08:00 của một tỉnh, {vn(OFFICERS)} cán bộ ở {vn(ORGS)} xã, "
          f"{vn(REMINDERS)} lời nhắc, {processes} tiến trình dondoc run; tải máy {load()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        if not url:
            url = f"sqlite+aiosqlite:///{folder}/storm.sqlite3"
        engine, sessions = await open_database(url)
        began = time.monotonic()
        await seed(sessions, OFFICERS, REMINDERS, AT, ORGS)
        seeded = time.monotonic() - began
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        log = Path(folder) / "run.log"
        started = time.monotonic()
        runs = [start_run(config, AT, started, log=log) for _ in range(processes)]
        peaks = [0.0] * processes
        if os.environ.get("DONDOC_BENCH_STORM_PIDS"):  # to attach a profiler
            Path(os.environ["DONDOC_BENCH_STORM_PIDS"]).write_text(
                " ".join(str(r.pid) for r in runs)
            )

        cpu = [0.0] * processes  # CPU seconds of each process, from its first message on
        cpu_at_first = [0.0] * processes

        def sample() -> None:
            for n, run in enumerate(runs):
                peaks[n] = max(peaks[n], peak_mb(run.pid) or 0.0)
                cpu[n] = cpu_seconds(run.pid) or cpu[n]

        first, ended = None, "hết cửa sổ đo"
        while True:  # the window counts from the first message, as the rates do
            await asyncio.sleep(1.0)
            sample()
            if any(run.poll() is not None for run in runs):
                ended = "một tiến trình đã thoát"
                break
            now = time.monotonic()
            if first is None:
                times = server.stats()["send_times"]
                if times:
                    first = now
                    cpu_at_first = list(cpu)
                elif now - started > 300:
                    ended = "không có tin nào sau 300 s"
                    break
                continue
            left = await states_of(sessions)
            if sum(left[k] for k in (SENT, FOLDED)) == REMINDERS:
                ended = "bão đã xong"
                break
            if now - first >= SECONDS:
                break
        startup = (first - started) if first else float("nan")
        spent = sum(cpu) - sum(cpu_at_first)  # CPU of the sending, start-up apart
        for run in runs:
            run.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        while any(run.poll() is None for run in runs) and time.monotonic() - signalled < 120:
            sample()
            await asyncio.sleep(0.1)
        stopping = time.monotonic() - signalled
        codes = [run.poll() for run in runs]
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
        stats = server.close()
        states = await states_of(sessions)
        async with sessions() as s:
            people_done = await s.scalar(
                select(func.count(func.distinct(OutboxItem.recipient_id))).where(
                    OutboxItem.occurrence == OCCURRENCE, OutboxItem.state.in_((SENT, FOLDED))
                )
            )
        await engine.dispose()
        if os.environ.get("DONDOC_BENCH_STORM_LOG"):  # the processes' log, kept to read
            Path(os.environ["DONDOC_BENCH_STORM_LOG"]).write_bytes(log.read_bytes())
        errors = [row for row in log.read_text(encoding="utf-8", errors="replace").splitlines()
                  if " ERROR " in row or "Traceback" in row][:3]  # fmt: skip
    return report(stats, states, people_done or 0, peaks, codes,
                  seeded=seeded, startup=startup, stopping=stopping, ended=ended, errors=errors, cpu=spent)  # fmt: skip


def report(stats: dict, states: Counter[str], people_done: int, peaks: list[float], codes: list[int | None],
           *, seeded: float, startup: float, stopping: float, ended: str, errors: list[str], cpu: float) -> dict:  # fmt: skip
    times = stats["send_times"]
    t0 = times[0] if times else 0.0
    span = times[-1] - t0 if len(times) > 1 else 0.0

    def share(seconds: float) -> str:
        if span < seconds * 0.99:
            return "-"
        return vn(round(sum(1 for t in times if t < t0 + seconds) / (LIMIT * seconds), 3))

    whole = (len(times) - 1) / span / LIMIT if span > 0 else 0.0
    worst = rolling_worst(times)
    tried = rolling_worst(stats.get("attempt_times", times))
    repeats = repeated(stats)
    extra_messages = sum(n - 1 for n in stats["per_chat"] if n > 1)
    sent, folded, pending = states[SENT], states[FOLDED], states["pending"] + states["pending*"]
    lost = REMINDERS - sent - folded - pending
    unrecorded = len(stats["chats"]) - people_done  # delivered, yet not recorded as sent
    too_many = stats["requests_429"]
    print(f"  tạo dữ liệu {vn(round(seeded, 1))} s; tin đầu sau khi khởi động {vn(round(startup, 1))} s; "
          f"đo {vn(round(span, 1))} s ({ended}); dừng bằng SIGTERM mất {vn(round(stopping, 1))} s, mã thoát {codes}")  # fmt: skip
    print(f"  tốc độ so với {LIMIT:.0f} tin/giây: 10 s đầu {share(10)}, 60 s đầu {share(60)}, "
          f"cả cửa sổ {vn(round(whole, 3))} ({vn(len(times))} tin) {'✓' if whole >= 0.9 else '✗'} (mục tiêu ≥ 0,9)")  # fmt: skip
    print(f"  giây cuộn đông nhất: {worst} tin nhận, {tried} lần gửi kể cả bị 429 (mục tiêu ≤ {LIMIT:.0f}) "
          f"{'✓' if tried <= LIMIT else '✗'}; lỗi 429: {too_many} (mục tiêu 0) {'✓' if too_many == 0 else '✗'}"
          f"{' ' + str(stats.get('limited')) if too_many else ''}")  # fmt: skip
    print(f"  lặp: {repeats} (mục tiêu 0) {'✓' if repeats == 0 else '✗'}; người nhận hơn một tin: {extra_messages}; "
          f"thất lạc: {lost} (mục tiêu 0) {'✓' if lost == 0 else '✗'}")  # fmt: skip
    print(f"  sau khi dừng: {vn(sent)} đã gửi, {vn(folded)} gộp vào tin khác, {vn(pending)} vẫn chờ "
          f"({states['pending*']} có thể đã đi), {unrecorded} tin đã tới mà chưa ghi; "
          f"các trạng thái khác: {dict((k, v) for k, v in states.items() if k not in (SENT, FOLDED, 'pending', 'pending*')) or 'không'}")  # fmt: skip
    print(f"  CPU của dondoc run khi gửi: {vn(round(cpu, 1))} s cho {vn(len(times))} tin = "
          f"{vn(round(1000 * cpu / max(1, len(times)), 1))} ms/tin, {two(cpu / span) if span else '-'} lõi "
          f"(ở mức đó, {LIMIT:.0f} tin/giây cần {two(LIMIT * cpu / max(1, len(times)))} lõi)")  # fmt: skip
    print(
        f"  bộ nhớ đỉnh (VmHWM) của dondoc run: {', '.join(f'{vn(round(p))} MB' for p in peaks)}; tải máy {load()}"
    )
    for row in errors:
        print(f"    log: {row[:160]}")
    return {
        "share": whole,
        "worst": tried,
        "429": too_many,
        "repeats": repeats,
        "lost": lost,
        "peaks": peaks,
    }


async def shared_pacing_alone(url: str, seconds: float = 10.0) -> None:
    """The shared budget alone, as two processes would take it (two engines, 40 senders
    each, a 10 ms "send"): the rate it allows when nothing else costs CPU, and its
    worst rolling second; the storm's share above is this bounded by the CPU per message."""
    from bot.channels.telegram_pacing import SharedBudget

    released: list[float] = []
    engines = [make_engine(url) for _ in range(2)]
    stop = time.monotonic() + seconds

    async def sender(budget: SharedBudget) -> None:
        while time.monotonic() < stop:
            held = await budget.overall()
            released.append(time.monotonic())
            await asyncio.sleep(0.01)
            await budget.done(held)

    try:
        await upgrade(engines[0])  # the send_pace table, when run alone
        budgets = [SharedBudget(e, LIMIT, 1.0) for e in engines]
        await asyncio.gather(*(sender(b) for b in budgets for _ in range(40)))
    finally:
        for engine in engines:
            await engine.dispose()
    released.sort()
    rate = (len(released) - 1) / (released[-1] - released[0]) / LIMIT
    print(f"  riêng nhịp chung qua PostgreSQL (2 engine, không tốn CPU gửi): {two(rate)} giới hạn, "
          f"giây cuộn đông nhất {rolling_worst(released)} (mục tiêu ≤ {LIMIT:.0f}); tải máy {load()}")  # fmt: skip


async def storm(postgres: str | None = None) -> None:
    """The province's storm on SQLite with one ``dondoc run``, then on PostgreSQL
    (``postgres``, else the environment's URL; skipped without one) with two."""
    import logging

    logging.getLogger("bot").setLevel(logging.CRITICAL)
    await run_storm("", "SQLite", 1)
    url = (
        postgres
        or os.environ.get("DONDOC_BENCH_POSTGRES_URL")
        or os.environ.get("DONDOC_TEST_POSTGRES_URL")
    )
    if not url:
        print("PostgreSQL, hai tiến trình: bỏ qua (đặt DONDOC_BENCH_POSTGRES_URL)")
        return
    await run_storm(url, "PostgreSQL", 2)
    await shared_pacing_alone(url)


async def main(names: list[str]) -> None:
    """``sqlite``, ``postgres`` or ``pacing`` (the shared budget alone), else all."""
    if names == ["sqlite"]:
        await run_storm("", "SQLite", 1)
    elif names == ["postgres"]:
        url = os.environ.get("DONDOC_BENCH_POSTGRES_URL") or os.environ.get(
            "DONDOC_TEST_POSTGRES_URL"
        )
        if not url:
            print("PostgreSQL: bỏ qua")
            return
        await run_storm(url, "PostgreSQL", 2)
        await shared_pacing_alone(url)
    elif names == ["pacing"]:
        url = os.environ.get("DONDOC_BENCH_POSTGRES_URL") or os.environ.get(
            "DONDOC_TEST_POSTGRES_URL"
        )
        await shared_pacing_alone(url) if url else print("PostgreSQL: bỏ qua")
    else:
        await storm()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
