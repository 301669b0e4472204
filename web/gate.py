"""Getting in: the sign-in links ``/web`` hands out, the Mini App's ``initData``, the
session cookie they open, and sign-out. A link opens once, within 15 minutes, for the
person it was made for; a session lasts 8 hours. Both remember the person's
memberships as they were: a person removed, or whose role or unit changed since, is let
in by neither (``models.web_access.grants_fingerprint``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.permissions import Grant
from models import web_access
from models.invites import find_person
from models.people import Organization, Person
from scheduler.clock import Clock
from web.security import (
    Refused,
    check_init_data,
    check_link_token,
    csrf_token,
    make_link_token,
    new_session_token,
)

LINK_PATH = "/web/vao"  # {public_url}/web/vao/{token}
MINI_APP_PATH = "/web/app"  # the Mini App's first page (web.entry.mini_app)


@dataclass(frozen=True)
class WebSettings:
    public_url: str  # where people reach the web server, without a trailing slash
    secret: bytes
    telegram_token: str = ""  # checks the Mini App's initData; empty: no Mini App
    link_lifetime: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(hours=8)

    @property
    def secure(self) -> bool:
        return self.public_url.startswith("https://")


@dataclass
class Visitor:
    """A signed-in person, with the grants the chat would give them."""

    person: Person
    session_token: str
    csrf: str
    grants: list[Grant] = field(default_factory=list)
    organizations: dict[int, Organization] = field(default_factory=dict)


def visitor_of(person: Person, session_token: str, secret: bytes) -> Visitor:
    found = Visitor(person, session_token, csrf_token(secret, session_token))
    for m in person.memberships:
        found.grants.append(Grant(m.organization_id, m.unit_id, m.role))
        found.organizations[m.organization_id] = m.organization
    return found


class Gate:
    """The web view's door, over the database and the one clock."""

    def __init__(
        self, settings: WebSettings, sessions: async_sessionmaker[AsyncSession], clock: Clock
    ) -> None:
        self.settings, self.sessions, self.clock = settings, sessions, clock

    async def issue(self, session: AsyncSession, person: Person) -> str:
        """A sign-in link for ``person`` (in the caller's transaction), for ``/web``."""
        now = self.clock.now(UTC)
        expires = now + self.settings.link_lifetime
        token = make_link_token(self.settings.secret, person.id, expires)
        await web_access.add_link(session, person, token, now, expires)
        return f"{self.settings.public_url}{LINK_PATH}/{token}"

    def mini_app_url(self) -> str | None:
        """Where Telegram opens the Mini App: only over https (Telegram's rule) and
        with the bot's token to check its ``initData``."""
        if not (self.settings.secure and self.settings.telegram_token):
            return None
        return f"{self.settings.public_url}{MINI_APP_PATH}"

    async def open_link(self, token: str) -> str:
        """A new session's token for a valid, unused link; raises ``Refused``."""
        now = self.clock.now(UTC)
        person_id = check_link_token(self.settings.secret, token, now)
        async with self.sessions() as session, session.begin():
            row = await web_access.find_link(session, token)
            if row is None or row.person_id != person_id:
                raise Refused("invalid")
            if row.used_at is not None:
                raise Refused("used")
            if row.expires_at <= now:
                raise Refused("expired")
            row.used_at = now
            person = await self._member(session, person_id, row.grants)
            return await self._open(session, person)

    async def open_telegram(self, init_data: str) -> str:
        """A new session's token for a Mini App's valid ``initData``; raises ``Refused``."""
        now = self.clock.now(UTC)
        user = check_init_data(self.settings.telegram_token, init_data, now)
        async with self.sessions() as session, session.begin():
            person = await find_person(session, "telegram", str(user.id))
            if person is None or not person.memberships:
                raise Refused("unknown")
            return await self._open(session, person)

    async def visitor(self, session: AsyncSession, token: str | None) -> Visitor | None:
        """Who the session cookie ``token`` signs in, if it still does."""
        if not token or len(token) > 100:
            return None
        row = await web_access.find_session(session, token)
        if row is None or row.expires_at <= self.clock.now(UTC):
            return None
        try:
            person = await self._member(session, row.person_id, row.grants)
        except Refused:
            return None
        return visitor_of(person, token, self.settings.secret)

    async def sign_out(self, token: str) -> None:
        async with self.sessions() as session, session.begin():
            await web_access.end_session(session, token)

    async def _member(self, session: AsyncSession, person_id: int, grants: str) -> Person:
        person = await web_access.person_with_grants(session, person_id)
        if (
            person is None
            or not person.memberships
            or web_access.grants_fingerprint(person.memberships) != grants
        ):
            raise Refused("changed")
        return person

    async def _open(self, session: AsyncSession, person: Person) -> str:
        now = self.clock.now(UTC)
        await web_access.sweep(session, now)
        token = new_session_token()
        await web_access.add_session(session, person, token, now, now + self.settings.session_lifetime)
        return token
