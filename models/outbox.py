"""The outbox: one row per owed message and recipient (a reminder, a digest, a notice),
unique on its key, so planning again never duplicates and a restart loses nothing.

States: pending → sending → sent | failed | cancelled, and "folded" for reminders
that were missed while the bot was down and went out inside one digest instead (or
were covered by a newer reminder of the same task in the same message).
A row's ``wire_at`` is set just before its send; a row that may have been delivered
without being recorded (in flight at a crash, unanswered at a stop, a timeout) goes
back to pending with ``maybe_at``: it is sent again once, marked as a possible repeat,
unless the person answered meanwhile ("maybe_sent", never counted as delivered).
Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two bot processes never
take the same row; SQLite has one writer at a time, which serialises claims anyway.

Each dispatcher process has an owner id (``DispatcherProcess``, with a heartbeat) and
stamps its claims with it, so that at start the claims of a dead process go back to
pending at once, and at a graceful stop a process gives back what it did not send.
``ReplanRequest`` is the cheap "plan this organization again" marker a change leaves
for the next dispatcher tick.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime
from models.outbox_signal import queued

PENDING, SENDING, SENT, FAILED, CANCELLED, FOLDED, MAYBE_SENT = (
    "pending",
    "sending",
    "sent",
    "failed",
    "cancelled",
    "folded",
    "maybe_sent",
)
# Kinds the planner makes from the reminder policy; a re-plan may cancel them. Notices
# made by people's actions (extension requests and decisions) are never cancelled by it.
PLANNED_KINDS = ("before_due", "due_day", "overdue", "report", "cooperating_note", "no_recipient")


class OutboxItem(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # task:kind:occurrence:recipient — unique, so a re-plan finds the row it made before.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    occurrence: Mapped[str] = mapped_column(String(80))
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    send_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Until when sending it still makes sense (the due moment); later it is folded.
    useful_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    to_leaders: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)  # free text for notices (a unit's name...)
    channel: Mapped[str | None] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(40))  # owner id of the claiming process
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wire_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # its send started
    maybe_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # maybe delivered unrecorded


class DispatcherProcess(Base):
    """A running dispatcher: its owner id and when it last showed it was alive."""

    __tablename__ = "dispatcher_process"

    owner: Mapped[str] = mapped_column(String(40), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReplanRequest(Base):
    """Something changed who or when in an organization: the next tick plans it again."""

    __tablename__ = "replan_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Owed(NamedTuple):
    """One message the planner says is owed (a tuple: a province's first pass makes
    hundreds of thousands, each a few times cheaper than a frozen dataclass)."""

    organization_id: int
    task_id: int | None
    kind: str
    occurrence: str
    recipient_id: int
    send_at: datetime
    useful_until: datetime | None = None
    to_leaders: bool = False
    detail: str | None = None

    @property
    def key(self) -> str:
        return f"{self.task_id or '-'}:{self.kind}:{self.occurrence}:{self.recipient_id}"


async def upsert(session: AsyncSession, owed: Iterable[Owed]) -> int:
    """Insert the rows not yet in the outbox; move the send time of pending ones that
    changed. Returns the number of new rows. Sent, failed and folded rows stay as they are.
    (A few notices at a time, through the session's objects; planning writes its many
    rows set-based: ``models.outbox_write``.)"""
    wanted: dict[str, Owed] = {}
    for o in owed:  # a notice owed by several reminders goes at the earliest
        if o.key not in wanted or o.send_at < wanted[o.key].send_at:
            wanted[o.key] = o
    if not wanted:
        return 0
    existing: dict[str, OutboxItem] = {}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        rows = await session.scalars(
            select(OutboxItem).where(OutboxItem.key.in_(keys[start : start + 500]))
        )
        existing.update({row.key: row for row in rows})
    new: list[dict[str, object]] = []
    for key, item in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(
                dict(
                    key=key,
                    organization_id=item.organization_id,
                    task_id=item.task_id,
                    kind=item.kind,
                    occurrence=item.occurrence,
                    recipient_id=item.recipient_id,
                    send_at=item.send_at,
                    useful_until=item.useful_until,
                    to_leaders=item.to_leaders,
                    detail=item.detail,
                    state=PENDING,
                    attempts=0,
                )
            )
        elif row.state == CANCELLED:
            row.state, row.send_at, row.useful_until = PENDING, item.send_at, item.useful_until
        elif row.state == PENDING and row.send_at != item.send_at:
            row.send_at, row.useful_until = item.send_at, item.useful_until
    added = 0
    if new:
        # Another transaction (an officer's update re-planning a task while the planner
        # runs) may insert the same key first: that row stands, this one is skipped.
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        for start in range(0, len(new), 500):
            result = await session.execute(
                insert(OutboxItem)
                .values(new[start : start + 500])
                .on_conflict_do_nothing(index_elements=["key"])
            )
            added += result.rowcount if result.rowcount and result.rowcount > 0 else 0
    if session.dirty or new:
        await session.flush()
        queued(session)  # the dispatcher looks at once after the commit
    return added


async def cancel_pending(session: AsyncSession, task_id: int, keep: Sequence[str] = ()) -> int:
    """Cancel the task's pending (or claimed, not yet sent) rows except those in ``keep``
    (a re-plan's keys): a reminder quoting an old deadline never goes out."""
    query = update(OutboxItem).where(
        OutboxItem.task_id == task_id,
        OutboxItem.state.in_((PENDING, SENDING)),  # a claimed row is checked again before its send
        OutboxItem.kind.in_(PLANNED_KINDS),
    )
    if keep:
        query = query.where(OutboxItem.key.not_in(list(keep)))
    result = await session.execute(
        query.values(state=CANCELLED).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def claim_due(
    session: AsyncSession,
    now: datetime,
    limit: int,
    owner: str = "",
    *,
    skip_organizations: Sequence[int] = (),
) -> list[OutboxItem]:
    """Take up to about ``limit`` due rows for sending, in one transaction (the caller's).
    The other due rows of the people taken come too, so that one person's reminders of
    one moment stay one message. Organizations waiting for a re-plan are skipped."""

    def due():  # noqa: ANN202
        query = select(OutboxItem).where(OutboxItem.state == PENDING, OutboxItem.send_at <= now)
        if skip_organizations:
            query = query.where(OutboxItem.organization_id.not_in(list(skip_organizations)))
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return query

    order = (OutboxItem.send_at, OutboxItem.recipient_id, OutboxItem.id)
    rows = list(await session.scalars(due().order_by(*order).limit(limit)))
    if rows:
        people = sorted({row.recipient_id for row in rows})
        taken = {row.id for row in rows}
        rows += [
            row
            for row in await session.scalars(
                due().where(OutboxItem.recipient_id.in_(people)).order_by(*order)
            )
            if row.id not in taken
        ]
    for row in rows:
        row.state, row.claimed_at, row.claimed_by = SENDING, now, owner or None
        row.attempts = row.attempts + 1
    await session.flush()
    return rows


async def release_stuck(session: AsyncSession, before: datetime) -> int:
    """Rows left in "sending" since before ``before`` go back to pending."""
    result = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.state == SENDING, OutboxItem.claimed_at < before)
        .values(state=PENDING, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def next_pending(
    session: AsyncSession, people: set[int], after: datetime, until: datetime
) -> dict[int, datetime]:
    """Each person's earliest pending row due in (``after``, ``until``]."""
    rows = await session.execute(
        select(OutboxItem.recipient_id, func.min(OutboxItem.send_at))
        .where(
            OutboxItem.recipient_id.in_(sorted(people)),
            OutboxItem.state == PENDING,
            OutboxItem.send_at > after,
            OutboxItem.send_at <= until,
        )
        .group_by(OutboxItem.recipient_id)
    )
    return {person: moment for person, moment in rows}


async def most_attempts(session: AsyncSession, ids: Sequence[int]) -> int:
    """The highest attempt count among the rows ``ids`` (0 for none)."""
    found = await session.scalar(
        select(func.max(OutboxItem.attempts)).where(OutboxItem.id.in_(list(ids)))
    )
    return int(found or 0)


async def release(
    session: AsyncSession,
    owner: str,
    ids: Sequence[int] | None = None,
    *,
    send_at: datetime | None = None,
) -> int:
    """Give back rows this process claimed but did not send (``ids``, or all of them);
    the claim's attempt is not counted."""
    query = update(OutboxItem).where(OutboxItem.state == SENDING, OutboxItem.claimed_by == owner)
    if ids is not None:
        query = query.where(OutboxItem.id.in_(list(ids)))
    values: dict[str, object] = {
        "state": PENDING,
        "claimed_by": None,
        "wire_at": None,
        "attempts": func.max(OutboxItem.attempts - 1, 0)
        if session.bind is not None and session.bind.dialect.name == "sqlite"
        else func.greatest(OutboxItem.attempts - 1, 0),
    }
    if send_at is not None:
        values["send_at"] = send_at
    result = await session.execute(
        query.values(**values).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def request_replan(session: AsyncSession, organization_id: int, now: datetime) -> None:
    """Ask the next dispatcher tick to plan ``organization_id`` again (one cheap insert)."""
    session.add(ReplanRequest(organization_id=organization_id, requested_at=now))
    await session.flush()
    queued(session)


async def replan_requests(session: AsyncSession, newer_than: datetime) -> dict[int, int]:
    """Organizations waiting for a re-plan → the newest request id. Requests older than
    ``newer_than`` are dropped (the hourly plan covers them), so that one failing plan
    cannot hold an organization's reminders back for ever."""
    await session.execute(delete(ReplanRequest).where(ReplanRequest.requested_at < newer_than))
    rows = await session.execute(
        select(ReplanRequest.organization_id, func.max(ReplanRequest.id))
        .where(ReplanRequest.requested_at >= newer_than)
        .group_by(ReplanRequest.organization_id)
    )
    return {org: newest for org, newest in rows}


async def done_replanning(session: AsyncSession, organization_id: int, up_to: int) -> None:
    await session.execute(
        delete(ReplanRequest).where(
            ReplanRequest.organization_id == organization_id, ReplanRequest.id <= up_to
        )
    )
