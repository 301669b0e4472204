"""The chat's ``Request`` for something a person does on a web page, so that the web
calls the very rule functions the chat handlers call (extension decisions, nudges,
instructions, reports) and records what the chat records. The channel is "web"; the
grants are narrowed to the one organization the page is about, so that
``Request.organization`` is that commune (a viewer of several communes, or a person
with roles in two, gets the commune they opened)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Request, Services
from handlers.messages import Incoming
from models.people import Organization
from web.gate import Visitor

CHANNEL = "web"  # kept in the history rows' ``channel``


def chat_request(db: AsyncSession, visitor: Visitor, org: Organization, services: Services) -> Request:
    person = visitor.person
    incoming = Incoming(CHANNEL, str(person.id), f"web:{person.id}", person.display_name)
    return Request(
        incoming=incoming,
        session=db,
        services=services,
        now=services.clock.now(),
        person=person,
        grants=[g for g in visitor.grants if g.organization_id == org.id],
        organizations={org.id: org},
    )
