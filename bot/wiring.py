"""Wiring: build the long-lived services of a running dondoc from the config (the
database sessions, the clock, the working-day calendar, the reminder settings) and
the conversation on top of them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Config
from bot.download_links import PATH_PREFIX, DownloadShelf, derive_secret
from handlers.context import Services
from models.evidence_store import EvidenceSettings
from scheduler.clock import Clock
from scheduler.planner import PlanningSettings
from scheduler.reminder_policy import ReminderSettings
from scheduler.score_reminders import ScoreReminderSettings
from scheduler.workdays import WorkCalendar
from web.gate import Gate, WebSettings
from web.security import derive_web_secret


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


def evidence_from(config: Config) -> EvidenceSettings:
    e = config.evidence
    return EvidenceSettings(
        folder=Path(e.folder), max_file_mb=e.max_file_mb, max_org_mb=e.max_org_mb
    )


def public_url_of(config: Config) -> str:
    """Where people reach the bot's web server: ``[downloads] public_url``, else the
    address of the Zalo webhook (its server serves the links too); empty for none."""
    if config.downloads.public_url:
        return config.downloads.public_url.rstrip("/")
    zalo = config.zalo
    if zalo.mode == "webhook" and zalo.webhook_url:
        parts = urlsplit(zalo.webhook_url)
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def download_shelf(config: Config, clock: Clock) -> DownloadShelf | None:
    """The download links for Zalo, or None when Zalo is off or nothing public reaches
    the bot (then /baocao says how else to get the files)."""
    public = public_url_of(config)
    secret = derive_secret(config.downloads.secret, config.zalo.webhook_secret)
    if not (config.zalo.token and public and secret):
        return None
    return DownloadShelf(
        Path(config.downloads.folder),
        public + PATH_PREFIX,
        secret,
        clock,
        lifetime=timedelta(hours=config.downloads.lifetime_hours),
    )


def web_gate(
    config: Config, clock: Clock, sessions: async_sessionmaker[AsyncSession]
) -> Gate | None:
    """The web view's door when ``[web] enabled``: links signed with DONDOC_WEB_SECRET
    (else a key derived from the downloads secret), the Mini App checked with the bot's
    Telegram token."""
    web, secret_sources = config.web, (config.web.secret, config.downloads.secret, config.zalo.webhook_secret)
    secret = derive_web_secret(*secret_sources)
    public = (web.public_url or config.downloads.public_url).rstrip("/")
    if not (web.enabled and secret and public):
        return None
    return Gate(WebSettings(public, secret, config.telegram.token), sessions, clock)


def web_shelf(config: Config, clock: Clock, gate: Gate) -> DownloadShelf:
    """The web view's own download shelf (its server serves ``/tep/``)."""
    return DownloadShelf(
        Path(config.downloads.folder),
        gate.settings.public_url + PATH_PREFIX,
        gate.settings.secret,
        clock,
        lifetime=timedelta(hours=config.downloads.lifetime_hours),
    )


def build_services(
    config: Config,
    clock: Clock,
    sessions: async_sessionmaker[AsyncSession],
    *,
    downloads: DownloadShelf | None = None,
    web: Gate | None = None,
) -> Services:
    return Services(
        downloads=downloads,
        web=web,
        sessions=sessions,
        clock=clock,
        calendar=calendar_from(config),
        planning=planning_from(config),
        timezone=config.organization.timezone,
        evidence=evidence_from(config),
        extension_max_months=config.extensions.max_months,
    )
