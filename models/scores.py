"""What a score sheet holds: a commune's sheet for one period ("6thang" or "nam" of a
year), its items in a tree (criterion I…IV → sub-criterion 1, 2… → item "- …" or a
numbered sub-item) with their maximum points, lead and cooperating units (the same
``unit`` table as plans), the evidence asked for, and every recorded result.

Points are exact decimals ("1,9", "96,8"): :class:`Points` keeps them as whole
hundredths in an integer column, so SQLite and PostgreSQL agree to the last digit.
An item's standing result (``self_points``, ``result_text``, ``confirmed_points``) is
the newest of its append-only history in ``score_entry``: each proposal (who, when,
what), each confirmation or change by the compiler, each change made by re-importing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from models.base import Base, UTCDateTime
from models.people import Organization, Person, Unit

PERIODS = ("6thang", "nam")
LEVELS = {1: "criterion", 2: "sub_criterion", 3: "item"}
ENTRY_KINDS = ("proposed", "confirmed", "import", "note")
HUNDRED = Decimal(100)


class Points(TypeDecorator[Decimal]):
    """A Decimal with two places, stored as an integer number of hundredths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: object) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * HUNDRED).to_integral_value())

    def process_result_value(self, value: int | None, dialect: object) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / HUNDRED).normalize() if value % 100 else Decimal(value // 100)


class ScoreSheet(Base):
    __tablename__ = "score_sheet"
    __table_args__ = (UniqueConstraint("organization_id", "period", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    period: Mapped[str] = mapped_column(String(16))  # "6thang" | "nam"
    year: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[Decimal | None] = mapped_column(Points())  # the "Tổng" row
    source_file: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship()
    items: Mapped[list[ScoreItem]] = relationship(
        back_populates="sheet", order_by="ScoreItem.position", cascade="all, delete-orphan"
    )


class ScoreItem(Base):
    """One row of the sheet. ``ref`` is what people type to name it ("I", "1", "1.2")."""

    __tablename__ = "score_item"
    __table_args__ = (UniqueConstraint("sheet_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("score_item.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)  # 1 criterion, 2 sub-criterion, 3 item
    number: Mapped[str] = mapped_column(String(16), default="")  # as written; "" for "- …"
    ref: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    max_points: Mapped[Decimal | None] = mapped_column(Points())
    evidence_required: Mapped[str] = mapped_column(Text, default="")
    lead_note: Mapped[str] = mapped_column(Text, default="")
    cooperating_note: Mapped[str] = mapped_column(Text, default="")
    # The standing result: the newest proposal and the compiler's confirmation.
    self_points: Mapped[Decimal | None] = mapped_column(Points())
    result_text: Mapped[str] = mapped_column(Text, default="")
    confirmed_points: Mapped[Decimal | None] = mapped_column(Points())
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    sheet: Mapped[ScoreSheet] = relationship(back_populates="items")
    unit_links: Mapped[list[ScoreItemUnit]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ScoreItemUnit.position"
    )

    def units(self, role: str) -> list[Unit]:
        return [link.unit for link in self.unit_links if link.role == role]


class ScoreItemUnit(Base):
    """A unit's part in an item: lead (chủ trì) or cooperating (phối hợp)."""

    __tablename__ = "score_item_unit"
    __table_args__ = (UniqueConstraint("item_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("score_item.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[ScoreItem] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class ScoreEntry(Base):
    """Append-only history of an item's result.

    ``kind``: "proposed" (a self-assessed score and/or result text: from an officer, or
    from the filled sheet at import, ``channel`` "import"), "confirmed" (the compiler's
    score), "import" (a change of the item made by re-importing; ``text`` names the fields).
    """

    __tablename__ = "score_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("score_item.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[Decimal | None] = mapped_column(Points())
    text: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str | None] = mapped_column(String(16))
    attachment: Mapped[str | None] = mapped_column(String(500))

    item: Mapped[ScoreItem] = relationship()
    person: Mapped[Person | None] = relationship()
