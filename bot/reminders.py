"""Reminders in a running dondoc: plan the outbox (every hour, and at start), run the
dispatcher (an APScheduler interval job, started from the bot's lifecycle), and
deliver each batch on the person's channel: the one they chose, else the one they used
last. Channels plug in as ``Sender``s that raise the dispatcher's errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from handlers.choices import message_focus, render_choices, save_focus
from handlers.context import BUTTON_CHANNELS, Services
from handlers.messages import Outgoing
from handlers.reminder_text import compose
from locales import language
from models.conversation import remember_sent
from models.outbox import OutboxItem
from models.people import Person
from models.reach import Reach, reach
from scheduler.dispatcher import Batch, Dispatcher, TickResult, Unreachable
from scheduler.planner import all_organizations, plan_organization

log = logging.getLogger(__name__)

# send(chat_id, outgoing) -> id of the last message sent; raises RateLimited,
# TemporaryFailure or Unreachable (scheduler.dispatcher).
Sender = Callable[[str, Outgoing], Awaitable[str | None]]
PLAN_EVERY = timedelta(hours=1)


class ReminderService:
    def __init__(
        self,
        services: Services,
        senders: dict[str, Sender],
        *,
        interval: int = 20,
        concurrency: int = 64,
    ) -> None:
        self.services = services
        self.senders = senders
        self.interval = min(interval, 30)
        self.dispatcher = Dispatcher(
            services.sessions, services.clock, self.deliver, concurrency=concurrency
        )
        self._planned_at: datetime | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._first_run: asyncio.Task[None] | None = None  # kept so it is not collected

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.services.sessions

    async def plan(self) -> int:
        now = self.services.clock.now()
        added = 0
        async with self.sessions() as session, session.begin():
            for org in await all_organizations(session):
                added += await plan_organization(
                    session, org, now, self.services.planning, self.services.calendar
                )
        self._planned_at = now
        return added

    async def tick(self) -> TickResult:
        """One run of the job: plan if due (hourly), then send what is due."""
        now = self.services.clock.now()
        if (
            self._planned_at is None
            or now - self._planned_at >= PLAN_EVERY
            or now < self._planned_at
        ):
            await self.plan()
        return await self.dispatcher.tick()

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except Exception:  # the job must survive a bad run; the next one retries
            log.exception("reminder run failed")

    def start(self) -> None:
        """Start the interval job (from the bot's post_init, never at import), and a
        first run now: reminders missed while dondoc was down go out at start."""
        if self._scheduler is None:
            self._scheduler = AsyncIOScheduler()
            self._scheduler.add_job(
                self._safe_tick, "interval", seconds=self.interval, max_instances=1, coalesce=True
            )
            self._scheduler.start()
            self._first_run = asyncio.get_running_loop().create_task(self._safe_tick())

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    async def deliver(self, batch: Batch) -> tuple[str, str | None]:
        now = self.services.clock.now()
        async with self.sessions() as session:
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
            items = list(
                await session.scalars(
                    select(OutboxItem)
                    .where(OutboxItem.id.in_(batch.item_ids))
                    .order_by(OutboxItem.id)
                )
            )
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
                )
                choices = render_choices([outgoing], has_buttons=has_buttons)
            channel, chat_id, person_id = (
                identity.channel,
                identity.chat_id or identity.external_id,
                person.id,
            )
        message_id = await self.senders[channel](chat_id, outgoing)
        async with self.sessions() as session, session.begin():
            await save_focus(
                session,
                person_id,
                channel,
                focus=message_focus(outgoing),
                choices=choices,
                text_only=not has_buttons,
                now=now,
            )
            if message_id is not None and message_focus(outgoing):
                await remember_sent(
                    session,
                    channel=channel,
                    chat_id=chat_id,
                    message_id=message_id,
                    focus=message_focus(outgoing),
                    person_id=person_id,
                    now=now,
                )
        return channel, message_id

    def _channel_for(self, person: Person) -> Reach | None:
        return reach(person, self.senders)  # the private chat, never a group (models/reach.py)
