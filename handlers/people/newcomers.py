"""Newcomers leave no trace until they join (issue 25, point 4): a stranger's /start,
/dangky or /lienket runs with a person row made for the message, and that row (with its
account) is removed again at the end of the message unless the person has joined: an
invite redeemed (a membership) or a link code claimed (waiting for its owner's
agreement). Wrong codes are still counted, by hashed account ids
(``models.attempts``), in the same transaction."""

from __future__ import annotations

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.conversation import ChatState
from models.invites import person_id_of
from models.linking import LinkCode
from models.people import Identity, Membership, Person


async def has_joined(session: AsyncSession, person_id: int) -> bool:
    """A membership, or a claimed link code waiting for its owner."""
    member = exists().where(Membership.person_id == person_id)
    claimant = exists().where(LinkCode.claimant_id == person_id)
    return bool(await session.scalar(select(or_(member, claimant))))


async def drop_unless_joined(session: AsyncSession, person: Person | None) -> bool:
    """Remove a newcomer's person and account rows when they did not join; True when
    they were removed."""
    if person is None or await has_joined(session, person.id):
        return False
    person_id = person.id
    session.expunge(person)
    for table in (ChatState, Identity):
        await session.execute(
            delete(table)
            .where(table.person_id == person_id)
            .execution_options(synchronize_session=False)
        )
    await session.execute(
        delete(Person).where(Person.id == person_id).execution_options(synchronize_session=False)
    )
    return True


async def is_registered(
    sessions: async_sessionmaker[AsyncSession], channel: str, external_id: str
) -> bool:
    """Is this account a person's (registered or linked)? Channels ask before they
    spend anything on a message, such as downloading a stranger's picture."""
    async with sessions() as session:
        return await person_id_of(session, channel, str(external_id)) is not None
