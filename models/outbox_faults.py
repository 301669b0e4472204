"""The outbox under faults: a row's send starting (``mark_on_wire``), a send that may
have been delivered without being recorded (``mark_maybe_sent``: a timeout, a stop
while the answer was still awaited; a crash does it in ``outbox.release_orphans``),
whether the person answered such a reminder in between (then it is not sent again,
``retire_answered``), which reminders make a plain answer uncertain
(``unsure_tasks``), and the rows an outage put off, brought back when the channel
answers again (``resume_postponed``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.conversation import Question
from models.outbox import MAYBE_SENT, PENDING, SENDING, SENT, OutboxItem
from models.plans import StatusUpdate

OUTAGE = "outage: "  # last_error of rows put off by an outage (resumed when it ends)
# Telegram dates messages to the second: an answer written this close to a resend is
# taken as written before it.
DATE_SLACK = timedelta(seconds=1)


async def mark_on_wire(session: AsyncSession, ids: Sequence[int], now: datetime) -> set[int]:
    """The rows' send starts now: if the process dies before the answer is recorded,
    they may have been delivered (``release_orphans`` makes them maybe sent). Returns
    the rows still to go (a re-plan may have cancelled some since the claim)."""
    marked = await session.scalars(
        update(OutboxItem)
        .where(OutboxItem.id.in_(list(ids)), OutboxItem.state == SENDING)
        .values(wire_at=now)
        .returning(OutboxItem.id)
        .execution_options(synchronize_session=False)
    )
    return set(marked)


async def mark_maybe_sent(
    session: AsyncSession,
    ids: Sequence[int],
    at: datetime,
    *,
    send_at: datetime | None = None,
    error: str | None = None,
) -> int:
    """The rows' send left but no answer was recorded: back to pending, remembered as
    maybe delivered since ``at`` (the first such moment stays), sent again at ``send_at``."""
    values: dict[str, object] = {
        "state": PENDING,
        "claimed_by": None,
        "wire_at": None,
        "maybe_at": func.coalesce(OutboxItem.maybe_at, at),
    }
    if send_at is not None:
        values["send_at"] = send_at
    if error is not None:
        values["last_error"] = error[:500]
    result = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(list(ids)), OutboxItem.state == SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def answered_since(
    session: AsyncSession, person_id: int, task_ids: Sequence[int], since: datetime
) -> bool:
    """Whether the person reported on one of ``task_ids`` since ``since``, or was asked
    which task an answer of theirs was about (one of these among the choices)."""
    if not task_ids:
        return False
    reported = await session.scalar(
        select(func.count())
        .select_from(StatusUpdate)
        .where(
            StatusUpdate.person_id == person_id,
            StatusUpdate.task_id.in_(list(task_ids)),
            StatusUpdate.created_at >= since,
        )
    )
    if reported:
        return True
    asked = await session.scalars(
        select(Question.candidates).where(
            Question.person_id == person_id,
            Question.kind == "which",
            Question.created_at >= since,
        )
    )
    wanted = set(task_ids)
    return any(wanted & set(candidates or ()) for candidates in asked)


async def retire_answered(session: AsyncSession, items: Sequence[OutboxItem]) -> list[int]:
    """Of claimed maybe-sent rows, those whose person answered since: "maybe_sent" for
    good (not sent again, never counted as delivered). Returns their ids."""
    retired: list[int] = []
    for item in items:
        if item.maybe_at is None or item.task_id is None:
            continue
        if await answered_since(session, item.recipient_id, [item.task_id], item.maybe_at):
            retired.append(item.id)
    if retired:
        await session.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(retired), OutboxItem.state == SENDING)
            .values(state=MAYBE_SENT, claimed_by=None, wire_at=None)
            .execution_options(synchronize_session=False)
        )
    return retired


async def unsure_tasks(
    session: AsyncSession,
    person_id: int,
    *,
    focus_at: datetime | None,
    written_at: datetime | None,
) -> tuple[list[int], list[int]]:
    """Tasks of reminders that may have reached the person without being recorded:
    (newer than their chat focus — on the wire now, or maybe sent and not yet sent
    again; sent again only after the answer was written, ``written_at``, so that the
    focus the answer was written under is unknown). A plain answer is then asked
    about, never read against the older focus."""
    newer = (lambda column: column >= focus_at) if focus_at is not None else (lambda _c: True)
    in_doubt = (
        (OutboxItem.state == SENDING) & OutboxItem.wire_at.is_not(None) & newer(OutboxItem.wire_at)
    ) | (
        OutboxItem.state.in_((PENDING, SENDING, MAYBE_SENT))
        & OutboxItem.maybe_at.is_not(None)
        & newer(OutboxItem.maybe_at)
    )
    found = [await _tasks(session, person_id, in_doubt), []]
    if written_at is not None:
        before_repeat = (
            (OutboxItem.state == SENT)
            & OutboxItem.maybe_at.is_not(None)
            & (OutboxItem.maybe_at <= written_at + DATE_SLACK)
            & (OutboxItem.sent_at > written_at - DATE_SLACK)
        )
        found[1] = await _tasks(session, person_id, before_repeat)
    return found[0], found[1]


async def _tasks(session: AsyncSession, person_id: int, condition: object) -> list[int]:
    rows = await session.scalars(
        select(OutboxItem.task_id)
        .where(OutboxItem.recipient_id == person_id, OutboxItem.task_id.is_not(None), condition)
        .order_by(OutboxItem.id)
    )
    return list(dict.fromkeys(rows))


async def resume_postponed(session: AsyncSession, now: datetime, within: timedelta) -> int:
    """The channel answers again: rows an outage put off (up to ``within`` ahead) are
    due now."""
    result = await session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.state == PENDING,
            OutboxItem.send_at > now,
            OutboxItem.send_at <= now + within,
            OutboxItem.last_error.startswith(OUTAGE),
        )
        .values(send_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
