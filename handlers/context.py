"""What a handler works with: the long-lived services (sessions, clock, calendar) and,
per message, the request (the incoming message, an open session, the person and their
grants, the moment, the router to dispatch through). Built by the conversation;
handlers only read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.messages import Incoming, Outgoing
from handlers.permissions import RANK, Grant, best_role
from models.evidence_store import EvidenceSettings
from models.people import Organization, Person
from scheduler.clock import DEFAULT_TZ, Clock
from scheduler.planner import PlanningSettings
from scheduler.workdays import WorkCalendar

# Channels that show buttons; on the others, buttons become numbered choices.
BUTTON_CHANNELS = ("telegram",)


class PublishedFile(Protocol):
    url: str
    expires: datetime


class FilePublisher(Protocol):
    """Where files go for channels that cannot carry them (``bot.download_links``):
    ``publish`` keeps the file and gives a signed link that expires."""

    def publish(self, name: str, data: bytes, owner: str = ...) -> PublishedFile: ...


class SignInLinks(Protocol):
    """The web view's door (``web.gate.Gate``): ``issue`` makes a single-use sign-in
    link for ``person`` in the caller's transaction and gives its address."""

    async def issue(self, session: AsyncSession, person: Person) -> str: ...

    def mini_app_url(self) -> str | None:
        """The Telegram Mini App's address when it can be opened (https), else None."""
        ...


class Routes(Protocol):
    """What a handler may ask of the router (``handlers.router.Router``) without
    importing the features behind it."""

    async def press(self, request: Request, data: str) -> list[Outgoing]: ...

    async def read(self, stage: str, request: Request, text: str) -> list[Outgoing] | None: ...

    async def awaited_step(self, request: Request, text: str) -> list[Outgoing] | None: ...

    async def dispatch(self, request: Request) -> list[Outgoing]: ...


@dataclass
class Services:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    planning: PlanningSettings = field(default_factory=PlanningSettings)
    timezone: str = DEFAULT_TZ
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    extension_max_months: int = 6  # the longest extension an officer may ask for ([extensions])
    downloads: FilePublisher | None = None  # links for Zalo; None without a public URL
    web: SignInLinks | None = None  # /web's sign-in links; None when [web] is off


@dataclass
class Request:
    incoming: Incoming
    session: AsyncSession
    services: Services
    now: datetime
    person: Person | None = None
    grants: list[Grant] = field(default_factory=list)
    organizations: dict[int, Organization] = field(default_factory=dict)
    awaited: str | None = None  # what the previous answer asked for (choices.AWAIT_*)
    router: Routes | None = None  # set by the conversation: buttons and readers by name
    several_plans: bool | None = None  # the organization follows several plans (asked once)
    chosen_task: int | None = None  # the task tapped for a number two plans share (which_plan)
    chosen_plan: int | None = None  # the plan tapped for a command that needs one (which_plan)

    @property
    def has_buttons(self) -> bool:
        return self.incoming.channel in BUTTON_CHANNELS

    @property
    def organization(self) -> Organization | None:
        """The organization the person works in: the one where their role is highest."""
        if not self.grants:
            return None
        # One pass over the grants: a viewer of a province holds hundreds.
        rank: dict[int, int] = {}
        for grant in self.grants:
            rank[grant.organization_id] = max(rank.get(grant.organization_id, -1), RANK[grant.role])
        ranked = sorted(self.organizations.values(), key=lambda o: (-rank.get(o.id, -1), o.id))
        return ranked[0] if ranked else None

    @property
    def role(self) -> str | None:
        org = self.organization
        return best_role(self.grants, org.id) if org else None

    def today(self, org: Organization | None = None) -> date:
        """Today in the organization's time zone (the configured default without one)."""
        org = org or self.organization
        zone = org.timezone if org is not None else self.services.timezone
        return self.now.astimezone(ZoneInfo(zone)).date()
