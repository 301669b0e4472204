"""Wrong guesses of credentials (link codes, invite codes), counted per scope in the
database so that a limit holds across restarts and across bot processes.

A scope is one channel account, one organization the guesser belongs to, or — for
people who belong to none — all strangers together, so that a swarm of fresh accounts
cannot share out a brute-force run. Too many wrong guesses within ``WINDOW`` lock the
scope for ``COOLDOWN``; while a scope is locked, no code is even looked at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

WINDOW = timedelta(minutes=15)
COOLDOWN = timedelta(minutes=15)
PER_ACCOUNT = 5
# Shared scopes are larger: a busy first day of registrations has honest typos too.
PER_ORGANIZATION = 30
STRANGERS = 100


class AttemptCounter(Base):
    __tablename__ = "attempt_counter"

    scope: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


@dataclass(frozen=True)
class Scope:
    name: str
    limit: int


def scopes_for(channel: str, external_id: str, organization_ids: Iterable[int]) -> list[Scope]:
    """The scopes one guess counts against: the account, and its organizations (or the
    strangers' shared scope)."""
    scopes = [Scope(f"account:{channel}:{str(external_id)[:120]}", PER_ACCOUNT)]
    orgs = sorted(set(organization_ids))
    if orgs:
        scopes += [Scope(f"org:{org}", PER_ORGANIZATION) for org in orgs]
    else:
        scopes.append(Scope("strangers", STRANGERS))
    return scopes


async def locked_until(
    session: AsyncSession, scopes: Sequence[Scope], now: datetime
) -> datetime | None:
    """The end of the longest cool-down among ``scopes``, or None when none is locked."""
    found = await session.scalars(
        select(AttemptCounter.locked_until).where(
            AttemptCounter.scope.in_([s.name for s in scopes]),
            AttemptCounter.locked_until > now,
        )
    )
    return max(found, default=None)


async def record_failure(session: AsyncSession, scopes: Sequence[Scope], now: datetime) -> None:
    """Count one wrong guess in every scope; a scope that reaches its limit is locked."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    at = literal(now, UTCDateTime())
    for scope in scopes:
        # Insert-if-missing and an increment in SQL: two processes never lose a guess.
        await session.execute(
            insert(AttemptCounter)
            .values(scope=scope.name, window_start=now, failures=0, locked_until=None)
            .on_conflict_do_nothing(index_elements=["scope"])
        )
        stale = AttemptCounter.window_start < now - WINDOW
        await session.execute(
            update(AttemptCounter)
            .where(AttemptCounter.scope == scope.name)
            .values(
                failures=case((stale, 1), else_=AttemptCounter.failures + 1),
                window_start=case((stale, at), else_=AttemptCounter.window_start),
            )
            .execution_options(synchronize_session=False)
        )
        row = await session.scalar(
            select(AttemptCounter)
            .where(AttemptCounter.scope == scope.name)
            .execution_options(populate_existing=True)
        )
        if row is not None and row.failures >= scope.limit:
            # A fresh allowance after the cool-down; the row stays locked until then.
            row.locked_until, row.failures, row.window_start = now + COOLDOWN, 0, now
    await session.execute(
        delete(AttemptCounter).where(
            AttemptCounter.window_start < now - WINDOW - COOLDOWN,
            (AttemptCounter.locked_until.is_(None)) | (AttemptCounter.locked_until < now),
        )
    )
    await session.flush()


async def forget(session: AsyncSession, scope: Scope) -> None:
    """A right guess clears the account's count (shared scopes keep theirs)."""
    await session.execute(delete(AttemptCounter).where(AttemptCounter.scope == scope.name))
