"""How fast is the web view? (``make bench``; not a test.)

Builds the city of ``bench_progress`` (120 communes, 7,000 tasks, 150,000 status updates
in a SQLite file; again on PostgreSQL when ``DONDOC_BENCH_POSTGRES_URL`` or
``DONDOC_TEST_POSTGRES_URL`` is set), serves the real web application on a local port
(aiohttp's test server) and, signed in with a real session cookie, times over HTTP the
median of repeated requests:

- each page of one commune (60 tasks) for its leader, and the commune and a task for a
  viewer of every commune: target ≤ 150 ms each;
- the city page for that viewer (120 rows and the trend of 12 months): target ≤ 400 ms;
  its first visit, when no month is counted yet, for information;
- the city page's query (``models.city_figures.plan_rows`` over the 120 communes) beside
  a raw SQL aggregate of the same rows (each task's newest status, counted per commune
  and status, in one statement), both measured in this run: target ratio ≤ 3.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench import bench_progress as city  # noqa: E402
from handlers.context import Services  # noqa: E402
from models import web_access  # noqa: E402
from models.city_figures import plan_rows, plan_stamps  # noqa: E402
from models.db import make_engine, session_factory, upgrade  # noqa: E402
from models.progress import tally  # noqa: E402
from models.progress_queries import day_end, plan_facts  # noqa: E402
from scheduler.clock import Clock  # noqa: E402
from web.app import COOKIE  # noqa: E402
from web.gate import Gate, WebSettings  # noqa: E402
from web.security import new_session_token  # noqa: E402
from web.server import make_app  # noqa: E402

vn = city.vn
ZONE = "Asia/Ho_Chi_Minh"
# The floor: each task's newest status row before the cut, counted per organization and
# status, in one statement (as bench_province's).
FLOOR = text(
    """
    SELECT p.organization_id, su.status, count(*)
    FROM task t JOIN plan p ON p.id = t.plan_id
    JOIN status_update su ON su.id = (
        SELECT s.id FROM status_update s
        WHERE s.task_id = t.id AND s.kind = 'status' AND s.created_at < :cut
        ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
    WHERE t.withdrawn = :no
    GROUP BY p.organization_id, su.status
    """
)


async def signed_in(sessions, clock: Clock, person_id: int) -> str:  # noqa: ANN001
    """A session cookie's value for ``person_id``, as the gate would open it."""
    token = new_session_token()
    async with sessions() as session, session.begin():
        person = await web_access.person_with_grants(session, person_id)
        now = clock.now(UTC)
        await web_access.add_session(session, person, token, now, now.replace(year=now.year + 1))
    return token


async def pages(engine, sessions) -> bool:  # noqa: ANN001, C901 - one straight run
    clock = Clock.starting_at(city.NOW, frozen=True)
    services = Services(sessions=sessions, clock=clock)
    gate = Gate(WebSettings("http://127.0.0.1", b"b" * 32), sessions, clock)
    app = make_app(services, gate, None)
    client = TestClient(TestServer(app, port=0))
    await client.start_server()
    leader, viewer = await signed_in(sessions, clock, 1), await signed_in(sessions, clock, 2)

    def get(path: str, who: str):  # noqa: ANN202
        async def run() -> str:
            answer = await client.get(path, cookies={COOKIE: who}, allow_redirects=False)
            body = await answer.text()
            assert answer.status == 200, (path, answer.status, body[:300])
            return body

        return run

    ok = True
    first = time.perf_counter()
    page = await get("/web/thanhpho", viewer)()
    cold = (time.perf_counter() - first) * 1000
    assert page.count('<tr data-org="') == city.ORGS and page.count('<tr data-month="') == 12
    city.line("  trang thành phố, lần đầu (chưa có tháng nào trong bộ nhớ)", cold, None)
    measured = [
        ("trang xã (lãnh đạo, 60 nhiệm vụ)", get("/web/xa/1", leader), 150),
        ("trang nhiệm vụ (lãnh đạo)", get("/web/viec/1", leader), 150),
        ("tìm «bao cao» trong xã (lãnh đạo)", get("/web/tim?q=bao+cao", leader), 150),
        ("tìm theo bộ lọc: quá hạn (lãnh đạo)", get("/web/tim?tinh_trang=overdue", leader), 150),
        ("trang xã (người theo dõi 120 xã)", get("/web/xa/1", viewer), 150),
        ("trang nhiệm vụ (người theo dõi)", get("/web/viec/1", viewer), 150),
        (f"trang thành phố ({city.ORGS} xã, xu hướng 12 tháng)", get("/web/thanhpho", viewer), 400),
        ("trang thành phố, sắp theo tỷ lệ", get("/web/thanhpho?xep=tyle&chieu=tang", viewer), 400),
    ]
    for name, run, target in measured:
        ok &= city.line(f"  {name}", await city.median_ms(run, 15), target)
    await client.close()

    # The city page's query beside the floor, on the same rows and day.
    today = city.NOW.date()
    cut = day_end(today, ZONE)
    bound = cut if engine.dialect.name == "postgresql" else cut.strftime("%Y-%m-%d %H:%M:%S.%f")
    async with sessions() as session:
        stamps = await plan_stamps(session, list(range(1, city.ORGS + 1)))
    plans = {s.plan_id: ZONE for s in stamps}

    async def ours() -> object:
        async with sessions() as session:
            return await plan_rows(
                session, plans, today, deadline_end=services.calendar.deadline_end
            )

    async def floor() -> object:
        async with engine.connect() as conn:
            return (await conn.execute(FLOOR, {"cut": bound, "no": False})).all()

    rows = await ours()
    async with sessions() as session:  # the same figures as dondoc progress
        facts = await plan_facts(session, list(plans), today, ZONE, with_units=False)
    by_org: dict[int, list] = {}
    for org, fact in facts:
        by_org.setdefault(org, []).append(fact)
    for org, found in by_org.items():
        t = tally(found, today, deadline_end=services.calendar.deadline_end).overall
        assert (t.total, t.done, t.counts["overdue"]) == (
            rows[org].total,
            rows[org].done,
            rows[org].overdue,
        ), org
    counted = sum(n for _org, _status, n in await floor())
    assert counted == sum(r.total for r in rows.values()), (
        "the floor counts other rows"
    )  # every task has a status
    query, base = await city.median_ms(ours, 15), await city.median_ms(floor, 15)
    ratio = query / base
    print(
        f"  câu truy vấn của trang thành phố: trung vị {vn(round(query, 1))} ms; sàn (1 câu SQL) "
        f"{vn(round(base, 1))} ms; tỉ lệ {vn(round(ratio, 2))} (mục tiêu ≤ 3) {'✓' if ratio <= 3 else '✗'}"
    )
    return ok and ratio <= 3


async def run_on(url: str, label: str) -> bool:
    print(f"{label}:")
    engine = make_engine(url)
    await upgrade(engine)
    started = time.perf_counter()
    await city.build(engine)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    print(f"  tạo dữ liệu mất {vn(round(time.perf_counter() - started, 1))} s.")
    try:
        return await pages(engine, session_factory(engine))
    finally:
        await engine.dispose()


async def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        ok = await run_on(f"sqlite+aiosqlite:///{folder}/web.sqlite3", "SQLite")
    pg = os.environ.get("DONDOC_BENCH_POSTGRES_URL") or os.environ.get("DONDOC_TEST_POSTGRES_URL")
    if pg:
        ok &= await run_on(pg, "PostgreSQL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
