"""``dondoc demo`` (``make demo``): the whole product in a terminal, with no token and no
network. A fresh SQLite file gets the bundled sample plan of xã Nguyễn Bình Khiêm and a
few people (officers of three units, the chairman, the office's admin, a stranger);
you type as one of them and ``/la TÊN`` switches who you are.

Each run has its own database, in a temporary folder removed on exit, so two demos in
one folder never touch each other's data; ``--db URL`` keeps one (a second run on it
goes on with its data rather than seeding it again). Ctrl-C, EOF or ``/thoat`` end it
at once with exit status 0, also under make (bot.demo_terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.console import ConsoleChannel, ConsolePerson
from bot.channels.console_input import WEEKDAYS
from bot.config import Config
from bot.demo_terminal import (
    Interrupts,
    children_ignore_interrupts,
    own_terminal,
    stop_on_signals,
)
from bot.demo_travel import after_travel, show_my_last, travel
from bot.reminders import ReminderService
from bot.wiring import build_services
from handlers.conversation import Conversation
from handlers.imports.plans import import_plan_file
from locales import N_, _, ngettext
from models.db import open_database
from models.invites import create_person, find_person
from models.org_names import org_name
from models.outbox import OutboxItem
from models.people import Membership
from models.plan_store import find_organization, resolve_unit
from models.plans import Plan, StatusUpdate, Task
from scheduler.clock import DEFAULT_TZ, Clock

SAMPLE_PLAN = Path(__file__).resolve().parent.parent / "samples" / "ke-hoach-cchc-2026-mau.docx"
DEMO_ORG = "Xã Nguyễn Bình Khiêm"
DEMO_START = datetime(2026, 1, 12, 8, 30, tzinfo=ZoneInfo(DEFAULT_TZ))
TICK_SECONDS = 5.0  # the demo's clock runs: what falls due meanwhile goes out this often
log = logging.getLogger(__name__)

# key, name, role, unit (None: the whole organization), description, short label
PEOPLE = [
    (
        "lan",
        "Nguyễn Thị Lan",
        "officer",
        "Phòng Văn hóa - Xã hội",
        N_("cán bộ Phòng Văn hóa - Xã hội"),
        "Phòng VH-XH",
    ),
    ("minh", "Trần Văn Minh", "officer", "Phòng Kinh tế", N_("cán bộ Phòng Kinh tế"), "Phòng KT"),
    (
        "hoa",
        "Lê Thị Hoa",
        "officer",
        "Trung tâm Phục vụ hành chính công",
        N_("cán bộ Trung tâm Phục vụ hành chính công"),
        "TT PVHCC",
    ),
    ("trinh", "Đoàn Phụng Trinh", "leader", None, N_("Chủ tịch UBND xã (lãnh đạo)"), "Chủ tịch"),
    (
        "ha",
        "Vũ Thu Hà",
        "admin",
        "Văn phòng HĐND và UBND",
        N_("Văn phòng HĐND và UBND (quản trị)"),
        "Văn phòng",
    ),
    ("khach", "Người lạ", None, None, N_("chưa đăng ký"), ""),
]


def intro(tasks: int, now: datetime, resumed: bool) -> str:
    """The first screen: what was loaded, the clock, what to type."""
    local = now.astimezone(ZoneInfo(DEFAULT_TZ))
    loaded = (
        ngettext("Tiếp tục với dữ liệu demo đã có của {org}: {tasks} nhiệm vụ.", "Tiếp tục với dữ liệu demo đã có của {org}: {tasks} nhiệm vụ.", tasks)
        if resumed
        else ngettext("Đã nhập kế hoạch mẫu «Kế hoạch CCHC năm 2026» của {org}: {tasks} nhiệm vụ.", "Đã nhập kế hoạch mẫu «Kế hoạch CCHC năm 2026» của {org}: {tasks} nhiệm vụ.", tasks)
    )
    lines = [
        _("══ dondoc — chạy thử trên dòng lệnh ══"),
        loaded.format(org=org_name(DEMO_ORG).of_whom, tasks=tasks),
        _("Đồng hồ demo: {day} {moment}.").format(
            day=_(WEEKDAYS[local.weekday()]), moment=local.strftime("%d/%m/%Y %H:%M")
        ),
        _(
            "Gõ như trên điện thoại: /viec, /viec 1, /tiendo, /quahan, /baocao, /trogiup, hoặc trả lời bằng lời thường («Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026»). Trả lời số 1, 2, … để chọn."
        ),
        _("Lệnh riêng của demo:"),
        _("• /ai: danh sách vai; /la TÊN: đổi vai"),
        _("• /tua 1 tuần, /tua 06/03/2026 08:00: chỉnh đồng hồ"),
        _("• /nhap ĐƯỜNG_DẪN: gửi tệp kế hoạch (vai quản trị)"),
        _("• /dinhkem ĐƯỜNG_DẪN [lời]: gửi kèm tệp minh chứng"),
        _("• /thoat hoặc Ctrl-C: thoát"),
    ]
    if not resumed:
        lines.append(_("Dữ liệu demo chỉ có trong lần chạy này; thoát là xóa."))
    return "\n".join(lines) + "\n"


async def demo_tasks(session: AsyncSession) -> int | None:
    """The number of tasks of the demo's organization, None when it is not there yet."""
    organization = await find_organization(session, DEMO_ORG)
    if organization is None:
        return None
    return await session.scalar(
        select(func.count(Task.id))
        .join(Plan, Plan.id == Task.plan_id)
        .where(Plan.organization_id == organization.id)
    )


async def last_moment(session: AsyncSession) -> datetime | None:
    """The latest moment a kept demo database has seen: its last message or report."""
    sent = await session.scalar(select(func.max(OutboxItem.sent_at)))
    told = await session.scalar(select(func.max(StatusUpdate.created_at)))
    return max((m for m in (sent, told) if m is not None), default=None)


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
    for key, name, role, unit_name, _about, _short in PEOPLE:
        person = await find_person(session, "console", key) or await create_person(
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


async def run_demo(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    """The demo from start to end; 0 however it ends (Ctrl-C included)."""
    if not getattr(args, "now", None):
        clock.move_to(DEMO_START)
    folder = None
    if not getattr(args, "db", None):
        folder = Path(tempfile.mkdtemp(prefix="dondoc-demo-"))
        config.database.url = f"sqlite+aiosqlite:///{folder / 'demo.sqlite3'}"
    main = asyncio.current_task()
    assert main is not None
    interrupts = Interrupts(main)
    with own_terminal(sys.stdin), stop_on_signals(interrupts):
        try:
            await _demo(config, clock, interrupts, bool(getattr(args, "now", None)))
        except asyncio.CancelledError:
            if not interrupts.seen:
                raise
            main.uncancel()  # stopped while starting
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        if interrupts.seen:
            print("\n" + _("Đã dừng demo."), flush=True)
    return 0


async def _demo(
    config: Config, clock: Clock, interrupts: Interrupts, moved_clock: bool = False
) -> None:
    engine, sessions = await open_database(config.database.url)
    ticking: asyncio.Future[None] | None = None
    stopped = asyncio.Event()
    try:
        async with sessions() as session, session.begin():
            tasks = await demo_tasks(session)
            resumed = tasks is not None
            if resumed and not moved_clock:  # the kept demo's time goes on, never back
                clock.move_to(max(DEMO_START, await last_moment(session) or DEMO_START))
            if tasks is None:
                # Reading the plan starts the worker process: it must ignore Ctrl-C.
                with children_ignore_interrupts():
                    tasks = await seed_demo(session, clock.now())
        services = build_services(config, clock, sessions)
        conversation = Conversation(services)
        reminders = ReminderService(services, {})
        people = [ConsolePerson(key, name, about) for key, name, _r, _u, about, _s in PEOPLE]
        labels = {key: short for key, _n, _r, _u, _a, short in PEOPLE}
        channel = ConsoleChannel(conversation, clock, people, after_message=reminders.tick)
        reminders.senders["console"] = channel.deliver

        async def jump(_before: datetime, after: datetime) -> list[str]:
            for line in await travel(reminders, channel, clock, after, labels):
                channel.say(line)
            show_my_last(channel)
            await after_travel(reminders)
            return []

        channel.on_time_travel = jump
        # What was due earlier on the starting day went out "before" the demo began.
        channel.quiet = True
        await reminders.tick()
        channel.quiet, channel.muted, channel.held = False, {}, {}
        channel.say(intro(tasks, clock.now(), resumed))
        channel.who()
        ticking = asyncio.ensure_future(keep_ticking(reminders, channel, stopped))
        session = asyncio.ensure_future(channel.run())
        interrupts.now_stops(session)
        with contextlib.suppress(asyncio.CancelledError):
            await session
    finally:
        interrupts.now_stops(None)  # the rest is the way out: it runs to its end
        stopped.set()  # a tick under way ends first: never cut inside a transaction
        if ticking is not None:
            await ticking
        await engine.dispose()


async def keep_ticking(
    reminders: ReminderService,
    channel: ConsoleChannel,
    stopped: asyncio.Event,
    seconds: float = TICK_SECONDS,
) -> None:
    """The running bot's interval job, in the demo: what falls due while nobody types (a
    decision held back for its reason, the 8:00 reminders) goes out and is printed.
    Ends when ``stopped`` is set, never inside a run."""
    while not stopped.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), seconds)
            return
        async with channel.busy:
            try:
                await reminders.tick()
            except Exception:  # the next run retries, as the bot's job does
                log.exception("reminder run failed")
