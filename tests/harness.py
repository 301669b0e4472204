"""Driving the conversation in tests without any network (as errbot's test backend
does): a ``Harness`` owns a migrated database, a frozen clock and a ``Conversation``,
and ``say`` sends one ``Incoming`` as a given person."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.context import Services
from handlers.conversation import Conversation
from handlers.imports.plans import import_plan_file
from handlers.messages import Attachment, Incoming, Outgoing
from models.evidence_store import EvidenceSettings
from models.invites import create_invite
from models.plan_store import find_organization, resolve_unit
from models.plans import StatusUpdate, Task
from scheduler.clock import Clock
from tests.conftest import SAMPLES

ORG = "Xã Nguyễn Bình Khiêm"
SAMPLE_DOCX = SAMPLES / "ke-hoach-cchc-2026-mau.docx"


@dataclass
class Harness:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    channel: str = "console"
    evidence: EvidenceSettings | None = None  # default: a fresh temporary folder
    conversation: Conversation = field(init=False)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    last: dict[str, list[tuple[str, Outgoing]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.evidence is None:
            self.evidence = EvidenceSettings(folder=Path(tempfile.mkdtemp(prefix="dondoc-evidence-")))
        self.conversation = Conversation(
            Services(sessions=self.sessions, clock=self.clock, evidence=self.evidence)
        )

    async def import_sample(self) -> None:
        async with self.sessions() as session, session.begin():
            await import_plan_file(
                session, data=SAMPLE_DOCX.read_bytes(), filename=SAMPLE_DOCX.name, organization=ORG, now=self.clock.now()
            )

    async def invite(self, role: str, unit: str | None = None) -> str:
        async with self.sessions() as session, session.begin():
            org = await find_organization(session, ORG)
            assert org is not None
            unit_row = await resolve_unit(session, org, unit) if unit else None
            if unit:
                assert unit_row is not None, unit
            return (await create_invite(session, org, role=role, unit=unit_row, uses=1, now=self.clock.now())).code

    async def say(
        self,
        user: str,
        text: str = "",
        *,
        reply_to: str | None = None,
        callback: str | None = None,
        attachment: Attachment | None = None,
        chat_type: str = "private",
    ) -> list[Outgoing]:
        incoming = Incoming(
            channel=self.channel,
            user_id=user,
            chat_id=user,
            display_name=user.title(),
            text=text,
            chat_type=chat_type,
            message_id=str(next(self._ids)),
            reply_to=reply_to,
            callback=callback,
            attachment=attachment,
        )
        replies = await self.conversation.handle(incoming)
        sent = []
        for reply in replies:
            message_id = str(next(self._ids))
            await self.conversation.remember_sent(incoming, reply, message_id)
            sent.append((message_id, reply))
        self.last[user] = sent
        return replies

    def message_about(self, user: str, task_number: str) -> str:
        """Id of the last message sent to ``user`` whose text is about ``task_number``."""
        for message_id, reply in reversed(self.last.get(user, [])):
            if reply.task_id is not None and f"Nhiệm vụ {task_number}" in reply.text:
                return message_id
        raise AssertionError(f"no message about task {task_number}")

    async def register(self, user: str, role: str, unit: str | None = None) -> None:
        code = await self.invite(role, unit)
        replies = await self.say(user, f"/dangky {code}")
        assert "Đăng ký thành công" in replies[0].text, replies[0].text


def text_of(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


async def task_row(bot: Harness, number: str) -> Task:
    """The sample plan's task ``number``, read afresh."""
    async with bot.sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        return task


async def status_rows(bot: Harness, number: str) -> list[StatusUpdate]:
    """Task ``number``'s history, oldest first."""
    task = await task_row(bot, number)
    async with bot.sessions() as session:
        found = await session.scalars(
            select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id)
        )
        return list(found)


async def sample_harness(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, channel: str = "console", *people: tuple[str, ...]
) -> Harness:
    """A harness on the sample plan, with ``people`` registered in order, each
    ``(user, role)`` or ``(user, role, unit)``."""
    harness = Harness(sessions, clock, channel=channel)
    await harness.import_sample()
    for person in people:
        await harness.register(*person)
    return harness


async def team(sessions: async_sessionmaker[AsyncSession], clock: Clock, *, head: str = "leader") -> Harness:
    """The sample plan on Telegram with Trinh (``head``: its role, leader or admin) and
    Lan, an officer of Phòng Văn hóa - Xã hội: the people of the report tests."""
    return await sample_harness(sessions, clock, "telegram", ("trinh", head), ("lan", "officer", "Phòng Văn hóa - Xã hội"))
