"""``dondoc demo`` (``make demo``): the whole product in a terminal, with no token and no
network. A fresh SQLite file gets the bundled sample plan of xã Nguyễn Bình Khiêm and a
few people (officers of three units, the chairman, the office's admin, a stranger);
you type as one of them and ``/la TÊN`` switches who you are."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.console import ConsoleChannel, ConsolePerson
from bot.config import Config
from bot.reminders import ReminderService
from bot.wiring import build_services
from handlers.plan_import import import_plan_file
from handlers.router import Conversation
from models.db import open_database
from models.invites import get_or_create_person
from models.outbox import PENDING, OutboxItem
from models.people import Membership
from models.plan_store import find_organization, resolve_unit
from scheduler.clock import DEFAULT_TZ, Clock

SAMPLE_PLAN = Path(__file__).resolve().parent.parent / "samples" / "ke-hoach-cchc-2026-mau.docx"
DEMO_DB = Path("var") / "demo.sqlite3"
DEMO_ORG = "Xã Nguyễn Bình Khiêm"
DEMO_START = datetime(2026, 1, 12, 8, 30, tzinfo=ZoneInfo(DEFAULT_TZ))

# key, name, role, unit (None: the whole organization), description
PEOPLE = [
    ("lan", "Nguyễn Thị Lan", "officer", "Phòng Văn hóa - Xã hội", "cán bộ Phòng Văn hóa - Xã hội"),
    ("minh", "Trần Văn Minh", "officer", "Phòng Kinh tế", "cán bộ Phòng Kinh tế"),
    (
        "hoa",
        "Lê Thị Hoa",
        "officer",
        "Trung tâm Phục vụ hành chính công",
        "cán bộ Trung tâm Phục vụ hành chính công",
    ),
    ("trinh", "Đoàn Phụng Trinh", "leader", None, "Chủ tịch UBND xã (lãnh đạo)"),
    ("ha", "Vũ Thu Hà", "admin", "Văn phòng HĐND và UBND", "Văn phòng HĐND và UBND (quản trị)"),
    ("khach", "Người lạ", None, None, "chưa đăng ký"),
]

INTRO = """\
══ dondoc — chạy thử trên dòng lệnh ══
Đã nhập kế hoạch mẫu «Kế hoạch CCHC năm 2026» của {org}: {tasks} nhiệm vụ.
Đồng hồ demo bắt đầu lúc {now}.
Gõ như trên điện thoại: /viec, /viec 1, /tiendo, /quahan, /trogiup, hoặc trả lời bằng lời thường
(«Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026»). Trả lời số 1, 2, … để chọn.
Lệnh riêng của demo: /ai (danh sách vai), /la TÊN (đổi vai), /tua 2026-03-06 08:00 (chỉnh đồng hồ), /thoat.
"""


async def seed_demo(session: AsyncSession, now: datetime) -> int:
    summary = await import_plan_file(
        session,
        data=SAMPLE_PLAN.read_bytes(),
        filename=SAMPLE_PLAN.name,
        organization=DEMO_ORG,
        now=now,
    )
    organization = await find_organization(session, DEMO_ORG)
    assert organization is not None
    for key, name, role, unit_name, _about in PEOPLE:
        person = await get_or_create_person(
            session, "console", key, display_name=name, chat_id=key, now=now
        )
        if role is None:
            continue
        unit = (
            await resolve_unit(session, organization, unit_name, create=True) if unit_name else None
        )
        session.add(
            Membership(
                person_id=person.id,
                organization_id=organization.id,
                unit_id=unit.id if unit else None,
                role=role,
            )
        )
    await session.flush()
    return summary.tasks


async def travel(
    reminders: ReminderService, channel: ConsoleChannel, clock: Clock, target: datetime
) -> list[str]:
    """Run the bot through the jump as if it had been up all along: stop at each moment
    a reminder was due and send it, printing only those due at the moment reached."""
    channel.quiet, channel.muted = True, {}
    try:
        start = clock.now()
        while True:
            step_end = min(start + timedelta(days=28), target)
            clock.move_to(start)
            await reminders.plan()
            async with reminders.sessions() as session:
                moments = list(
                    await session.scalars(
                        select(OutboxItem.send_at)
                        .where(
                            OutboxItem.state == PENDING,
                            OutboxItem.send_at > start,
                            OutboxItem.send_at < step_end,
                        )
                        .distinct()
                        .order_by(OutboxItem.send_at)
                    )
                )
            for moment in moments:
                clock.move_to(moment)
                await reminders.tick()
            if step_end >= target:
                break
            start = step_end
    finally:
        channel.quiet = False
    lines = []
    if channel.muted:
        total = sum(channel.muted.values())
        lines.append(
            f"(Trong khoảng thời gian đó dondoc đã gửi {total} tin nhắc; chỉ hiện các tin của thời điểm hiện tại.)"
        )
    clock.move_to(target)
    for line in lines:
        channel.say(line)
    await reminders.plan()
    await reminders.tick()
    return []


async def run_demo(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    if not getattr(args, "now", None):
        clock.move_to(DEMO_START)
    if not getattr(args, "db", None):
        DEMO_DB.parent.mkdir(parents=True, exist_ok=True)
        DEMO_DB.unlink(missing_ok=True)
        config.database.url = f"sqlite+aiosqlite:///{DEMO_DB}"
    engine, sessions = await open_database(config.database.url)
    try:
        async with sessions() as session, session.begin():
            tasks = await seed_demo(session, clock.now())
        services = build_services(config, clock, sessions)
        conversation = Conversation(services)
        reminders = ReminderService(services, {})
        people = [ConsolePerson(key, name, about) for key, name, _r, _u, about in PEOPLE]
        channel = ConsoleChannel(conversation, clock, people, after_message=reminders.tick)
        reminders.senders["console"] = channel.deliver
        channel.on_time_travel = lambda before, after: travel(reminders, channel, clock, after)
        # What was due earlier on the starting day went out "before" the demo began.
        channel.quiet = True
        await reminders.tick()
        channel.quiet, channel.muted = False, {}
        channel.say(
            INTRO.format(
                org=DEMO_ORG, tasks=tasks, now=clock.now(DEFAULT_TZ).strftime("%d/%m/%Y %H:%M")
            )
        )
        channel.who()
        await channel.run()
    finally:
        await engine.dispose()
    return 0
