"""Wiring: build the long-lived services of a running dondoc from the config (the
database, the clock, the working-day calendar) and the conversation on top of them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Config
from handlers.context import Services
from handlers.router import Conversation
from scheduler.clock import Clock
from scheduler.workdays import WorkCalendar


def calendar_from(config: Config) -> WorkCalendar:
    return WorkCalendar.from_dates(
        config.calendar.extra_days_off, config.calendar.extra_working_days
    )


def build_conversation(
    config: Config, clock: Clock, sessions: async_sessionmaker[AsyncSession]
) -> Conversation:
    services = Services(
        sessions=sessions,
        clock=clock,
        calendar=calendar_from(config),
        timezone=config.organization.timezone,
    )
    return Conversation(services)


__all__ = ["AsyncEngine", "build_conversation", "calendar_from"]
