"""How fast are /tiendo and the appendix? (``make bench``; not a test.)

Builds a SQLite database in a temporary folder: a city of 120 organizations with 7,000
tasks and 150,000 status updates over 2026 (one of them a commune of 60 tasks), its
leader, and a viewer of every organization. Then times, through the real conversation
(``Conversation.handle``), the median of repeated runs:

- /tiendo of one commune (text), target ≤ 30 ms; with its chart, for information;
- /tiendo of the city for the viewer (one line per organization), target ≤ 300 ms;
- the .docx appendix of one commune (figures, rows and file), target ≤ 1 s.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from documents.report_docx import report_docx  # noqa: E402
from documents.report_rows import build_report, make_period  # noqa: E402
from handlers.context import Services  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402
from handlers.messages import Incoming  # noqa: E402
from models.db import open_database  # noqa: E402
from models.people import Identity, Membership, Organization, Person, Unit  # noqa: E402
from models.plans import Plan, Section, StatusUpdate, Task, TaskUnit  # noqa: E402
from models.status_store_kept import refill  # noqa: E402
from scheduler.clock import Clock  # noqa: E402
from scheduler.workdays import WorkCalendar  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ORGS, TASKS, UPDATES = 120, 7_000, 150_000
ONE_ORG_TASKS = 60
NOW = datetime(2026, 12, 21, 8, 0, tzinfo=TZ)
UNITS = (
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế",
    "Văn phòng HĐND và UBND",
    "Trung tâm Phục vụ hành chính công",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Công an xã",
)
SECTIONS = ("I", "II", "III", "IV", "V", "VI", "VII")
DEADLINES = (  # (text, kind, start, due, every)
    ("Trước ngày 15/01/2026", "due", None, date(2026, 1, 15), None),
    ("Quý I/2026", "period", date(2026, 1, 1), date(2026, 3, 31), None),
    ("Quý III/2026", "period", date(2026, 7, 1), date(2026, 9, 30), None),
    ("Cả năm 2026", "period", date(2026, 1, 1), date(2026, 12, 31), None),
    ("Cả năm 2026", "period", date(2026, 1, 1), date(2026, 12, 31), None),
    ("Thường xuyên", "continuous", None, None, None),
    ("Theo yêu cầu của Sở Nội vụ", "on_request", None, None, None),
    ("Tháng 10 hàng năm", "recurring", date(2026, 10, 1), date(2026, 10, 31), "year"),
)


def vn(value: float) -> str:
    return format_decimal(value, format="#,##0.#", locale="vi")


def sizes() -> list[int]:
    """Tasks per organization: the first has 60, the others share the rest."""
    rest, others = TASKS - ONE_ORG_TASKS, ORGS - 1
    return [ONE_ORG_TASKS] + [
        rest // others + (1 if i < rest % others else 0) for i in range(others)
    ]


async def insert(conn, table, rows: list[dict]) -> None:  # noqa: ANN001
    for start in range(0, len(rows), 5_000):
        await conn.execute(table.insert(), rows[start : start + 5_000])


async def build(engine) -> None:  # noqa: ANN001, C901 - one straight-line data generator
    rng = random.Random(2026)
    made = datetime(2026, 1, 2, 8, tzinfo=TZ).astimezone(UTC)
    orgs, units, plans, sections, tasks, links = [], [], [], [], [], []
    task_id = unit_id = section_id = 0
    for org_id, count in enumerate(sizes(), 1):
        name = "Xã Một" if org_id == 1 else f"Xã số {org_id:03d}"
        orgs.append(
            {"id": org_id, "name": name, "timezone": "Asia/Ho_Chi_Minh", "created_at": made}
        )
        plans.append({"id": org_id, "organization_id": org_id, "title": "Kế hoạch cải cách hành chính năm 2026",
                      "year": 2026, "source_file": None, "imported_at": made})  # fmt: skip
        org_units = []
        for unit in UNITS:
            unit_id += 1
            org_units.append(unit_id)
            units.append({"id": unit_id, "organization_id": org_id, "name": unit,
                          "normalized_name": unit.casefold(), "aliases": []})  # fmt: skip
        org_sections = []
        for order, numeral in enumerate(SECTIONS):
            section_id += 1
            org_sections.append(section_id)
            sections.append({"id": section_id, "plan_id": org_id, "numeral": numeral,
                             "title": f"Mục {numeral}", "order": order})  # fmt: skip
        for position in range(count):
            task_id += 1
            text, kind, start, due, every = DEADLINES[rng.randrange(len(DEADLINES))]
            tasks.append({
                "id": task_id, "plan_id": org_id, "section_id": org_sections[position * 7 // count],
                "number": str(position + 1), "position": position,
                "content": f"Nhiệm vụ cải cách hành chính số {position + 1}: triển khai, rà soát và báo cáo kết quả thực hiện theo kế hoạch",
                "product": "Báo cáo", "lead_note": "", "cooperating_note": "Các cơ quan chuyên môn UBND xã",
                "deadline_text": text, "deadline_kind": kind, "deadline_start": start, "deadline_due": due,
                "deadline_every": every, "status": "not_started", "percent": None, "needs_review": False,
                "review_reason": None, "updated_at": made,
            })  # fmt: skip
            links.append(
                {
                    "task_id": task_id,
                    "unit_id": rng.choice(org_units),
                    "role": "lead",
                    "position": 0,
                }
            )
            links.append(
                {
                    "task_id": task_id,
                    "unit_id": rng.choice(org_units),
                    "role": "cooperating",
                    "position": 0,
                }
            )
    # 150,000 updates: each task a story over the year, ending done, in progress or not.
    updates, update_id = [], 0
    per_task = UPDATES // TASKS
    extra = UPDATES - per_task * TASKS
    for task in tasks:
        n = per_task + (1 if extra > 0 else 0)
        extra -= 1
        moments = sorted(rng.randrange(0, 350 * 24) for _ in range(n))
        ending = rng.choice(("done", "done", "in_progress", "not_started", "not_applicable"))
        for index, hours in enumerate(moments):
            update_id += 1
            last = index == n - 1
            kind = "undo" if not last and index and rng.random() < 0.03 else "status"
            if kind == "status" and not last and rng.random() < 0.15:
                kind = "note"
            status = ending if last else ("in_progress" if kind == "status" else None)
            updates.append({
                "id": update_id, "task_id": task["id"], "person_id": None,
                "created_at": made + timedelta(hours=hours), "kind": kind, "status": status,
                "percent": rng.randrange(10, 100, 10) if status == "in_progress" else None,
                "reason": "chờ hướng dẫn" if status == "not_started" else None,
                "evidence": [f"Văn bản số {update_id}/UBND"] if status == "done" else [],
                "until": None, "text": f"#{update_id - 1}" if kind == "undo" else "đang thực hiện",
                "attachment": None, "channel": "telegram",
            })  # fmt: skip
        task["status"] = ending
    people = [{"id": 1, "display_name": "Lãnh đạo", "language": "vi", "created_at": made},
              {"id": 2, "display_name": "Sở Nội vụ", "language": "vi", "created_at": made}]  # fmt: skip
    identities = [
        {"person_id": p, "channel": ch, "external_id": f"p{p}", "chat_id": f"p{p}"}
        for p in (1, 2)
        for ch in ("console", "telegram")
    ]
    memberships = [{"person_id": 1, "organization_id": 1, "unit_id": None, "role": "leader"}]
    memberships += [
        {"person_id": 2, "organization_id": o, "unit_id": None, "role": "viewer"}
        for o in range(1, ORGS + 1)
    ]
    async with engine.begin() as conn:
        for model, rows in (
            (Organization, orgs), (Unit, units), (Plan, plans), (Section, sections), (Task, tasks),
            (TaskUnit, links), (Person, people), (Identity, identities), (Membership, memberships),
            (StatusUpdate, updates),
        ):  # fmt: skip
            await insert(conn, model.__table__, rows)
        await conn.run_sync(refill)  # each task's kept standing status, as dondoc writes it
    print(f"Dữ liệu: {ORGS} xã, {vn(len(tasks))} nhiệm vụ, {vn(len(updates))} cập nhật tình trạng.")


async def median_ms(run: Callable[[], Awaitable[object]], times: int) -> float:
    await run()  # warm up: imports, caches, prepared statements
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def line(name: str, value_ms: float, target_ms: float | None) -> bool:
    shown = format_decimal(round(value_ms, 1), format="#,##0.0", locale="vi")
    if target_ms is None:
        print(f"{name}: trung vị {shown} ms (để tham khảo)")
        return True
    ok = value_ms <= target_ms
    goal = format_decimal(target_ms, format="#,##0", locale="vi")
    print(f"{name}: trung vị {shown} ms (mục tiêu ≤ {goal} ms) {'✓' if ok else '✗'}")
    return ok


async def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        engine, sessions = await open_database(f"sqlite+aiosqlite:///{folder}/bench.sqlite3")
        started = time.perf_counter()
        await build(engine)
        print(f"Tạo dữ liệu mất {vn(round(time.perf_counter() - started, 1))} s.")
        conversation = Conversation(
            Services(sessions=sessions, clock=Clock.starting_at(NOW, frozen=True))
        )

        def ask(user: str, text: str, channel: str = "console") -> Callable[[], Awaitable[object]]:
            incoming = Incoming(channel=channel, user_id=user, chat_id=user, text=text)

            async def run() -> object:
                replies = await conversation.handle(incoming)
                assert replies and "Xin lỗi" not in replies[0].text, replies[0].text
                return replies

            return run

        one = (await ask("p1", "/tiendo")())[0].text
        assert f"/{ONE_ORG_TASKS} " in one, one
        city = (await ask("p2", "/tiendo")())[0].text
        assert city.count("\n") >= ORGS, city[:200]

        async def docx() -> bytes:
            async with sessions() as session:
                org = await session.get(Organization, 1)
                period = make_period("nam", 2026, NOW.date())
                built = await build_report(
                    session,
                    org,
                    period=period,
                    as_of=NOW.date(),
                    deadline_end=WorkCalendar().deadline_end,
                )
            return report_docx(built)

        results = [
            line("tiendo 1 xã (60 nhiệm vụ)", await median_ms(ask("p1", "/tiendo"), 40), 30),
            line(
                "tiendo 1 xã kèm biểu đồ (Telegram)",
                await median_ms(ask("p1", "/tiendo", "telegram"), 10),
                None,
            ),
            line(
                f"tiendo thành phố ({ORGS} xã, {vn(TASKS)} nhiệm vụ, {vn(UPDATES)} cập nhật)",
                await median_ms(ask("p2", "/tiendo"), 15),
                300,
            ),  # fmt: skip
            line("báo cáo .docx 1 xã", await median_ms(docx, 10), 1000),
            line(
                "baocao 1 xã (.docx + .xlsx, Telegram)",
                await median_ms(ask("p1", "/baocao nam", "telegram"), 5),
                None,
            ),
        ]
        await engine.dispose()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
