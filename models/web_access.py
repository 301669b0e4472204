"""What the web view keeps: the sign-in links ``/web`` hands out (single use, bound to a
person) and the open sessions. Only the SHA-256 of a link's or a session's token is
stored, so a copy of the database opens nothing. Each row carries the fingerprint of the
person's memberships when it was made: a person removed, or whose role or unit changed,
no longer matches and is let in by no old link or session.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from models.base import Base, UTCDateTime
from models.people import Membership, Person


class WebLink(Base):
    """A sign-in link: opened once, before ``expires_at``."""

    __tablename__ = "web_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    grants: Mapped[str] = mapped_column(String(64))  # fingerprint of the memberships
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class WebSession(Base):
    """A signed-in browser: the cookie's token hash, until ``expires_at`` or sign-out."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    grants: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def grants_fingerprint(memberships: Iterable[Membership]) -> str:
    """The same text for the same (organization, unit, role) set, in any order."""
    rows = sorted(f"{m.organization_id}:{m.unit_id}:{m.role}" for m in memberships)
    return hashlib.sha256("|".join(rows).encode()).hexdigest()


async def person_with_grants(session: AsyncSession, person_id: int) -> Person | None:
    return await session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(
            selectinload(Person.memberships).selectinload(Membership.organization),
            selectinload(Person.memberships).selectinload(Membership.unit),
        )
    )


async def _add(
    session: AsyncSession,
    kind: type[WebLink] | type[WebSession],
    person: Person,
    token: str,
    now: datetime,
    expires: datetime,
) -> None:
    """A link or a session of ``person``: only the token's hash is kept, with the
    person's grants as they stand, so a change of role ends it (``grants_fingerprint``)."""
    session.add(
        kind(
            token_hash=token_hash(token),
            person_id=person.id,
            grants=grants_fingerprint(person.memberships),
            created_at=now,
            expires_at=expires,
        )
    )
    await session.flush()


async def add_link(
    session: AsyncSession, person: Person, token: str, now: datetime, expires: datetime
) -> None:
    await _add(session, WebLink, person, token, now, expires)


async def find_link(session: AsyncSession, token: str) -> WebLink | None:
    return await session.scalar(
        select(WebLink).where(WebLink.token_hash == token_hash(token)).with_for_update()
    )


async def add_session(
    session: AsyncSession, person: Person, token: str, now: datetime, expires: datetime
) -> None:
    await _add(session, WebSession, person, token, now, expires)


async def find_session(session: AsyncSession, token: str) -> WebSession | None:
    return await session.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token)))


async def end_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


async def sweep(session: AsyncSession, now: datetime) -> None:
    """Forget expired links and sessions."""
    await session.execute(delete(WebLink).where(WebLink.expires_at < now))
    await session.execute(delete(WebSession).where(WebSession.expires_at < now))


async def people_of_units(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """Unit id → the display names of its officers (and anyone else placed in it)."""
    ids = sorted(set(unit_ids))
    found: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = await session.execute(
        select(Membership.unit_id, Person.display_name)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.unit_id.in_(ids), Membership.role != "viewer")
        .order_by(Membership.unit_id, Person.display_name)
    )
    for unit_id, name in rows:
        if name not in found[unit_id]:
            found[unit_id].append(name)
    return found
