"""One person, several channels: a short-lived code made on one channel and typed on
another joins the two accounts into one person with one history. The person who typed
the code is merged into the one who made it; nothing of the history is lost."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime
from models.conversation import ChatState, SentMessage
from models.outbox import PENDING, OutboxItem
from models.people import Identity, Membership, Person
from models.plans import StatusUpdate

LINK_ALPHABET = "23456789"
LINK_VALID = timedelta(minutes=15)


class LinkCode(Base):
    __tablename__ = "link_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


async def new_link_code(session: AsyncSession, person: Person, now: datetime) -> str:
    await session.execute(delete(LinkCode).where(LinkCode.person_id == person.id))
    code = "".join(secrets.choice(LINK_ALPHABET) for _ in range(6))
    session.add(LinkCode(code=code, person_id=person.id, expires_at=now + LINK_VALID))
    await session.flush()
    return code


async def redeem_link_code(session: AsyncSession, code: str, now: datetime) -> Person | None:
    """The person who made ``code`` if it is valid; the code is used up."""
    row = await session.scalar(select(LinkCode).where(LinkCode.code == code.strip()))
    if row is None or row.expires_at < now:
        return None
    person = await session.get(Person, row.person_id)
    await session.delete(row)
    await session.flush()
    return person


async def merge_people(session: AsyncSession, keep: Person, other: Person) -> None:
    """Move everything of ``other`` to ``keep`` and delete ``other``."""
    if keep.id == other.id:
        return
    await session.execute(
        update(Identity).where(Identity.person_id == other.id).values(person_id=keep.id)
    )
    mine = {
        (m.organization_id, m.unit_id, m.role)
        for m in await session.scalars(select(Membership).where(Membership.person_id == keep.id))
    }
    for membership in list(
        await session.scalars(select(Membership).where(Membership.person_id == other.id))
    ):
        if (membership.organization_id, membership.unit_id, membership.role) in mine:
            await session.delete(membership)
        else:
            membership.person_id = keep.id
    await session.execute(
        update(StatusUpdate).where(StatusUpdate.person_id == other.id).values(person_id=keep.id)
    )
    await session.execute(
        update(SentMessage).where(SentMessage.person_id == other.id).values(person_id=keep.id)
    )
    # Pending rows are re-made for ``keep`` by the next planning run; their keys name the recipient.
    await session.execute(
        delete(OutboxItem).where(OutboxItem.recipient_id == other.id, OutboxItem.state == PENDING)
    )
    await session.execute(delete(ChatState).where(ChatState.person_id == other.id))
    await session.flush()
    # Deleted in SQL: the ORM would otherwise null the foreign keys of the identities and
    # memberships it still has loaded for ``other``, which now belong to ``keep``.
    session.expunge(other)
    await session.execute(delete(Person).where(Person.id == other.id))
