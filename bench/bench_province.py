"""A province on one process (``make bench``; not a test): 480 organizations, 28,000
tasks, 600,000 status updates and 20,000 officers in a SQLite file (and again on
PostgreSQL when ``DONDOC_BENCH_POSTGRES_URL`` or ``DONDOC_TEST_POSTGRES_URL`` is set).

Prints, each a median of repeated runs measured in this one run:
- ``/tiendo`` of the province for a viewer of every organization, beside its floor: one
  raw SQL statement giving the same per-organization status counts from the history
  (each task's newest status row; checked equal), target ≤ 3×; and, for information,
  beside the same counts read from the status kept on each task (one statement over
  ``task``, checked equal too). ``/tiendo`` of one commune (60 tasks), target ≤ 5 ms.
- the reminder planning pass: the first (everything planned), then one with nothing
  changed (target: no write at all), its statements, CPU and wall time, and the longest
  stretch it kept the event loop from people's messages.

The rest of the province's measures run beside it in ``make bench``, each in its own file:
``bench_province_storm.py`` (the 08:00 storm: share of 30/s, 429s, repeats, peak memory;
two processes on PostgreSQL) and ``bench_province_flood.py`` (a leader's ``/viec`` while
60 strangers and 10 ``/baocao`` flood, target ≤ 2 s).
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from bench import bench_progress as city  # noqa: E402
from handlers.context import Services  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402
from handlers.messages import Incoming  # noqa: E402
from models.db import make_engine, session_factory, upgrade  # noqa: E402
from models.people import Identity, Membership, Person  # noqa: E402
from scheduler.clock import Clock  # noqa: E402

SCALE = float(os.environ.get("DONDOC_BENCH_SCALE", "1"))  # 0.05 for a quick try
ORGS, TASKS, UPDATES, OFFICERS = (max(2, int(n * SCALE)) for n in (480, 28_000, 600_000, 20_000))
vn = city.vn

# The floor: each task's newest status row before the cut, counted per organization and
# status, in one statement (the bench data has no undone newest status).
FLOOR = text(
    """
    SELECT p.organization_id, su.status, count(*)
    FROM task t JOIN plan p ON p.id = t.plan_id
    JOIN status_update su ON su.id = (
        SELECT s.id FROM status_update s
        WHERE s.task_id = t.id AND s.kind = 'status' AND s.created_at < :cut
        ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
    GROUP BY p.organization_id, su.status
    """
)
# The same counts from the status kept on each task (``models.status_store_kept``): the
# floor of reading it, one statement over the task table.
FLOOR_KEPT = text(
    """
    SELECT p.organization_id, CASE WHEN t.status_at IS NULL THEN 'not_started' ELSE t.status END,
           count(*)
    FROM task t JOIN plan p ON p.id = t.plan_id
    WHERE NOT t.withdrawn
    GROUP BY 1, 2
    """
)


async def add_officers(engine) -> None:  # noqa: ANN001
    """20,000 officers, spread over the units, each with a Telegram chat."""
    made = city.NOW.astimezone(UTC) - timedelta(days=300)
    units = ORGS * len(city.UNITS)
    people = [{"id": 10 + i, "display_name": f"Cán bộ {i}", "language": "vi", "created_at": made}
              for i in range(OFFICERS)]  # fmt: skip
    identities = [{"person_id": 10 + i, "channel": "telegram", "external_id": str(100_000 + i),
                   "chat_id": str(100_000 + i)} for i in range(OFFICERS)]  # fmt: skip
    memberships = [{"person_id": 10 + i, "organization_id": (i % units) // len(city.UNITS) + 1,
                    "unit_id": i % units + 1, "role": "officer"} for i in range(OFFICERS)]  # fmt: skip
    async with engine.begin() as conn:
        for model, rows in ((Person, people), (Identity, identities), (Membership, memberships)):
            await city.insert(conn, model.__table__, rows)


async def build(url: str):  # noqa: ANN201
    city.ORGS, city.TASKS, city.UPDATES = ORGS, TASKS, UPDATES
    engine = make_engine(url)
    await upgrade(engine)
    started = time.perf_counter()
    await city.build(engine)
    await add_officers(engine)
    if engine.dialect.name == "postgresql":
        # A database in service has been vacuumed since its rows were written: measured
        # right after a bulk load, the autovacuum's first passes (and the hint bits the
        # first readers set) ran beside the figures and doubled a commune's /tiendo.
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    print(f"  {vn(OFFICERS)} cán bộ; tạo dữ liệu mất {vn(round(time.perf_counter() - started, 1))} s.")
    return engine, session_factory(engine)


async def figures(engine, sessions) -> None:  # noqa: ANN001
    # As ``dondoc run`` does once started (bot/runner.py): what was built so far (here the
    # data's own lists) stays out of the collector's full passes.
    gc.collect()
    gc.freeze()
    conversation = Conversation(Services(sessions=sessions, clock=Clock.starting_at(city.NOW, frozen=True)))

    def ask(user: str, words: str):  # noqa: ANN202
        incoming = Incoming(channel="console", user_id=user, chat_id=user, text=words)

        async def run() -> object:
            replies = await conversation.handle(incoming)
            assert replies and "Xin lỗi" not in replies[0].text, replies[0].text
            return replies

        return run

    from models.progress_queries import day_end, plan_facts

    cut = day_end(city.NOW.date(), "Asia/Ho_Chi_Minh")

    async def floor() -> dict[tuple[int, str], int]:
        async with engine.connect() as conn:
            rows = await conn.execute(FLOOR, {"cut": cut if engine.dialect.name == "postgresql" else cut.strftime("%Y-%m-%d %H:%M:%S.%f")})
            return {(org, status): n for org, status, n in rows}

    async def floor_kept() -> dict[tuple[int, str], int]:
        async with engine.connect() as conn:
            return {(org, status): n for org, status, n in await conn.execute(FLOOR_KEPT)}

    async with sessions() as session:  # the floor counts what /tiendo counts
        facts = await plan_facts(session, list(range(1, ORGS + 1)), city.NOW.date(), "Asia/Ho_Chi_Minh", with_units=False)
    ours: dict[tuple[int, str], int] = {}
    for org, fact in facts:
        ours[(org, fact.status)] = ours.get((org, fact.status), 0) + 1
    raw = await floor()
    assert ours == raw, "the floor counts differently"
    assert await floor_kept() == raw, "the kept statuses differ from the history"
    province = await city.median_ms(ask("p2", "/tiendo"), 9)
    base = await city.median_ms(floor, 9)
    kept = await city.median_ms(floor_kept, 9)
    commune = await city.median_ms(ask("p1", "/tiendo"), 40)
    commune_floor_sql = await city.median_ms(lambda: plan_facts_one(sessions), 40)
    ratio = province / base
    print(f"  tiendo tỉnh ({ORGS} xã): trung vị {vn(round(province, 1))} ms; sàn (1 câu SQL) {vn(round(base, 1))} ms;"
          f" tỉ lệ {vn(round(ratio, 2))} (mục tiêu ≤ 3) {'✓' if ratio <= 3 else '✗'}")  # fmt: skip
    print(f"    sàn đọc tình trạng giữ sẵn trên nhiệm vụ (1 câu SQL trên bảng task) {vn(round(kept, 1))} ms;"
          f" tỉ lệ {vn(round(province / kept, 2))}")  # fmt: skip
    print(f"  tiendo 1 xã (60 nhiệm vụ): trung vị {vn(round(commune, 2))} ms (mục tiêu ≤ 5 ms) {'✓' if commune <= 5 else '✗'};"
          f" các câu truy vấn của nó {vn(round(commune_floor_sql, 2))} ms; tỉ lệ {vn(round(commune / commune_floor_sql, 2))}")  # fmt: skip


async def plan_facts_one(sessions) -> object:  # noqa: ANN001
    from models.progress_queries import plan_facts

    async with sessions() as session:
        return await plan_facts(session, [1], city.NOW.date(), "Asia/Ho_Chi_Minh")


class Stretches:
    """The longest stretch the event loop ran without coming back to its other tasks
    (people's messages wait that long behind planning): a ticker asks for a 5 ms sleep
    and notes how late it woke, in wall time and in CPU time of the loop's thread (the
    CPU figure leaves out what other processes of a busy machine took)."""

    TICK = 0.005

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self._running = False
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while self._running:
            wall, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(self.TICK)
            self.wall = max(self.wall, time.perf_counter() - wall - self.TICK)
            self.cpu = max(self.cpu, time.thread_time() - cpu)

    async def __aenter__(self) -> Stretches:
        self._running = True
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._running = False
        if self._task is not None:
            await self._task


async def planning(engine, sessions) -> None:  # noqa: ANN001
    """The first planning pass (everything), then the hourly one an hour later, when
    nothing changed: statements (writes apart), CPU seconds of this process, wall time,
    and the longest stretch without giving the event loop back."""
    from bot.reminders import ReminderService

    clock = Clock.starting_at(city.NOW.replace(hour=9), frozen=True)
    service = ReminderService(Services(sessions=sessions, clock=clock), {})
    counted: dict[str, int] = {}

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        word = statement.split(None, 1)[0].upper()
        counted[word] = counted.get(word, 0) + 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    for name, due_only in (("lần đầu (lập tất cả)", False), ("mỗi giờ, không có gì đổi", True)):
        counted.clear()
        async with Stretches() as longest:
            cpu, wall = time.process_time(), time.perf_counter()
            added = await service.plan(only_if_due=due_only)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        writes = sum(counted.get(w, 0) for w in ("INSERT", "UPDATE", "DELETE"))
        print(f"  lập lịch nhắc {name}: {vn(sum(counted.values()))} câu lệnh, {vn(writes)} câu ghi,"
              f" {vn(added)} dòng mới, CPU {vn(round(cpu, 2))} s, {vn(round(wall, 2))} s đồng hồ;"
              f" lâu nhất không nhường vòng sự kiện {vn(round(longest.wall * 1000))} ms"
              f" (CPU {vn(round(longest.cpu * 1000))} ms)")  # fmt: skip
        clock.move_to(clock.now() + timedelta(hours=1))
    event.remove(engine.sync_engine, "before_cursor_execute", count)


async def run_on(url: str, label: str) -> None:
    print(f"{label}:")
    engine, sessions = await build(url)
    await figures(engine, sessions)
    await planning(engine, sessions)
    await engine.dispose()


async def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        await run_on(f"sqlite+aiosqlite:///{folder}/province.sqlite3", "SQLite")
    pg = os.environ.get("DONDOC_BENCH_POSTGRES_URL") or os.environ.get("DONDOC_TEST_POSTGRES_URL")
    if pg:
        await run_on(pg, "PostgreSQL")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Bộ nhớ đỉnh của tiến trình bench: {vn(round(peak))} MB")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
