"""What a plan holds: the plan, its sections (I., II., ...), its tasks with their lead
and cooperating units and parsed deadline, and the append-only history of status updates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime
from models.people import Organization, Person, Unit

STATUSES = ("not_started", "in_progress", "done", "not_applicable")
# A plan's kind: a plan of the commune ("plan"), or the standing list of the tasks the
# city gives it in a year, "Nhiệm vụ được giao năm YYYY" ("assigned", models.assigned).
PLAN_KINDS = ("plan", "assigned")


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("organization_id", "title", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    year: Mapped[int] = mapped_column(Integer)
    # The short name people type before a task number when the organization runs several
    # plans ("CĐS 6"): chosen at import from the title, editable by the admin.
    code: Mapped[str] = mapped_column(String(16), default="")
    source_file: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The decision that issued the plan ("128/QĐ-UBND", 10/01/2026), set by the admin;
    # the narrative report cites it in its "Thực hiện …" opening.
    decision_number: Mapped[str | None] = mapped_column(String(64))
    decision_date: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16), default="plan", server_default="plan")

    organization: Mapped[Organization] = relationship()
    sections: Mapped[list[Section]] = relationship(
        back_populates="plan", order_by="Section.order", cascade="all, delete-orphan"
    )


class Section(Base):
    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("plan_id", "numeral"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    numeral: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    order: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="sections")


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "section_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    product: Mapped[str] = mapped_column(Text, default="")
    # Generic texts such as "Các cơ quan chuyên môn UBND xã" that name no single unit.
    lead_note: Mapped[str] = mapped_column(Text, default="")
    cooperating_note: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(16), default="unknown")
    deadline_start: Mapped[date | None] = mapped_column(Date)
    deadline_due: Mapped[date | None] = mapped_column(Date)
    deadline_every: Mapped[str | None] = mapped_column(String(16))
    # The plan's own due date, kept when an approved extension moves deadline_due.
    original_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    # The standing status row kept on write (``models.status_store``), so that the
    # figures of today read it in one step: when it was recorded, its id, and for a
    # "done" the day the work was done (``models.completion``, in the organization's
    # zone). None while no status row stands.
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_row: Mapped[int | None] = mapped_column(Integer)
    done_on: Mapped[date | None] = mapped_column(Date)
    # No longer in the plan's file (a re-import left it out): kept with its history, but
    # not listed, reminded or counted.
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    percent: Mapped[int | None] = mapped_column(Integer)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The document a task was given by ("Công văn số 1234/UBND-NV ngày 01/12/2026 của
    # UBND thành phố"): the tasks of an "assigned" plan; None for a plan's own tasks.
    source: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship()
    section: Mapped[Section] = relationship()
    unit_links: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.position"
    )

    def units(self, role: str) -> list[Unit]:
        return [link.unit for link in self.unit_links if link.role == role]


class TaskUnit(Base):
    """A unit's part in a task: lead (chủ trì) or cooperating (phối hợp)."""

    __tablename__ = "task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    # Indexed: an officer's figures count the tasks their units lead.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class StatusUpdate(Base):
    """Append-only history: every status change, note, undo and import change of a task.

    ``kind`` is "status" (a recorded status), "note" (text that was not understood,
    kept), "undo", "extension_request", or "import" (a change made by re-importing).
    """

    __tablename__ = "status_update"
    # Progress as of a date reads each task's newest status rows.
    __table_args__ = (Index("ix_status_update_task_kind_time", "task_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="status")
    status: Mapped[str | None] = mapped_column(String(16))
    percent: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    until: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    attachment: Mapped[str | None] = mapped_column(String(500))
    channel: Mapped[str | None] = mapped_column(String(16))

    task: Mapped[Task] = relationship()
    person: Mapped[Person | None] = relationship()

    @property
    def undoes(self) -> int | None:
        """For an "undo" row, the id of the row it takes back (its text is "#ID")."""
        return undo_target(self.kind, self.text)


def undo_target(kind: str, text: str) -> int | None:
    if kind == "undo" and text.startswith("#") and text[1:].isdigit():
        return int(text[1:])
    return None
