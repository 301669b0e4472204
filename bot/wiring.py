"""Wiring: build the long-lived services of a running dondoc from the config (the
database sessions, the clock, the working-day calendar, the reminder settings) and
the conversation on top of them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Config
from handlers.context import Services
from scheduler.clock import Clock
from scheduler.planner import PlanningSettings
from scheduler.reminder_policy import ReminderSettings
from scheduler.score_reminders import ScoreReminderSettings
from scheduler.workdays import WorkCalendar


def calendar_from(config: Config) -> WorkCalendar:
    return WorkCalendar.from_dates(
        config.calendar.extra_days_off, config.calendar.extra_working_days
    )


def planning_from(config: Config) -> PlanningSettings:
    r = config.reminders
    return PlanningSettings(
        reminders=ReminderSettings.from_config(r),
        horizon=timedelta(days=r.plan_horizon_days),
        digest_weekday=r.digest_weekday,
        digest_time=r.digest_time,
        scores=ScoreReminderSettings(
            six_month=(r.score_six_month_month, r.score_six_month_day),
            yearly=(r.score_yearly_month, r.score_yearly_day),
            days_before=tuple(r.score_days_before),
            send_time=r.send_time,
        ),
    )


def build_services(
    config: Config, clock: Clock, sessions: async_sessionmaker[AsyncSession]
) -> Services:
    return Services(
        sessions=sessions,
        clock=clock,
        calendar=calendar_from(config),
        planning=planning_from(config),
        timezone=config.organization.timezone,
    )
