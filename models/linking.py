"""One person, several channels: a code made on one channel and typed on another asks
to join the two accounts; the account that made the code must then agree before
anything is joined. The person who typed the code is merged into the one who made it;
nothing of the history is lost.

A code is a credential: 10 of 32 symbols (50 bits), good for 15 minutes, used once
(claimed atomically, so two typists cannot both claim it), and the agreement it asks
for expires 15 minutes after it was claimed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime
from models.conversation import ChatState, SentMessage
from models.invites import new_code, normalize_code
from models.outbox import PENDING, OutboxItem
from models.people import Identity, Membership, Person
from models.plans import StatusUpdate

LINK_LENGTH = 10
LINK_VALID = timedelta(minutes=15)
CONFIRM_VALID = timedelta(minutes=15)


class LinkCode(Base):
    __tablename__ = "link_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set once someone typed the code: they wait for the owner's agreement.
    claimant_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), default=None
    )
    claim_channel: Mapped[str | None] = mapped_column(String(16), default=None)


def show_code(code: str) -> str:
    """A code as shown, in two halves that are easier to copy by eye (ABCDE-FGHJK)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


async def new_link_code(session: AsyncSession, person: Person, now: datetime) -> str:
    """A fresh code for ``person``; their earlier codes and requests are void."""
    await session.execute(delete(LinkCode).where(LinkCode.person_id == person.id))
    code = new_code(LINK_LENGTH)
    session.add(LinkCode(code=code, person_id=person.id, expires_at=now + LINK_VALID))
    await session.flush()
    return code


async def open_code(session: AsyncSession, code: str, now: datetime) -> LinkCode | None:
    """The unclaimed, unexpired code typed as ``code``."""
    return await session.scalar(
        select(LinkCode).where(
            LinkCode.code == normalize_code(code),
            LinkCode.claimant_id.is_(None),
            LinkCode.expires_at >= now,
        )
    )


async def claim(
    session: AsyncSession, row: LinkCode, claimant: Person, channel: str, now: datetime
) -> bool:
    """Take the code for ``claimant``, once: False if someone else was first."""
    result = await session.execute(
        update(LinkCode)
        .where(LinkCode.id == row.id, LinkCode.claimant_id.is_(None), LinkCode.expires_at >= now)
        .values(claimant_id=claimant.id, claim_channel=channel, expires_at=now + CONFIRM_VALID)
        .execution_options(synchronize_session=False)
    )
    if (result.rowcount or 0) != 1:
        return False
    await session.refresh(row)
    return True


async def pending_request(
    session: AsyncSession, owner_id: int, now: datetime, row_id: int | None = None
) -> LinkCode | None:
    """The owner's claimed code still waiting for their answer (the one named, if any)."""
    query = select(LinkCode).where(
        LinkCode.person_id == owner_id,
        LinkCode.claimant_id.is_not(None),
        LinkCode.expires_at >= now,
    )
    if row_id is not None:
        query = query.where(LinkCode.id == row_id)
    return await session.scalar(query.order_by(LinkCode.id.desc()).limit(1))


async def drop_code(session: AsyncSession, row_id: int) -> None:
    await session.execute(delete(LinkCode).where(LinkCode.id == row_id))


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
