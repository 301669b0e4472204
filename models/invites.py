"""Invites: a code that lets a person join an organization with a role (and optionally
a unit). Codes avoid look-alike characters so they can be read out loud, and are long
enough (10 of 32 symbols, 50 bits) that guessing one is hopeless under the limit on
wrong attempts (models/attempts.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models.conversation import ChatState, keep_chat_state
from models.people import Identity, Invite, Membership, Organization, Person, Unit
from models.reach import is_private_chat

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """A typed code as stored: upper case, without the dashes and spaces of reading aloud."""
    return text.strip().upper().replace("-", "").replace(" ", "")[:40]


async def create_invite(
    session: AsyncSession,
    org: Organization,
    *,
    role: str,
    unit: Unit | None,
    uses: int,
    now: datetime,
    valid_for: timedelta | None = timedelta(days=30),
) -> Invite:
    invite = Invite(
        code=new_code(),
        organization_id=org.id,
        unit_id=unit.id if unit else None,
        role=role,
        uses_left=uses,
        created_at=now,
        expires_at=now + valid_for if valid_for else None,
    )
    session.add(invite)
    await session.flush()
    return invite


@dataclass
class Redeemed:
    membership: Membership
    invite: Invite
    already_member: bool


class InviteProblem(Exception):
    """Why a code cannot be used: "unknown", "expired" or "used_up"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def redeem_invite(
    session: AsyncSession, person: Person, code: str, *, now: datetime
) -> Redeemed:
    code = normalize_code(code)
    invite = await session.scalar(
        select(Invite)
        .where(Invite.code == code)
        .options(selectinload(Invite.organization), selectinload(Invite.unit))
    )
    if invite is None:
        raise InviteProblem("unknown")
    if invite.expires_at is not None and invite.expires_at < now:
        raise InviteProblem("expired")
    existing = await session.scalar(
        select(Membership)
        .where(
            Membership.person_id == person.id,
            Membership.organization_id == invite.organization_id,
            Membership.unit_id.is_(None)
            if invite.unit_id is None
            else Membership.unit_id == invite.unit_id,
            Membership.role == invite.role,
        )
        .options(selectinload(Membership.organization), selectinload(Membership.unit))
    )
    if existing is not None:
        return Redeemed(existing, invite, already_member=True)
    if invite.uses_left <= 0:
        raise InviteProblem("used_up")
    invite.uses_left -= 1
    membership = Membership(
        person_id=person.id,
        organization_id=invite.organization_id,
        unit_id=invite.unit_id,
        role=invite.role,
    )
    session.add(membership)
    await session.flush()
    membership.organization = invite.organization
    membership.unit = invite.unit
    return Redeemed(membership, invite, already_member=False)


async def person_id_of(session: AsyncSession, channel: str, external_id: str) -> int | None:
    return await session.scalar(
        select(Identity.person_id).where(
            Identity.channel == channel, Identity.external_id == str(external_id)
        )
    )


CROWDED = 20  # memberships past which a person's are read by a statement of their own


async def find_person(session: AsyncSession, channel: str, external_id: str) -> Person | None:
    """The person behind ``channel``'s ``external_id`` with their identities, memberships
    (organization, unit) and chat state on ``channel``, in one statement: it runs
    before every message. A person with many memberships (a province's viewer: one in
    each of 480 communes) has them read in a second statement instead, once seen:
    joined, each membership row came again for each identity, chat state columns and all."""
    key = (channel, str(external_id))
    seen = _crowded(session)
    crowded = key in seen
    result = await session.scalars(
        _person_statement(crowded), {"channel": channel, "external": key[1]}
    )
    person = result.unique().first()
    for state in person.chat_states if person is not None else ():
        keep_chat_state(session, state)  # the message's chat state: no second statement
    if person is not None and not crowded and len(person.memberships) > CROWDED:
        if len(seen) < 1000:
            seen.add(key)  # (a hint: both statements give the same person)
    return person


def _crowded(session: AsyncSession) -> set[tuple[str, str]]:
    """The (channel, external id) of the people seen with many memberships, per database."""
    return _hints().setdefault(session.bind.sync_engine, set())


@cache
def _hints() -> WeakKeyDictionary[Engine, set[tuple[str, str]]]:
    return WeakKeyDictionary()


@cache
def _person_statement(crowded: bool) -> Select:
    """``find_person``'s statement, built once per process and given its values (building
    it, or a lambda statement's tracking of its values, cost more than running it)."""
    channel = bindparam("channel")
    memberships = selectinload if crowded else joinedload
    return (
        select(Person)
        .join(Identity, Identity.person_id == Person.id)
        .where(Identity.channel == channel, Identity.external_id == bindparam("external"))
        .options(
            memberships(Person.memberships).joinedload(Membership.organization),
            memberships(Person.memberships).joinedload(Membership.unit),
            joinedload(Person.identities),
            joinedload(Person.chat_states.and_(ChatState.channel == channel)),
        )
    )


async def create_person(
    session: AsyncSession,
    channel: str,
    external_id: str,
    *,
    display_name: str,
    chat_id: str | None,
    now: datetime,
) -> Person:
    """A new person with their identity on ``channel``, read back as ``find_person`` does."""
    person = Person(
        display_name=display_name or external_id,
        language="vi",
        created_at=now,
        last_channel=channel,
    )
    session.add(person)
    await session.flush()
    session.add(
        Identity(
            person_id=person.id, channel=channel, external_id=str(external_id), chat_id=chat_id
        )
    )
    await session.flush()
    found = await find_person(session, channel, external_id)
    assert found is not None
    return found


def keep_private_chat(person: Person, channel: str, external_id: str, chat_id: str | None) -> None:
    """Kept as the private chat once the person opens one (the first contact may have
    been a group); personal messages go there (models/reach.py)."""
    if not chat_id or not is_private_chat(channel, external_id, chat_id):
        return
    for identity in person.identities:
        if identity.channel == channel and identity.external_id == str(external_id):
            if identity.chat_id != chat_id:
                identity.chat_id = chat_id


async def reload_person(session: AsyncSession, person_id: int) -> Person:
    """The person with memberships and identities read afresh (after a merge)."""
    person = await session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(
            selectinload(Person.memberships).selectinload(Membership.organization),
            selectinload(Person.memberships).selectinload(Membership.unit),
            selectinload(Person.identities),
        )
        .execution_options(populate_existing=True)
    )
    assert person is not None
    return person
