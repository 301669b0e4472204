"""Benchmark: a storm of 5,000 reminders due at 08:00 for 2,000 people, sent through
the real Telegram channel (python-telegram-bot over HTTP) to the local fake Bot API
server enforcing Telegram's limits (30 messages/s overall, 1/s per private chat).

Prints the messages per second achieved as a fraction of the limit, the 429s received,
duplicates and lost reminders, and the process's peak memory; once alone and once
beside a CPU-heavy process (a Python busy loop, as on a shared machine). A measurement
for ``make bench``, not a pass/fail test. Target: ≥ 0.95 of the limit, no 429, no
duplicate, nothing lost, < 200 MB. The fault runs are in ``bench_faults.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.config import TelegramConfig  # noqa: E402
from bot.reminders import ReminderService  # noqa: E402
from handlers.context import Services  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402
from models.db import open_database  # noqa: E402
from models.outbox import SENT, OutboxItem  # noqa: E402
from models.people import Identity, Membership, Organization, Person, Unit  # noqa: E402
from models.plans import Plan, Section, Task, TaskUnit  # noqa: E402
from scheduler.clock import Clock  # noqa: E402

PEOPLE, REMINDERS, LIMIT = 2000, 5000, 30.0
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
# Due Thursday 05/03: the policy's "3 working days before" is Monday 02/03 08:00, so the
# seeded rows are the ones the planner owes (a real ``dondoc run`` plans at start).
DUE = datetime(2026, 3, 5).date()
OCCURRENCE = "2026-03-05:-3"


async def seed(sessions, people: int = PEOPLE, reminders: int = REMINDERS, at: datetime = AT, orgs: int = 1) -> None:  # noqa: ANN001
    """The storm's database: ``reminders`` tasks due soon for ``people`` officers, one
    reminder each, all owed at ``at``. With ``orgs`` > 1 the officers (one unit each)
    are dealt round the organizations (a province's communes), each with its plan; when
    ``reminders`` > ``people`` the first officers get several tasks (one digest each)."""
    now = at
    PEOPLE, REMINDERS = people, reminders  # noqa: N806
    async with sessions() as s, s.begin():
        communes = [
            Organization(name="Xã Thử Tải" if orgs == 1 else f"Xã Thử Tải {n + 1}", timezone="Asia/Ho_Chi_Minh",
                         created_at=now, planned_through=now)
            for n in range(orgs)
        ]  # fmt: skip
        s.add_all(communes)
        await s.flush()
        plans = [Plan(organization_id=o.id, title="Kế hoạch thử tải", year=2026, imported_at=now) for o in communes]
        s.add_all(plans)
        await s.flush()
        sections = [Section(plan_id=p.id, numeral="I", title="Thử tải", order=0) for p in plans]
        s.add_all(sections)
        await s.flush()
        units = [
            {
                "organization_id": communes[i % orgs].id,
                "name": f"Đơn vị {i}",
                "normalized_name": f"don vi {i}",
                "aliases": [],
            }
            for i in range(PEOPLE)
        ]
        await s.execute(insert(Unit), units)
        unit_ids = list(await s.scalars(select(Unit.id).order_by(Unit.id)))
        await s.execute(
            insert(Person),
            [
                {
                    "display_name": f"Cán bộ {i}",
                    "language": "vi",
                    "created_at": now,
                    "last_channel": "telegram",
                }
                for i in range(PEOPLE)
            ],
        )
        person_ids = list(await s.scalars(select(Person.id).order_by(Person.id)))
        await s.execute(
            insert(Identity),
            [
                {
                    "person_id": p,
                    "channel": "telegram",
                    "external_id": str(10_000 + i),
                    "chat_id": str(10_000 + i),
                }
                for i, p in enumerate(person_ids)
            ],
        )
        await s.execute(
            insert(Membership),
            [
                {"person_id": p, "organization_id": communes[i % orgs].id, "unit_id": u, "role": "officer"}
                for i, (p, u) in enumerate(zip(person_ids, unit_ids, strict=True))
            ],
        )
        await s.execute(insert(Task), [
            {"plan_id": plans[i % PEOPLE % orgs].id, "section_id": sections[i % PEOPLE % orgs].id, "number": str(i + 1), "position": i, "content": f"Nhiệm vụ thử tải số {i + 1}",
             "product": "Báo cáo", "deadline_text": "Trước ngày 06/03/2026", "deadline_kind": "due", "deadline_due": DUE,
             "status": "not_started", "updated_at": now, "lead_note": "", "cooperating_note": "", "needs_review": False}
            for i in range(REMINDERS)
        ])  # fmt: skip
        task_ids = list(await s.scalars(select(Task.id).order_by(Task.id)))
        await s.execute(
            insert(TaskUnit),
            [
                {"task_id": t, "unit_id": unit_ids[i % PEOPLE], "role": "lead", "position": 0}
                for i, t in enumerate(task_ids)
            ],
        )
        await s.execute(insert(OutboxItem), [
            {"key": f"{t}:before_due:{OCCURRENCE}:{person_ids[i % PEOPLE]}", "organization_id": communes[i % PEOPLE % orgs].id, "task_id": t, "kind": "before_due",
             "occurrence": OCCURRENCE, "recipient_id": person_ids[i % PEOPLE], "send_at": now, "useful_until": datetime(2026, 3, 6, tzinfo=TZ),
             "to_leaders": False, "state": "pending", "attempts": 0}
            for i, t in enumerate(task_ids)
        ])  # fmt: skip


BUSY_LOOP = "import time\nwhile True:\n    sum(i * i for i in range(10_000))"


async def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)  # PTB logs each 429 with a traceback
    await storm(busy=False)
    await storm(busy=True)


async def storm(*, busy: bool) -> None:
    neighbour = subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) if busy else None
    try:
        await _storm(busy)
    finally:
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()


async def _storm(busy: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine, sessions = await open_database(f"sqlite+aiosqlite:///{folder}/bench.sqlite3")
        await seed(sessions)
        clock = Clock.starting_at(AT)
        services = Services(sessions=sessions, clock=clock)
        # The fake server runs in a process of its own, as Telegram is another machine:
        # its flood-control clock must not stall when the bot's process is busy.
        server = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fake_telegram_process.py")), "--global-rate", str(LIMIT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            urls = json.loads(server.stdout.readline())
            config = TelegramConfig(token=urls["token"], base_url=urls["base_url"], base_file_url=urls["base_file_url"])
            channel = TelegramChannel(Conversation(services), config)
            app = channel.build()
            await app.initialize()
            service = ReminderService(services, {"telegram": channel.send_reminder})
            started = time.perf_counter()
            result = await service.dispatcher.tick()
            while (extra := await service.dispatcher.tick()).messages:  # retried rows, as the job would
                result.messages += extra.messages
            elapsed = time.perf_counter() - started
            await app.shutdown()
        finally:
            server.stdin.close()
            stats = json.loads(server.stdout.readline())
            server.wait(timeout=30)
        times = stats["send_times"]
        async with sessions() as s:
            states = Counter(await s.scalars(select(OutboxItem.state)))
        await engine.dispose()
    messages = len(times)
    span = times[-1] - times[0] if messages > 1 else elapsed
    rate = (messages - 1) / span if span > 0 else 0.0
    duplicates = sum(n - 1 for n in stats["per_chat"] if n > 1)
    lost = REMINDERS - states[SENT]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    beside = ", bên cạnh một tiến trình ngốn CPU" if busy else ""
    print(
        f"Bão nhắc việc{beside}: {REMINDERS} lời nhắc cho {PEOPLE} người, gộp thành {result.messages} tin, qua Telegram (giả lập, giới hạn {LIMIT:.0f} tin/giây)"
    )
    print(
        f"  tốc độ: {rate:.1f} tin/giây = {rate / LIMIT:.2f} giới hạn (mục tiêu ≥ 0.95) {'✓' if rate / LIMIT >= 0.95 else '✗'}"
    )
    print(f"  lỗi 429: {stats['requests_429']} (mục tiêu 0) {'✓' if stats['requests_429'] == 0 else '✗'}")
    print(
        f"  trùng: {duplicates}, thất lạc: {lost} (mục tiêu 0, 0) {'✓' if duplicates == 0 and lost == 0 else '✗'}"
    )
    print(f"  bộ nhớ đỉnh: {peak_mb:.0f} MB (mục tiêu < 200 MB) {'✓' if peak_mb < 200 else '✗'}")
    print(f"  thời gian: {elapsed:.1f} s")


if __name__ == "__main__":
    asyncio.run(main())
