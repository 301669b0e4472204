"""Benchmark: delivery under faults, second round (issue 23), with real ``dondoc run``
processes against the fake Bot API in a process of its own. Each case prints lost /
repeated / wrong task / 429; targets: 0 lost, repeats ≤ the sends in flight at a kill
and 0 at a graceful stop, 0 wrong task, 0 × 429. A measurement for ``make bench``.

* slow answers + SIGTERM: the 5,000 storm with every answer 8 s late, SIGTERM at half way.
* a hanging API in a 40-officer commune: 100 reminders; every send hangs 40 s then 504,
  for 4 minutes.
* a plain answer while down: the officer's ``/viec 2`` puts task 2 in focus; the task-1
  reminder is delivered and dondoc is killed (-9) before recording it (or gets SIGTERM
  while Telegram holds the answer 12 s); the officer answers «Hoàn thành…» while it is
  down; after the restart the answer must not land on task 2.
* a symlink: a second ``dondoc run`` on the same SQLite file through a symlink.
* a storm across 18:00: 5,000 reminders start at 17:59:00; nothing may start later; the
  rest go the next working morning from 08:00, one message per person.
* on time: the 08:00 storm with ``dondoc run`` started at 07:59:00: the first send's
  delay after 08:00 (ms) and the first 10 s's share of 30/s (issue 24).
* a start during an outage: every method answers 502 for 60 s at start.
* two processes on PostgreSQL (``DONDOC_BENCH_POSTGRES_URL``, else skipped).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from bench.bench_faults import FakeServer, write_config  # noqa: E402
from bench.bench_reminders import AT, OCCURRENCE, PEOPLE, REMINDERS, TZ, seed  # noqa: E402
from models.db import open_database  # noqa: E402
from models.outbox import FOLDED, SENT, OutboxItem  # noqa: E402
from models.plans import StatusUpdate, Task  # noqa: E402
from scheduler.clock import Clock  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ANSWER = "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"


def start_run(config: Path, now: datetime, started: float, *, log: Path | None = None) -> subprocess.Popen:
    moment = (now + timedelta(seconds=time.monotonic() - started)).isoformat()
    env = {**os.environ, "DONDOC_CONFIG": str(config)}
    out = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--now", moment],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out,
    )  # fmt: skip


def line(name: str, lost: int, repeated: int, wrong: int | str, too_many: int, extra: str = "") -> None:
    print(f"{name}: thất lạc {lost}, lặp {repeated}, sai nhiệm vụ {wrong}, 429: {too_many}{extra}")


def repeats(stats: dict) -> int:
    return sum(n - 1 for n in stats["per_chat"] if n > 1)


def show_repeats(stats: dict) -> None:
    """Each repeated chat's messages, first line: a marked "(Gửi lại…" copy is the one
    send that was in flight (maybe sent, sent again once and said so)."""
    for chat, texts in list(stats.get("repeated", {}).items())[:5]:
        firsts = " | ".join(t.splitlines()[0][:70] if t else "" for t in texts)
        print(f"    chat {chat}: {len(texts)} tin: {firsts}")


async def storm_db(folder: str, *, people: int = PEOPLE, reminders: int = REMINDERS, at: datetime = AT, url: str | None = None):  # noqa: ANN201
    url = url or f"sqlite+aiosqlite:///{folder}/faults.sqlite3"
    engine, sessions = await open_database(url)
    await seed(sessions, people, reminders, at)
    return url, engine, sessions


async def lost_of(sessions, total: int) -> int:  # noqa: ANN001
    """The storm's reminders (``total`` seeded) neither sent nor folded into a digest."""
    async with sessions() as s:
        done = await s.scalar(
            select(func.count()).select_from(OutboxItem).where(
                OutboxItem.occurrence == OCCURRENCE, OutboxItem.state.in_((SENT, FOLDED))
            )
        )
    return total - int(done or 0)


async def wait_done(sessions, total: int, limit: float = 900) -> None:  # noqa: ANN001
    deadline = time.monotonic() + limit
    while await lost_of(sessions, total) and time.monotonic() < deadline:
        await asyncio.sleep(1)


async def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    process.send_signal(sig)
    while process.poll() is None:
        await asyncio.sleep(0.1)
    return process.returncode


# -- slow answers + SIGTERM ---------------------------------------------------------------------


async def slow_sigterm() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await storm_db(folder)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        server.command("slow 100000 8")
        started = time.monotonic()
        process = start_run(config, AT, started)
        while len(server.stats()["chats"]) < PEOPLE / 2:
            await asyncio.sleep(0.2)
        signalled = time.monotonic()
        await stop(process)
        took = time.monotonic() - signalled
        await asyncio.sleep(9)  # the answers held by the server come back meanwhile
        process = start_run(config, AT, started)
        await wait_done(sessions, REMINDERS)
        await stop(process)
        stats = server.close()
        lost = await lost_of(sessions, REMINDERS)
        await engine.dispose()
    line("API trả lời chậm 8 s + SIGTERM", lost, repeats(stats), "-", stats["requests_429"], f" (dừng sau {took:.1f} s)")
    show_repeats(stats)


# -- a hanging API in a 40-officer commune ------------------------------------------------------


async def hanging_commune() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await storm_db(folder, people=40, reminders=100)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        server.command("hang 240 40")
        started = time.monotonic()
        process = start_run(config, AT, started)
        await asyncio.sleep(240)
        await wait_done(sessions, 100, limit=300)
        back = time.monotonic() - started - 240
        await stop(process)
        stats = server.close()
        lost = await lost_of(sessions, 100)
        await engine.dispose()
    line("API treo 40 s rồi 504 trong 4 phút, xã 40 cán bộ", lost, repeats(stats), "-", stats["requests_429"],
         f" ({stats['requests_504']} lần 504; xong {back:.0f} s sau khi API trở lại)")  # fmt: skip


# -- a plain answer while down ----------------------------------------------------------------


async def plain_answer(kind: str) -> None:
    from tests.test_runner import seed as seed_people

    officer = 42
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/answer.sqlite3"
        engine, sessions = await open_database(url)
        await seed_people(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True),
                          telegram_ids={officer: ("officer", "Phòng Văn hóa - Xã hội")})  # fmt: skip
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        with config.open("a", encoding="utf-8") as f:
            f.write("stop_timeout = 10\n")
        started = time.monotonic()
        # 12/01/2026 07:59:40: the task-1 reminder (3 working days before 14/01) is due at 08:00
        process = start_run(config, datetime(2026, 1, 13, 7, 59, 40, tzinfo=TZ), started)
        await asyncio.sleep(4)
        server.command(f"say {officer} /viec 2")
        while not (shown := server.stats()["texts"].get(str(officer), [])):
            await asyncio.sleep(0.2)
        server.command("slow 100000 12")  # from now on Telegram holds each answer 12 s
        while len(server.stats()["texts"].get(str(officer), [])) <= len(shown):  # the 08:00 reminder
            await asyncio.sleep(0.05)
        await stop(process, signal.SIGKILL if kind == "kill" else signal.SIGTERM)
        server.command("slow 0 0")
        server.command(f"say {officer} {ANSWER}")  # typed while dondoc is down
        process = start_run(config, datetime(2026, 1, 13, 8, 1, tzinfo=TZ), started)
        deadline = time.monotonic() + 60
        texts: list[str] = []
        while time.monotonic() < deadline:
            texts = server.stats()["texts"].get(str(officer), [])
            if any("Đã ghi nhận" in t or "trả lời nhiệm vụ" in t for t in texts):
                break
            await asyncio.sleep(0.2)
        await stop(process)
        stats = server.close()
        async with sessions() as s:
            task2 = await s.scalar(select(Task.id).where(Task.number == "2"))
            on_two = len(list(await s.scalars(select(StatusUpdate.id).where(StatusUpdate.task_id == task2, StatusUpdate.kind == "status"))))
        await engine.dispose()
    reminders = [t for t in stats["texts"].get(str(officer), []) if "Nhiệm vụ 1" in t or "• 1" in t or " 1." in t]
    asked = any("trả lời nhiệm vụ" in t for t in texts)
    name = "kill -9" if kind == "kill" else "giữ trả lời 12 s + SIGTERM"
    line(f"Trả lời trơn lúc dondoc dừng ({name})", 0, max(0, len(reminders) - 1), on_two, stats["requests_429"],
         f" (hỏi lại bằng một chạm: {'có' if asked else 'không'}; tin nhắc NV 1: {len(reminders)}, "
         f"bản gửi lại có đánh dấu: {sum(t.startswith('(Gửi lại') for t in reminders)})")  # fmt: skip


# -- a symlink --------------------------------------------------------------------------------


async def symlink() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await storm_db(folder)
        link = Path(folder) / "link.sqlite3"
        link.symlink_to(Path(folder) / "faults.sqlite3")
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        other = Path(folder) / "other"
        other.mkdir()
        config_link = write_config(str(other), server.urls, f"sqlite+aiosqlite:///{link}")
        started = time.monotonic()
        first = start_run(config, AT, started)
        await asyncio.sleep(5)
        second = start_run(config_link, AT, started)
        code = await asyncio.get_running_loop().run_in_executor(None, second.wait)
        await wait_done(sessions, REMINDERS)
        await stop(first)
        stats = server.close()
        lost = await lost_of(sessions, REMINDERS)
        await engine.dispose()
    line("dondoc thứ hai qua symlink", lost, repeats(stats), "-", stats["requests_429"], f" (tiến trình thứ hai thoát mã {code})")
    show_repeats(stats)


# -- a storm across 18:00 -----------------------------------------------------------------------


async def across_six() -> None:
    """The storm from 17:59:00 for ``DONDOC_BENCH_SIX_SECONDS`` (130) s, stopped; then a
    start at Tuesday 07:59:50 sends the rest from 08:00, one message per person."""
    late = datetime(2026, 3, 2, 17, 59, 0, tzinfo=TZ)  # a Monday
    morning = datetime(2026, 3, 3, 7, 59, 50, tzinfo=TZ)
    seconds = float(os.environ.get("DONDOC_BENCH_SIX_SECONDS", "130"))
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await storm_db(folder, at=late)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        started = time.monotonic()
        process = start_run(config, late, started)
        await asyncio.sleep(seconds)
        await stop(process)
        evening = server.stats()
        six = datetime(2026, 3, 2, 18, 0, tzinfo=TZ)  # by the process's own clock
        async with sessions() as s:
            storm = OutboxItem.occurrence == OCCURRENCE
            sent = list(await s.scalars(select(OutboxItem).where(storm, OutboxItem.state == SENT)))
            waiting = list(await s.scalars(select(OutboxItem).where(storm, OutboxItem.state == "pending")))
        restarted = time.monotonic()
        process = start_run(config, morning, restarted)
        await wait_done(sessions, REMINDERS, limit=300)
        await stop(process)
        stats = server.close()
        async with sessions() as s:
            done = list(await s.scalars(select(OutboxItem).where(storm, OutboxItem.state.in_((SENT, FOLDED)))))
        await engine.dispose()
    started_late = sum(1 for r in sent if r.wire_at is not None and r.wire_at >= six)
    answered_late = sum(1 for r in sent if r.sent_at >= six)
    mornings = sorted({w.send_at.astimezone(TZ).strftime("%d/%m %H:%M") for w in waiting})
    line("Bão qua 18:00", REMINDERS - len(sent) - len(waiting), repeats(evening), "-", evening["requests_429"],
         f" ({len(sent)} tin đã gửi; bắt đầu sau 18:00:00: {started_late}, trả lời sau 18:00:00: {answered_late};"
         f" {len(waiting)} chờ tới {', '.join(mornings)})")  # fmt: skip
    waited = {r.recipient_id for r in waiting}
    tuesday = [r for r in done if r.recipient_id in waited]
    first = min((r.sent_at for r in tuesday), default=None)
    before = {chat: n for chat, n in evening["chats"].items()}
    new = {chat: n - before.get(chat, 0) for chat, n in stats["chats"].items() if n > before.get(chat, 0)}
    line("  sáng hôm sau", REMINDERS - len(done), sum(n - 1 for n in new.values()), "-", stats["requests_429"] - evening["requests_429"],
         f" ({len(tuesday)} nhắc của {len(waited)} người đi trong {len(new)} tin, mỗi người một tin: "
         f"{'có' if all(n == 1 for n in new.values()) else 'không'}; tin đầu "
         f"{first.astimezone(TZ).strftime('%d/%m %H:%M:%S') if first else '-'})")  # fmt: skip


# -- on time at 08:00 (issue 24) ------------------------------------------------------------------


async def on_time() -> None:
    """The 5,000 storm due at 08:00, ``dondoc run`` started at 07:59:00 (its start-up
    planning pass due): the first send after 08:00 in ms and the first 10 s's messages
    as a share of 30/s, both by the process's own clock (its start takes seconds here)."""
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await storm_db(folder)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        process = start_run(config, AT - timedelta(seconds=60), time.monotonic())
        await wait_done(sessions, REMINDERS, limit=600)
        await stop(process)
        stats = server.close()
        async with sessions() as s:
            storm = OutboxItem.occurrence == OCCURRENCE
            rows = list(await s.execute(select(OutboxItem.wire_at, OutboxItem.sent_at, OutboxItem.recipient_id).where(storm, OutboxItem.state == SENT)))
        await engine.dispose()
    first = min((w for w, _, _ in rows if w is not None), default=None)
    late = (first - AT).total_seconds() * 1000 if first else float("nan")
    answered = min((s for _, s, _ in rows), default=None)
    early = {p for w, _, p in rows if w is not None and w < AT + timedelta(seconds=10)}  # one message each
    line("Đúng 08:00", 0, repeats(stats), "-", stats["requests_429"],
         f" (tin đầu bắt đầu {late:.0f} ms sau 08:00, được trả lời lúc "
         f"{answered.astimezone(TZ).strftime('%H:%M:%S.%f')[:-3] if answered else '-'}; "
         f"bắt đầu trong 10 s đầu: {len(early)} tin = {len(early) / 300:.2f} giới hạn 30/s)")  # fmt: skip


# -- a start during an outage ------------------------------------------------------------------


async def start_in_outage() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url, engine, sessions = await storm_db(folder, people=40, reminders=100)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        server.command("dark 60")
        started = time.monotonic()
        log = Path(folder) / "run.log"
        process = start_run(config, AT, started, log=log)
        await asyncio.sleep(58)
        alive = process.poll() is None
        await wait_done(sessions, 100, limit=180)
        await stop(process)
        stats = server.close()
        lost = await lost_of(sessions, 100)
        await engine.dispose()
        warnings = [row for row in log.read_text(encoding="utf-8").splitlines() if "chưa kết nối được" in row]
    first = min(stats["send_times"], default=started) - started - 60
    line("Khởi động lúc API mất 60 s", lost, repeats(stats), "-", stats["requests_429"],
         f" (còn chạy lúc mất mạng: {'có' if alive else 'không'}; {len(warnings)} dòng log; tin đầu {first:.0f} s sau khi API trở lại)")  # fmt: skip


# -- two processes on PostgreSQL ------------------------------------------------------------------


async def two_postgres() -> None:
    url = os.environ.get("DONDOC_BENCH_POSTGRES_URL") or os.environ.get("DONDOC_TEST_POSTGRES_URL")
    if not url:
        print("Hai tiến trình trên PostgreSQL: bỏ qua (đặt DONDOC_BENCH_POSTGRES_URL)")
        return
    from models.db import make_engine

    reset = make_engine(url)
    async with reset.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await reset.dispose()
    with tempfile.TemporaryDirectory() as folder:
        _, engine, sessions = await storm_db(folder, url=url)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        started = time.monotonic()
        processes = [start_run(config, AT, started) for _ in range(2)]
        await wait_done(sessions, REMINDERS)
        for process in processes:
            await stop(process)
        stats = server.close()
        lost = await lost_of(sessions, REMINDERS)
        await engine.dispose()
    took = max(stats["send_times"]) - min(stats["send_times"])
    conflicts = f"{stats.get('poll_conflicts', 0)} lần 409 getUpdates, {stats.get('poll_overlaps', 0)} lần hai tiến trình cùng chờ tin"
    line("Hai tiến trình trên PostgreSQL", lost, repeats(stats), "-", stats["requests_429"], f" (bão xong trong {took:.0f} s; {conflicts})")


CASES = {
    "slow_sigterm": slow_sigterm,
    "hang": hanging_commune,
    "answer_kill": lambda: plain_answer("kill"),
    "answer_term": lambda: plain_answer("term"),
    "symlink": symlink,
    "six": across_six,
    "on_time": on_time,
    "outage_start": start_in_outage,
    "postgres": two_postgres,
}


async def main(names: list[str] | None = None) -> None:
    import logging

    logging.basicConfig(level=logging.CRITICAL)
    for name in names or list(CASES):
        await CASES[name]()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or None))
