"""What the conversation remembers between messages: which bot message was about which
task (so a reply to it maps back), and the pending numbered choices of text-only
channels (Zalo, console), where "1" means the first button of the last message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import JSON, ForeignKey, Select, String, Text, UniqueConstraint, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


@dataclass(frozen=True)
class Focus:
    """What a message (or a chat) is about: one task, or several listed at once (a
    reminder of three tasks), and the score items it listed (a "score_due" reminder).
    A bare reply to several tasks or items is asked about, not guessed."""

    task_id: int | None = None
    task_ids: tuple[int, ...] = ()
    score_items: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return self.task_id is not None or bool(self.task_ids) or bool(self.score_items)

    @property
    def tasks(self) -> tuple[int, ...]:
        return (self.task_id,) if self.task_id is not None else self.task_ids


class SentMessage(Base):
    __tablename__ = "sent_message"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    task_ids: Mapped[list[int] | None] = mapped_column(JSON, default=list)
    score_item_ids: Mapped[list[int] | None] = mapped_column(JSON, default=list)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatState(Base):
    """Per person and channel: the task in focus and the numbered choices on offer."""

    __tablename__ = "chat_state"
    __table_args__ = (UniqueConstraint("person_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    task_ids: Mapped[list[int] | None] = mapped_column(JSON, default=list)
    score_item_ids: Mapped[list[int] | None] = mapped_column(JSON, default=list)
    focus_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Question(Base):
    """Something dondoc asked before recording: "Ghi: Đang thực hiện 50%?" about a note
    already kept (``confirm``), or which task a reply is about (``which``, the text kept
    here until the answer). Answered once; unanswered ones lapse and the text stays."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # "confirm" | "which" | "score_which"
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("status_update.id", ondelete="CASCADE"))
    candidates: Mapped[list[int]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    reading: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    attachment: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


async def remember_sent(
    session: AsyncSession,
    *,
    channel: str,
    chat_id: str,
    message_id: str,
    focus: Focus,
    person_id: int | None,
    now: datetime,
) -> None:
    exists = await session.scalar(
        select(SentMessage.id).where(
            SentMessage.channel == channel,
            SentMessage.chat_id == chat_id,
            SentMessage.message_id == message_id,
        )
    )
    if exists is None:
        session.add(
            SentMessage(
                channel=channel,
                chat_id=chat_id,
                message_id=message_id,
                task_id=focus.task_id,
                task_ids=list(focus.task_ids),
                score_item_ids=list(focus.score_items),
                person_id=person_id,
                created_at=now,
            )
        )
        await session.flush()


async def focus_of_message(
    session: AsyncSession, *, channel: str, chat_id: str, message_id: str
) -> Focus | None:
    """What the bot message ``message_id`` was about; None if dondoc has no record of it."""
    row = (
        await session.execute(
            select(SentMessage.task_id, SentMessage.task_ids, SentMessage.score_item_ids).where(
                SentMessage.channel == channel,
                SentMessage.chat_id == chat_id,
                SentMessage.message_id == message_id,
            )
        )
    ).first()
    if row is None:
        return None
    return Focus(row.task_id, tuple(row.task_ids or ()), tuple(row.score_item_ids or ()))


_KEPT_STATE = "dondoc.chat_state"  # session.info key: (transaction, {(person, channel): row})


def chat_focus(state: ChatState) -> Focus:
    return Focus(state.task_id, tuple(state.task_ids or ()), tuple(state.score_item_ids or ()))


async def chat_state(
    session: AsyncSession, person_id: int, channel: str, now: datetime
) -> ChatState:
    """The person's state on ``channel``, made if missing. Two transactions may make it at
    once (an answer and a reminder): the insert yields to the other instead of failing."""
    # Read once per transaction: a message both reads what was awaited and saves its
    # focus; the row stays in the session's identity map between the two.
    kept = session.info.get(_KEPT_STATE)
    transaction = session.sync_session.get_transaction()
    if kept is not None and kept[0] is transaction and (person_id, channel) in kept[1]:
        state = kept[1][(person_id, channel)]
        if state in session:  # not removed by a bulk delete since (a merge, a stranger)
            return state
    state = await _read_chat_state(session, person_id, channel, now)
    keep_chat_state(session, state)
    return state


def keep_chat_state(session: AsyncSession, state: ChatState) -> None:
    """``state``, read by this transaction, is the one ``chat_state`` gives from now on
    (``invites.find_person`` reads it with the person)."""
    kept = session.info.get(_KEPT_STATE)
    transaction = session.sync_session.get_transaction()
    if kept is None or kept[0] is not transaction:
        kept = (transaction, {})
        session.info[_KEPT_STATE] = kept
    kept[1][(state.person_id, state.channel)] = state


async def _read_chat_state(
    session: AsyncSession, person_id: int, channel: str, now: datetime
) -> ChatState:
    query, values = _state_statement(), {"person_id": person_id, "channel": channel}
    state = await session.scalar(query, values)
    if state is None:
        insert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            insert(ChatState)
            .values(person_id=person_id, channel=channel, task_id=None, choices=[], updated_at=now)
            .on_conflict_do_nothing(index_elements=["person_id", "channel"])
        )
        state = await session.scalar(query, values)
        assert state is not None
    return state


@cache
def _state_statement() -> Select:
    """``_read_chat_state``'s statement, built once per process (it runs for every
    message whose chat state did not come with the person)."""
    return select(ChatState).where(
        ChatState.person_id == bindparam("person_id"), ChatState.channel == bindparam("channel")
    )


async def open_questions(
    session: AsyncSession, person_id: int, channel: str, *, since: datetime, kind: str
) -> list[Question]:
    """The person's unanswered questions of ``kind`` on ``channel`` asked after ``since``,
    newest first."""
    return list(
        await session.scalars(
            select(Question)
            .where(
                Question.person_id == person_id,
                Question.channel == channel,
                Question.kind == kind,
                Question.answered_at.is_(None),
                Question.created_at >= since,
            )
            .order_by(Question.id.desc())
        )
    )
