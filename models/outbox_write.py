"""Writing what planning owes, set-based: the new rows in multi-row INSERTs of a few
hundred (SQLAlchemy's "insertmanyvalues", compiled once), the pending rows
whose time moved and the cancelled rows owed again in one executemany each; nothing
when nothing differs from the rows read (``models.outbox_known``). No ORM objects: a
province's first pass writes hundreds of thousands of rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import CANCELLED, PENDING, OutboxItem, Owed
from models.outbox_known import Known
from models.outbox_signal import queued

_TABLE = OutboxItem.__table__
# Rows per INSERT: SQLAlchemy prepares a statement's parameters in one go (about 20 µs a
# row), so a few hundred keep the event loop's other tasks waiting a few ms at most.
CHUNK = 400


def earliest(owed: Iterable[Owed]) -> dict[str, Owed]:
    """By key, the earliest of the messages owed under one key (a notice owed by
    several reminders goes at the earliest)."""
    wanted: dict[str, Owed] = {}
    for o in owed:
        key = o.key
        if key not in wanted or o.send_at < wanted[key].send_at:
            wanted[key] = o
    return wanted


def _row(key: str, o: Owed) -> dict[str, object]:
    return {
        "key": key,
        "organization_id": o.organization_id,
        "task_id": o.task_id,
        "kind": o.kind,
        "occurrence": o.occurrence,
        "recipient_id": o.recipient_id,
        "send_at": o.send_at,
        "useful_until": o.useful_until,
        "to_leaders": o.to_leaders,
        "detail": o.detail,
        "state": PENDING,
        "attempts": 0,
    }


def _insert(session: AsyncSession):  # noqa: ANN202 - the dialect's INSERT ... ON CONFLICT
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # Another transaction (an officer's update re-planning a task meanwhile) may insert
    # the same key first: that row stands, this one is skipped (and not counted).
    return insert(_TABLE).on_conflict_do_nothing(index_elements=["key"]).returning(_TABLE.c.key)


# A pending row whose time moved; a cancelled row owed again. The state in the WHERE
# leaves a row claimed meanwhile by the dispatcher as it is.
_MOVE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("row_id"), _TABLE.c.state == bindparam("was"))
    .values(state=PENDING, send_at=bindparam("at"), useful_until=bindparam("until"))
)


async def write_owed(
    session: AsyncSession, wanted: dict[str, Owed], known: dict[str, Known]
) -> int:
    """Insert the rows of ``wanted`` (by key, ``earliest``) not in ``known``; move the
    send time of pending ones that changed; make cancelled ones pending again. Sent,
    claimed, failed and folded rows stay as they are. Returns the number of new rows."""
    new: list[dict[str, object]] = []
    moves: list[dict[str, object]] = []
    for key, item in wanted.items():
        row = known.get(key)
        if row is None:
            new.append(_row(key, item))
        elif row.state == CANCELLED or (row.state == PENDING and row.send_at != item.send_at):
            moves.append(
                {"row_id": row.id, "was": row.state, "at": item.send_at, "until": item.useful_until}
            )
    added, insert = 0, _insert(session)
    for start in range(0, len(new), CHUNK):
        result = await session.execute(insert, new[start : start + CHUNK])
        added += len(result.all())
    if moves:
        await session.execute(_MOVE, moves)
    if new or moves:
        queued(session)  # the dispatcher looks at once after the commit
    return added
