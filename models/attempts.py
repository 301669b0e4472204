"""Wrong guesses of credentials (link codes, invite codes), counted in the database so
that a limit holds across restarts and across bot processes. The limits slow a guesser
down without locking the honest out:

- **per account** (one channel account, kept as a hash of its id, never its name):
  ``PER_ACCOUNT`` wrong codes free, then a cool-down that doubles with each further wrong
  code (15 min, 30 min, 1 h, 2 h, then 4 h at most); the count is forgotten
  ``ACCOUNT_MEMORY`` after the account's first wrong code.
- **per source** (the organization a member belongs to, or the strangers of one
  channel): ``PER_ORGANIZATION`` / ``PER_CHANNEL_STRANGERS`` wrong codes in ``WINDOW``
  lock the source for ``COOLDOWN``;
- **everyone** (``GLOBAL``): a ceiling only a real flood reaches.

A source's or the global lock holds back only accounts that have guessed wrong
themselves in their memory window: an account's first attempt is always looked at, so a
newcomer with a valid invite gets in whatever others did. A swarm of fresh accounts gets
one guess each, and codes of 50 bits make that hopeless. While an account is held back,
no code it types is even looked at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

WINDOW = timedelta(minutes=15)  # of the shared counts
COOLDOWN = timedelta(minutes=15)  # the first cool-down, of an account or a source
ACCOUNT_MEMORY = timedelta(hours=24)
MAX_ACCOUNT_COOLDOWN = timedelta(hours=4)
PER_ACCOUNT = 5
# Shared scopes are larger: a busy first day of registrations has honest typos too.
PER_ORGANIZATION = 30
PER_CHANNEL_STRANGERS = 200
GLOBAL = 2000
STRANGERS = PER_CHANNEL_STRANGERS  # the name earlier tests use


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
    shared: bool = True  # False: an account's own count (growing cool-downs)


def account_scope(channel: str, external_id: str) -> Scope:
    """An account's scope, named by a hash: the counts keep no one's id or name."""
    digest = hashlib.sha256(f"{channel}\x00{external_id}".encode()).hexdigest()[:40]
    return Scope(f"account:{digest}", PER_ACCOUNT, shared=False)


def scopes_for(channel: str, external_id: str, organization_ids: Iterable[int]) -> list[Scope]:
    """The scopes one guess counts against: the account (always first), its
    organizations (or the strangers of its channel), and everyone."""
    scopes = [account_scope(channel, str(external_id))]
    orgs = sorted(set(organization_ids))
    if orgs:
        scopes += [Scope(f"org:{org}", PER_ORGANIZATION) for org in orgs]
    else:
        scopes.append(Scope(f"strangers:{channel[:20]}", PER_CHANNEL_STRANGERS))
    scopes.append(Scope("global", GLOBAL))
    return scopes


def account_cooldown(failures: int) -> timedelta | None:
    """How long an account waits after its ``failures``-th wrong code, or None."""
    if failures < PER_ACCOUNT:
        return None
    return min(COOLDOWN * 2 ** min(failures - PER_ACCOUNT, 10), MAX_ACCOUNT_COOLDOWN)


async def locked_until(
    session: AsyncSession, scopes: Sequence[Scope], now: datetime
) -> datetime | None:
    """The end of the longest cool-down holding this account back, or None. A shared
    scope's lock counts only when the account itself guessed wrong lately."""
    rows = {
        row.scope: row
        for row in await session.scalars(
            select(AttemptCounter)
            .where(AttemptCounter.scope.in_([s.name for s in scopes]))
            .execution_options(populate_existing=True)
        )
    }
    own = rows.get(scopes[0].name)
    suspect = own is not None and own.failures > 0 and own.window_start >= now - ACCOUNT_MEMORY
    ends = []
    for scope in scopes:
        row = rows.get(scope.name)
        if row is None or row.locked_until is None or row.locked_until <= now:
            continue
        if not scope.shared or suspect:
            ends.append(row.locked_until)
    return max(ends, default=None)


async def record_failure(session: AsyncSession, scopes: Sequence[Scope], now: datetime) -> None:
    """Count one wrong guess in every scope; an account past its allowance, or a source
    that reaches its limit, is locked."""
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
        stale = AttemptCounter.window_start < now - (WINDOW if scope.shared else ACCOUNT_MEMORY)
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
        if row is None:
            continue
        if not scope.shared:
            wait = account_cooldown(row.failures)
            if wait is not None:
                row.locked_until = now + wait  # the count stays: the next wait is longer
        elif row.failures >= scope.limit:
            # A fresh allowance after the cool-down; the row stays locked until then.
            row.locked_until, row.failures, row.window_start = now + COOLDOWN, 0, now
    await session.execute(
        delete(AttemptCounter).where(
            AttemptCounter.window_start < now - ACCOUNT_MEMORY - MAX_ACCOUNT_COOLDOWN,
            (AttemptCounter.locked_until.is_(None)) | (AttemptCounter.locked_until < now),
        )
    )
    await session.flush()


async def forget(session: AsyncSession, scope: Scope) -> None:
    """A right guess clears the account's count (shared scopes keep theirs)."""
    await session.execute(delete(AttemptCounter).where(AttemptCounter.scope == scope.name))
