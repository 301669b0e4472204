"""A plan file held while the admin decides what it does to an existing plan.

``/nhap`` reads the file and, when it would change a plan the organization already has,
shows the changes and waits for a tap ("Cập nhật kế hoạch X", "Nhập thành kế hoạch mới",
"Hủy"). The file's bytes wait here, for one answer by the person who sent it, within a
day; then they are deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

PENDING_LIFE = timedelta(days=1)


class PendingImport(Base):
    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(500))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # The plan the file would update (None: no plan matched; the admin chooses).
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), nullable=True
    )
    year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


async def hold_import(
    session: AsyncSession,
    *,
    organization_id: int,
    person_id: int,
    filename: str,
    data: bytes,
    plan_id: int | None,
    year: int,
    now: datetime,
) -> PendingImport:
    """Keep a file until the admin answers; older held files are dropped."""
    await session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_LIFE))
    pending = PendingImport(
        organization_id=organization_id, person_id=person_id, filename=filename, data=data,
        plan_id=plan_id, year=year, created_at=now,
    )  # fmt: skip
    session.add(pending)
    await session.flush()
    return pending


async def take_import(
    session: AsyncSession, pending_id: int, person_id: int, now: datetime
) -> PendingImport | None:
    """The held file, if it is this person's and still fresh; removed from the store
    (an answer is given once)."""
    pending = await session.get(PendingImport, pending_id)
    if pending is None:
        return None
    await session.delete(pending)
    await session.flush()
    if pending.person_id != person_id or now - pending.created_at > PENDING_LIFE:
        return None
    return pending
