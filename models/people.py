"""Who uses dondoc: organizations (communes, wards), their units, people, the channel
identities a person writes from, their memberships with a role, and invites."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from models.conversation import ChatState

ROLES = ("officer", "leader", "admin", "viewer")
CHANNELS = ("telegram", "zalo", "console")


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Reminders are planned up to this moment; those between it and the next planning
    # run were missed while dondoc was down (and are sent or folded into a digest).
    # None: never planned, so nothing before the first run was ever owed.
    planned_through: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # When a reminder next enters the planning window (None: plan at the next pass), and
    # the fingerprint of the settings and calendar it was planned with: the hourly pass
    # plans an organization again only when one of them says so.
    plan_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    planned_with: Mapped[str | None] = mapped_column(String(64), default=None)

    units: Mapped[list[Unit]] = relationship(back_populates="organization", order_by="Unit.id")


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organization_id", "normalized_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    normalized_name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    organization: Mapped[Organization] = relationship(back_populates="units")


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="vi")
    # The channel reminders go to; None means the channel the person used last.
    preferred_channel: Mapped[str | None] = mapped_column(String(16), default=None)
    last_channel: Mapped[str | None] = mapped_column(String(16), default=None)
    # Set when a channel says the person blocked the bot; cleared when they write again.
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    identities: Mapped[list[Identity]] = relationship(back_populates="person")
    memberships: Mapped[list[Membership]] = relationship(back_populates="person")
    # Read with the person for the message's channel (``invites.find_person``); never
    # loaded by itself nor written through (``models.conversation.chat_state`` does).
    chat_states: Mapped[list[ChatState]] = relationship(viewonly=True, lazy="raise")


class Identity(Base):
    """One account of a person on one channel (a Telegram user id, a Zalo user id...)."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: every message reads the person's identities (``invites.find_person``).
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str | None] = mapped_column(String(64), default=None)

    person: Mapped[Person] = relationship(back_populates="identities")


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("person_id", "organization_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )  # the people of an organization (reminders, the web)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16))

    person: Mapped[Person] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()
    unit: Mapped[Unit | None] = relationship()


class Invite(Base):
    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    uses_left: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship()
    unit: Mapped[Unit | None] = relationship()
