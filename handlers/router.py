"""The conversation's entry point, the same for every channel: ``Conversation.handle``
takes an ``Incoming`` and returns the ``Outgoing`` messages, in one transaction.

It finds the person (a stranger's row lasts only if they join: ``handlers.newcomers``), sets their language for the reply (a ContextVar, as in
aiogram's i18n middleware), and routes: a pressed button or a numbered choice, a
command, a file, or free text about a task. Nothing a person types is dropped: an
error rolls the transaction back and the person still gets a clear answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import (
    cmd_admin,
    cmd_extension,
    cmd_link,
    cmd_nudge,
    cmd_progress,
    cmd_register,
    cmd_report,
    cmd_scores,
    cmd_search,
    cmd_status,
    cmd_tasks,
    command_names,
    evidence_flow,
    free_text,
    newcomers,
    questions,
    score_replies,
)
from handlers.choices import AWAIT_IMPORT, message_focus, remember_focus, take_awaited
from handlers.context import Request, Services
from handlers.messages import Incoming, Outgoing
from handlers.permissions import Grant
from locales import _, set_language
from models.conversation import chat_state, remember_sent
from models.invites import get_or_create_person, person_id_of
from models.outbox import request_replan

log = logging.getLogger(__name__)

Handler = Callable[[Request, str], Awaitable[list[Outgoing]]]

# Telegram command names are ASCII; aliases help people who type English.
COMMANDS: dict[str, Handler] = {
    "start": cmd_register.start,
    "dangky": cmd_register.register,
    "trogiup": cmd_register.help_,
    "help": cmd_register.help_,
    "ngonngu": cmd_register.set_language,
    "moi": cmd_admin.invite,
    "nhap": cmd_admin.import_plan,
    "viec": cmd_tasks.my_tasks,
    "quahan": cmd_tasks.overdue,
    "tim": cmd_search.search,
    "nhac": cmd_nudge.nudge_command,
    "capnhat": cmd_status.update_command,
    "giahan": cmd_status.extension_command,
    "hoantac": cmd_status.undo_command,
    "undo": cmd_status.undo_command,
    "tiendo": cmd_progress.progress,
    "lienket": cmd_link.link,
    "kenh": cmd_link.choose_channel,
    "duyet": cmd_extension.approve_command,
    "tuchoi": cmd_extension.reject_command,
    "baocao": cmd_report.report,
    "ketqua": cmd_report.appendix_wording,
    "diem": cmd_scores.scores,
    "chamdiem": cmd_scores.confirm,
}
# Who a command is for, when not everyone: a mistyped command is never answered with
# one the person cannot use ("/nhac" typed by a leader is not "/nhap").
ROLE_COMMANDS = {
    "moi": ("admin",),
    "nhap": ("admin",),
    "ketqua": ("admin",),
    "chamdiem": ("admin",),
    "nhac": ("leader", "admin"),
    "duyet": ("leader", "admin"),
    "tuchoi": ("leader", "admin"),
}


def usable_commands(role: str | None) -> list[str]:
    return [c for c in COMMANDS if role in ROLE_COMMANDS.get(c, (role,))]


# Commands whose words a file may come with (a caption): the file is evidence.
FILE_COMMANDS = ("capnhat",)
# Shown in Telegram's menu (setMyCommands), in this order.
MENU = (
    "viec",
    "capnhat",
    "quahan",
    "tim",
    "tiendo",
    "baocao",
    "diem",
    "giahan",
    "hoantac",
    "dangky",
    "ngonngu",
    "trogiup",
)

# The commands that make a stranger a person: registering, or linking to an account.
JOINING_COMMANDS = ("start", "dangky", "lienket")


def addressed(incoming: Incoming) -> bool:
    """Is the message for dondoc? In a group only a reply to it, a button, or a command
    naming it ("/viec@dondoc_bot") is; everything in a private chat is."""
    if incoming.chat_type == "private" or incoming.callback or incoming.reply_to:
        return True
    first = incoming.text.strip().split(maxsplit=1)[0] if incoming.text.strip() else ""
    return first.startswith("/") and "@" in first


def strangers_answer(incoming: Incoming) -> list[Outgoing]:
    """What a stranger gets, with nothing written: how to register, or nothing at all in
    a group when they were not talking to dondoc."""
    if not addressed(incoming):
        return []
    command = parse_command(incoming.text) if not incoming.callback else None
    if command is not None and command[0] not in COMMANDS:
        return cmd_register.unknown_for_stranger(command[0])
    return cmd_register.not_registered()


def joining(incoming: Incoming) -> bool:
    """Is a stranger's message one that may make them a person (registering, linking)?
    Their person row stays only if it does (``handlers.newcomers``)."""
    command = parse_command(incoming.text) if not incoming.callback else None
    return command is not None and command[0] in JOINING_COMMANDS


def parse_command(text: str) -> tuple[str, str] | None:
    return command_names.parse_command(text, COMMANDS)


class Conversation:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        now = self.services.clock.now()
        set_language("vi")
        try:
            async with self.services.sessions() as session, session.begin():
                known = await person_id_of(session, incoming.channel, incoming.user_id)
                if known is None and not joining(incoming):
                    return strangers_answer(incoming)
                request = await self._request(incoming, session, now)
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
        except Exception:
            log.exception("handling a message failed")
            return [
                Outgoing(
                    _(
                        "Xin lỗi, dondoc gặp lỗi khi xử lý tin nhắn này; chưa có gì bị thay đổi. Anh/chị vui lòng thử lại sau ít phút."
                    )
                )
            ]

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

    async def _request(self, incoming: Incoming, session: AsyncSession, now: datetime) -> Request:
        request = Request(incoming=incoming, session=session, services=self.services, now=now)
        person = await get_or_create_person(
            session,
            incoming.channel,
            incoming.user_id,
            display_name=incoming.display_name,
            chat_id=incoming.chat_id,
            now=now,
        )
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
        incoming = request.incoming
        # What the previous answer asked for is good for this one message only.
        request.awaited = await take_awaited(
            request.session, request.person.id, incoming.channel, request.now
        )
        if incoming.callback:
            return await cmd_status.button(request, incoming.callback)
        text = incoming.text.strip()
        command = parse_command(text)
        if command:
            name, args = command
            handler = COMMANDS.get(name)
            if handler is None:
                near = command_names.nearest(name, usable_commands(request.role))
                return await cmd_register.unknown_command(request, name, near)
            if incoming.attachment and name in FILE_COMMANDS:
                return await evidence_flow.with_words(request, lambda: handler(request, args))
            return await handler(request, args)
        if incoming.attachment:
            # After /nhap, or an admin's plan file: an import. Otherwise: evidence.
            if request.awaited == AWAIT_IMPORT or evidence_flow.plan_import(request):
                return await cmd_admin.import_plan(request, "")
            if not text:
                return await evidence_flow.file_alone(request)
            return await evidence_flow.with_words(request, lambda: free_text.free_text(request))
        if text and len(text) <= 20 and (typed := await questions.typed_which(request, text)):
            return typed
        if text and len(text) <= 20 and (typed := await score_replies.typed_item(request, text)):
            return typed  # "1.2" answering which score item
        if text.isascii() and text.isdigit() and len(text) <= 2:
            state = await chat_state(
                request.session, request.person.id, incoming.channel, request.now
            )
            index = int(text) - 1
            if 0 <= index < len(state.choices):
                return await cmd_status.button(request, state.choices[index])
            if request.grants:  # not a choice on offer: a task's number, never a note "2"
                return await cmd_tasks.my_tasks(request, text)
        return await free_text.free_text(request)
