"""Reminders in a running dondoc: plan the outbox (at start, every hour, and at once
for an organization where something changed: a ``ReplanRequest``), run the dispatcher
(``scheduler.wake``: at the next send time, or at once when work is queued; started
from the bot's lifecycle), and deliver each batch on the person's channel: the one they
chose, else the one they used last. Channels plug in as ``Sender``s that raise the
dispatcher's errors. Planning (at start, hourly) runs between the dispatcher's passes
and gives way to them, organization by organization: it never competes with a storm.

The reply mapping and the chat focus of a reminder are written by the dispatcher in the
transaction that marks it sent (``Delivered.record``). ``close`` is the graceful stop:
no new claims, the sends in flight finished and recorded (bounded), the rest given back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.reminder_reads import ReadAhead
from handlers.choices import message_focus, render_choices, save_focus
from handlers.context import BUTTON_CHANNELS, Services
from handlers.messages import Outgoing
from handlers.reminders.texts import compose
from locales import _, language
from models.conversation import remember_sent
from models.evidence_store import forget_lapsed_holds
from models.outbox import PENDING, SENDING, OutboxItem, done_replanning, replan_requests
from models.outbox_signal import listen, unlisten
from models.people import Person
from models.reach import Reach, group_chat, reach
from scheduler.dispatcher import Batch, Delivered, Dispatcher, TickResult, Unreachable
from scheduler.plan_due import fingerprint, organizations_due
from scheduler.planner import all_organizations, plan_in_steps
from scheduler.wake import WakeLoop

log = logging.getLogger(__name__)

# send(chat_id, outgoing) -> id of the last message sent; raises RateLimited,
# TemporaryFailure, MaybeSent, Unreachable or PermanentFailure (scheduler.dispatcher).
Sender = Callable[[str, Outgoing], Awaitable[str | None]]
PLAN_EVERY = timedelta(hours=1)
HELD_FILES_KEPT = timedelta(days=30)  # a file nobody said the task of, then removed
REPLAN_GIVE_UP = timedelta(minutes=10)  # an older request no longer holds reminders back


class ReminderService:
    def __init__(
        self,
        services: Services,
        senders: dict[str, Sender],
        *,
        interval: int = 20,
        concurrency: int = 64,
        rate: float = 30.0,
        claim_seconds: float = 5.0,
        stop_timeout: float = 10.0,
        exclusive: bool = False,
    ) -> None:
        self.services = services
        self.senders = senders
        self.interval = min(interval, 30)
        self.stop_timeout = stop_timeout
        # Channel name -> "does it answer?" (getMe), asked while the dispatcher backs off.
        self.probes: dict[str, Callable[[], Awaitable[bool]]] = {}
        self.dispatcher = Dispatcher(
            services.sessions,
            services.clock,
            self.deliver,
            rate=rate,
            claim_seconds=claim_seconds,
            concurrency=concurrency,
            exclusive=exclusive,
            settings=services.planning.reminders,
            calendar=services.calendar,
            timezone=services.timezone,
            before_claim=self.replan_requested,
            probe=self.probe,
            read_ahead=self.read_ahead,
        )
        self.ahead = ReadAhead(services.sessions)
        self._planned_at: datetime | None = None
        self._plan_lock = asyncio.Lock()
        # The dispatcher's runs: at the next due moment, on new work, at most ``interval`` apart.
        self.loop = WakeLoop(services.clock, self._job, self.next_run_at, cap=self.interval)
        self._running: set[asyncio.Task[None]] = set()  # kept so they are not collected
        self._planning: asyncio.Task[None] | None = None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.services.sessions

    def _plan_due(self, now: datetime) -> bool:
        return (
            self._planned_at is None
            or now - self._planned_at >= PLAN_EVERY
            or now < self._planned_at
        )

    async def plan(self, *, only_if_due: bool = False, give_way: bool = False) -> int:
        """Plan every organization, in short transactions (``plan_in_steps``); with
        ``only_if_due`` (the hourly pass), only when the last plan is an hour old (checked
        under the lock, so that two runs at start plan once), and only the organizations
        where a reminder enters the window or the settings changed (``organizations_due``):
        changes re-plan at once, so a pass where nothing is due writes nothing. With
        ``give_way``, each organization waits while the dispatcher is sending."""
        async with self._plan_lock:
            now = self.services.clock.now()
            if only_if_due and not self._plan_due(now):
                return 0
            async with self.sessions() as session:
                if only_if_due:
                    planned_with = fingerprint(self.services.planning, self.services.calendar)
                    org_ids = await organizations_due(session, now, planned_with)
                else:
                    org_ids = [org.id for org in await all_organizations(session)]
            before, self._planned_at = self._planned_at, now
        added, pause = 0, self._give_way if give_way else None
        try:
            for org_id in org_ids:
                # Giving way, not under the lock: the dispatcher's re-plan requests take
                # it while this waits for the dispatcher (plans side by side are safe).
                async with contextlib.nullcontext() if pause else self._plan_lock:
                    if pause is not None:
                        await pause()
                    added += await plan_in_steps(
                        self.sessions, org_id, now, self.services.planning,
                        self.services.calendar, pause,
                    )  # fmt: skip
        except BaseException:
            self._planned_at = before  # tried again at the next run
            raise
        await self._forget_lapsed_files(now)
        return added

    async def _give_way(self) -> None:
        """Planning waits while the dispatcher sends: a storm first, planning after."""
        while self.dispatcher.busy:
            await asyncio.sleep(0.1)

    async def _forget_lapsed_files(self, now: datetime) -> None:
        """Hourly too: files held for a which-question nobody answered are removed after
        ``HELD_FILES_KEPT``, so that they stop taking the organization's room (after the
        question's own 2 days nothing can reach them; the month is for the operator)."""
        try:
            async with self.sessions() as session, session.begin():
                await forget_lapsed_holds(session, self.services.evidence, now - HELD_FILES_KEPT)
        except Exception:  # housekeeping: never in the way of reminders
            log.exception("removing lapsed evidence holds failed")

    async def replan_requested(self) -> list[int]:
        """Plan again the organizations where something changed (registration, import...);
        returns those that still wait (a plan that failed), which the claim skips."""
        now = self.services.clock.now()
        async with self.sessions() as session, session.begin():
            wanted = await replan_requests(session, now - REPLAN_GIVE_UP)
        waiting = []
        for org_id, newest in wanted.items():
            try:
                async with self._plan_lock:
                    await plan_in_steps(
                        self.sessions, org_id, now, self.services.planning, self.services.calendar
                    )
                async with self.sessions() as session, session.begin():
                    await done_replanning(session, org_id, newest)
            except Exception:  # the others still go; this one waits and is retried
                log.exception("re-planning organization %s failed", org_id)
                waiting.append(org_id)
        return waiting

    async def probe(self) -> bool:
        """Whether a channel answers again after an outage (any of them)."""
        for name, probe in self.probes.items():
            try:
                if await probe():
                    return True
            except Exception as error:  # noqa: BLE001 - unreachable still
                log.info("%s does not answer yet: %s", name, error)
        return False

    async def tick(self) -> TickResult:
        """One run of the job: plan if due (hourly), then send what is due (the
        dispatcher honours re-plan requests before each claim)."""
        await self.plan(only_if_due=True)
        return await self.dispatcher.tick()

    async def _job(self) -> None:
        """One run of the loop: send what is due (at start, what was missed goes out at
        once), then plan if due, in the background, giving way to the next runs."""
        try:
            await self.dispatcher.tick()
        finally:
            if self._plan_due(self.services.clock.now()) and (
                self._planning is None or self._planning.done()
            ):
                self._planning = asyncio.get_running_loop().create_task(self._safe_plan())
                self._running.add(self._planning)
                self._planning.add_done_callback(self._running.discard)

    async def _safe_plan(self) -> None:
        try:
            await self.plan(only_if_due=True, give_way=True)
        except Exception:
            log.exception("planning reminders failed")

    async def next_run_at(self) -> datetime | None:
        """The next moment the dispatcher has something to do: the earliest pending
        reminder, the end of a pause or back-off, the next planning pass."""
        async with self.sessions() as session:
            due = await session.scalar(
                select(func.min(OutboxItem.send_at)).where(OutboxItem.state == PENDING)
            )
        resume = self.dispatcher.resume_at
        if resume is not None and resume <= self.services.clock.now():
            resume = None  # a pause already over
        moments = [m for m in (due, resume) if m is not None]
        if self._planned_at is not None:
            moments.append(self._planned_at + PLAN_EVERY)
        return min(moments, default=None)

    def wake(self) -> None:
        """New work was queued (committed): the dispatcher looks at once."""
        self.loop.wake()

    def start(self) -> None:
        """Start the dispatcher's loop (from the bot's post_init, never at import), with
        a first run now: reminders missed while dondoc was down go out at start."""
        if self.loop.task is None:
            listen(self.sessions, self.wake)
            self.loop.start()
            assert self.loop.task is not None
            self._running.add(self.loop.task)

    def stop(self) -> None:
        """Stop the loop only (no waiting); a running bot uses ``close``."""
        self.loop.stop()
        unlisten(self.sessions, self.wake)

    async def close(self) -> None:
        """Graceful stop: no new runs or claims; the sends in flight finish and are
        recorded (at most ``stop_timeout`` seconds); what was claimed and not sent goes
        back to pending for the next start."""
        # The dispatcher first: its close settles the sends in flight, then the loop's
        # run going on returns and the loop ends.
        await self.dispatcher.close(self.stop_timeout)
        self.stop()
        running = [t for t in self._running if t is not asyncio.current_task() and not t.done()]
        if running:  # a plan half-way is harmless: its steps are committed, keys dedupe
            _, late = await asyncio.wait(running, timeout=1.0)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def read_ahead(self, batches: list[Batch]) -> None:
        """A claim's reads, once for all its messages (``bot.reminder_reads``)."""
        await self.ahead.read(batches, self.services.clock.today(self.services.timezone))

    async def deliver(self, batch: Batch) -> Delivered | None:
        now = self.services.clock.now()
        ahead = self.ahead.take(batch)
        async with self.sessions() as session:
            person = ahead.person if ahead is not None else None
            if person is None:
                person = await session.scalar(
                    select(Person)
                    .where(Person.id == batch.recipient_id)
                    .options(selectinload(Person.identities))
                )
            if person is None:
                raise Unreachable("no such person")
            identity = self._channel_for(person)
            if identity is None:
                raise Unreachable("no channel to reach this person")
            if ahead is not None and batch.live is not None:  # checked at the wire mark
                items = ahead.live(batch.live)
            else:
                items = list(
                    await session.scalars(
                        select(OutboxItem)
                        # rows cancelled since the claim (a re-plan) are not sent
                        .where(OutboxItem.id.in_(batch.item_ids), OutboxItem.state == SENDING)
                        .order_by(OutboxItem.id)
                    )
                )
            if not items:
                return None
            zone = ZoneInfo(self.services.timezone)
            has_buttons = identity.channel in BUTTON_CHANNELS
            with language(person.language):
                outgoing = await compose(
                    session,
                    person,
                    items,
                    today=now.astimezone(zone).date(),
                    calendar=self.services.calendar,
                    offline_digest=batch.offline_digest,
                    has_buttons=has_buttons,
                    known=ahead.known if ahead is not None else None,
                )
                if batch.repeat:  # it may have arrived already: never silently twice
                    outgoing.text = repeat_marker() + "\n" + outgoing.text
                choices = render_choices([outgoing], has_buttons=has_buttons)
            channel, chat_id, person_id = (
                identity.channel,
                identity.chat_id or identity.external_id,
                person.id,
            )
            # Registered in a group and never opened a private chat: asked there, once.
            group = group_chat(person, identity)
            first_failure = person.unreachable_since is None
            name, language_code = person.display_name, person.language
        try:
            message_id = await self.senders[channel](chat_id, outgoing)
        except Unreachable:
            if group is not None and first_failure:
                await self._ask_to_start(channel, group, name, language_code)
            raise
        focus = message_focus(outgoing)

        async def record(session: AsyncSession) -> None:
            # In the dispatcher's "sent" transaction: a reply to this message maps to its
            # task(s) as soon as it can arrive, and the chat focus moves with it.
            await save_focus(
                session,
                person_id,
                channel,
                focus=focus,
                choices=choices,
                text_only=not has_buttons,
                now=now,
            )
            if message_id is not None and focus:
                await remember_sent(
                    session,
                    channel=channel,
                    chat_id=chat_id,
                    message_id=message_id,
                    focus=focus,
                    person_id=person_id,
                    now=now,
                )

        return Delivered(channel, message_id, record)

    async def _ask_to_start(self, channel: str, group: str, name: str, language_code: str) -> None:
        """One line in the group, without the task details: open a private chat."""
        with language(language_code):
            text = _(
                "{name} ơi, dondoc chưa nhắn riêng được cho anh/chị. Anh/chị vui lòng mở trò chuyện riêng với dondoc và bấm «Start» (Bắt đầu) để nhận nhắc việc."
            ).format(name=name)
        try:
            await self.senders[channel](group, Outgoing(text))
        except Exception as error:  # noqa: BLE001 - the ask is a courtesy; the person stays unreachable
            log.warning("could not ask in the group to press Start: %s", error)

    def _channel_for(self, person: Person) -> Reach | None:
        return reach(person, self.senders)  # the private chat, never a group (models/reach.py)


def repeat_marker() -> str:
    """The first line of a reminder that may have reached the person already."""
    return _(
        "(Gửi lại: có thể anh/chị đã nhận tin này khi dondoc gặp sự cố. Nếu đã trả lời rồi thì không cần trả lời lại.)"
    )
