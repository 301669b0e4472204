"""Evidence files of tasks: the decision, report or photo an officer sends with (or
right after) a report. One row per task and file content (sha256): the same file sent
twice for a task is one row. The bytes live on disk (``models.evidence_store``), under
a name of dondoc's own; the row keeps the sender's file name only to show it.

A row whose ``task_id`` is empty is held for a "which task?" question (``question_id``)
and gets its task when the person answers, or belongs to an item of a score sheet
(``score_item_id``: the item's evidence, one row per item and content likewise)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from models.base import Base, UTCDateTime
from models.people import Person


class EvidenceFile(Base):
    __tablename__ = "evidence_file"
    __table_args__ = (
        UniqueConstraint("task_id", "sha256"),
        UniqueConstraint("score_item_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True, nullable=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), nullable=True
    )
    score_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("score_item.id", ondelete="CASCADE"), index=True, nullable=True
    )
    file_name: Mapped[str] = mapped_column(String(255))  # as sent, cleaned; never a path
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))
    channel_ref: Mapped[str | None] = mapped_column(String(500), nullable=True)
    stored_path: Mapped[str] = mapped_column(String(300))  # relative to the evidence folder
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    person: Mapped[Person | None] = relationship()


async def files_of_task(session: AsyncSession, task_id: int) -> list[EvidenceFile]:
    """The task's evidence files, oldest first."""
    return list(
        await session.scalars(
            select(EvidenceFile)
            .options(selectinload(EvidenceFile.person))
            .where(EvidenceFile.task_id == task_id)
            .order_by(EvidenceFile.created_at, EvidenceFile.id)
        )
    )


async def files_of_item(session: AsyncSession, item_id: int) -> list[EvidenceFile]:
    """A score item's evidence files, oldest first."""
    return list(
        await session.scalars(
            select(EvidenceFile)
            .options(selectinload(EvidenceFile.person))
            .where(EvidenceFile.score_item_id == item_id)
            .order_by(EvidenceFile.created_at, EvidenceFile.id)
        )
    )


async def file_of_item(session: AsyncSession, item_id: int, sha256: str) -> EvidenceFile | None:
    return await session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.score_item_id == item_id, EvidenceFile.sha256 == sha256
        )
    )


async def file_of_task(session: AsyncSession, task_id: int, sha256: str) -> EvidenceFile | None:
    return await session.scalar(
        select(EvidenceFile).where(EvidenceFile.task_id == task_id, EvidenceFile.sha256 == sha256)
    )


async def stored_path_of(session: AsyncSession, organization_id: int, sha256: str) -> str | None:
    """Where the organization already keeps this content, if it does (any task)."""
    return await session.scalar(
        select(EvidenceFile.stored_path)
        .where(EvidenceFile.organization_id == organization_id, EvidenceFile.sha256 == sha256)
        .limit(1)
    )


async def organization_usage(session: AsyncSession, organization_id: int) -> int:
    """Bytes the organization's evidence takes on disk: each content counted once."""
    per_file = (
        select(func.max(EvidenceFile.size).label("size"))
        .where(EvidenceFile.organization_id == organization_id)
        .group_by(EvidenceFile.sha256)
        .subquery()
    )
    return int(await session.scalar(select(func.coalesce(func.sum(per_file.c.size), 0))) or 0)


async def held_for_question(session: AsyncSession, question_id: int) -> list[EvidenceFile]:
    return list(
        await session.scalars(
            select(EvidenceFile).where(
                EvidenceFile.question_id == question_id,
                EvidenceFile.task_id.is_(None),
                EvidenceFile.score_item_id.is_(None),
            )
        )
    )



async def lapsed_holds(session: AsyncSession, before: datetime) -> list[EvidenceFile]:
    """Files held for a which-question that nobody answered before ``before``."""
    return list(
        await session.scalars(
            select(EvidenceFile).where(
                EvidenceFile.task_id.is_(None),
                EvidenceFile.score_item_id.is_(None),
                EvidenceFile.created_at < before,
            )
        )
    )


async def path_still_used(session: AsyncSession, row: EvidenceFile) -> bool:
    """Does another row keep the same stored file (the same content, kept elsewhere)?"""
    other = await session.scalar(
        select(EvidenceFile.id).where(
            EvidenceFile.stored_path == row.stored_path, EvidenceFile.id != row.id
        )
    )
    return other is not None
