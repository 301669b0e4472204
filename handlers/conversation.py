"""The conversation's entry point, the same for every channel: ``Conversation.handle``
takes an ``Incoming`` and returns the ``Outgoing`` messages, in one transaction.

It finds the person (a stranger's row lasts only if they join: ``people.newcomers``), sets
their language for the reply (a ContextVar, as in aiogram's i18n middleware), and
routes through the router the features registered with (``handlers.features``): a
pressed button, a command, or anything else (a file, a typed answer, free text about a
task). Nothing a person types is dropped: an error rolls the transaction back and the
person still gets a clear answer.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.choices import message_focus, remember_focus, take_awaited
from handlers.context import Request, Services
from handlers.features import build_router
from handlers.messages import Incoming, Outgoing
from handlers.people import newcomers
from handlers.permissions import Grant
from handlers.replies.which_plan import ask_command_plan
from handlers.router import Router
from handlers.tasks.access import SeveralPlans
from locales import _, set_language
from models.conversation import remember_sent
from models.invites import create_person, find_person, keep_private_chat, person_id_of
from models.outbox import request_replan
from models.people import Person
from models.pool_ping import again_if_lost

log = logging.getLogger(__name__)


def addressed(incoming: Incoming) -> bool:
    """Is the message for dondoc? In a group only a reply to it, a button, or a command
    naming it ("/viec@dondoc_bot") is; everything in a private chat is."""
    if incoming.chat_type == "private" or incoming.callback or incoming.reply_to:
        return True
    first = incoming.text.strip().split(maxsplit=1)[0] if incoming.text.strip() else ""
    return first.startswith("/") and "@" in first


class Conversation:
    def __init__(self, services: Services, router: Router | None = None) -> None:
        self.services = services
        self.router = router or build_router()

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        set_language("vi")
        try:
            # A connection lost under the message (a database restart) rolled it back:
            # it is handled again on a fresh one (``again_if_lost``).
            return await again_if_lost(lambda: self._handle(incoming))
        except Exception:
            log.exception("handling a message failed")
        return [
            Outgoing(
                _(
                    "Xin lỗi, dondoc gặp lỗi khi xử lý tin nhắn này; chưa có gì bị thay đổi. Anh/chị vui lòng thử lại sau ít phút."
                )
            )
        ]

    async def _handle(self, incoming: Incoming) -> list[Outgoing]:
        """One message in one transaction: the person, their request, the answer."""
        now = self.services.clock.now()
        async with self.services.sessions() as session, session.begin():
            known = await find_person(session, incoming.channel, incoming.user_id)
            if known is None and not self._joining(incoming):
                return self.strangers_answer(incoming)
            request = await self._request(incoming, session, now, known)
            outgoing = await self._route(request)
            if known is None and await newcomers.drop_unless_joined(session, request.person):
                return outgoing  # a stranger who did not join leaves no row behind
            await remember_focus(
                session,
                request.person.id,
                incoming.channel,
                outgoing,
                has_buttons=request.has_buttons,
                now=now,
            )
            return outgoing

    def strangers_answer(self, incoming: Incoming) -> list[Outgoing]:
        """What a stranger gets, with nothing written: how to register, or nothing at all
        in a group when they were not talking to dondoc."""
        if not addressed(incoming) or self.router.stranger is None:
            return []
        command = self.router.parse_command(incoming.text) if not incoming.callback else None
        unknown = command[0] if command is not None and command[0] not in self.router.commands else None
        return self.router.stranger(unknown)

    async def remember_sent(self, incoming: Incoming, outgoing: Outgoing, message_id: str) -> None:
        """Note which task a sent message was about, so that a reply to it maps back."""
        focus = message_focus(outgoing)
        if not focus:
            return
        async with self.services.sessions() as session, session.begin():
            await remember_sent(
                session,
                channel=incoming.channel,
                chat_id=outgoing.chat_id or incoming.chat_id,
                message_id=str(message_id),
                focus=focus,
                person_id=await person_id_of(session, incoming.channel, incoming.user_id),
                now=self.services.clock.now(),
            )

    def _joining(self, incoming: Incoming) -> bool:
        """Is a stranger's message one that may make them a person (registering,
        linking)? Their person row stays only if it does (``people.newcomers``)."""
        command = self.router.parse_command(incoming.text) if not incoming.callback else None
        found = self.router.commands.get(command[0]) if command is not None else None
        return found is not None and found.joining

    async def _request(
        self, incoming: Incoming, session: AsyncSession, now: datetime, person: Person | None
    ) -> Request:
        request = Request(
            incoming=incoming, session=session, services=self.services, now=now, router=self.router
        )
        if person is None:
            person = await create_person(
                session,
                incoming.channel,
                incoming.user_id,
                display_name=incoming.display_name,
                chat_id=incoming.chat_id,
                now=now,
            )
        else:
            keep_private_chat(person, incoming.channel, incoming.user_id, incoming.chat_id)
        if person.last_channel != incoming.channel:  # (an unchanged person is not flushed)
            person.last_channel = incoming.channel
        if person.unreachable_since is not None:
            # They wrote to us, so they can be reached again: their cancelled reminders
            # are planned again at the next dispatcher tick, not in an hour.
            person.unreachable_since = None
            for membership in person.memberships:
                await request_replan(session, membership.organization_id, now)
        request.person = person
        for membership in person.memberships:
            request.grants.append(
                Grant(membership.organization_id, membership.unit_id, membership.role)
            )
            request.organizations[membership.organization_id] = membership.organization
        set_language(person.language)
        return request

    async def _route(self, request: Request) -> list[Outgoing]:
        # What the previous answer asked for is good for this one message only.
        request.awaited = await take_awaited(
            request.session, request.person.id, request.incoming.channel, request.now
        )
        try:
            return await self.router.dispatch(request)
        except SeveralPlans as several:  # "/capnhat 6 …" when two plans have a task 6
            return await ask_command_plan(request, several)
