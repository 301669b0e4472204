"""A reminder storm for the operator's tests: one organization with ``people`` officers
on Telegram, each the lead of one task due on Thursday 05/03/2026, and the reminder
"3 working days before" of each task owed on Monday 02/03/2026 08:00 (``AT``) — the
rows the planner itself makes at start, so planning again adds none."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from models.outbox import OutboxItem
from models.people import Identity, Membership, Organization, Person, Unit
from models.plans import Plan, Section, Task, TaskUnit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
DUE = datetime(2026, 3, 5).date()
OCCURRENCE = "2026-03-05:-3"
FIRST_CHAT = 10_000
STORM_ORG = "Xã Thử Tải"


async def seed_storm(sessions, people: int) -> list[int]:  # noqa: ANN001
    """Seed the storm; returns the Telegram chat ids, in order."""
    now = AT
    async with sessions() as s, s.begin():
        org = Organization(name=STORM_ORG, timezone="Asia/Ho_Chi_Minh", created_at=now, planned_through=now)
        s.add(org)
        await s.flush()
        plan = Plan(organization_id=org.id, title="Kế hoạch thử tải", year=2026, imported_at=now)
        s.add(plan)
        await s.flush()
        section = Section(plan_id=plan.id, numeral="I", title="Thử tải", order=0)
        s.add(section)
        await s.flush()
        await s.execute(insert(Unit), [
            {"organization_id": org.id, "name": f"Đơn vị {i}", "normalized_name": f"don vi {i}", "aliases": []}
            for i in range(people)
        ])  # fmt: skip
        unit_ids = list(await s.scalars(select(Unit.id).where(Unit.organization_id == org.id).order_by(Unit.id)))
        await s.execute(insert(Person), [
            {"display_name": f"Cán bộ {i}", "language": "vi", "created_at": now, "last_channel": "telegram"}
            for i in range(people)
        ])  # fmt: skip
        person_ids = list(await s.scalars(select(Person.id).order_by(Person.id)))[-people:]
        chats = [FIRST_CHAT + i for i in range(people)]
        await s.execute(insert(Identity), [
            {"person_id": p, "channel": "telegram", "external_id": str(c), "chat_id": str(c)}
            for p, c in zip(person_ids, chats, strict=True)
        ])  # fmt: skip
        await s.execute(insert(Membership), [
            {"person_id": p, "organization_id": org.id, "unit_id": u, "role": "officer"}
            for p, u in zip(person_ids, unit_ids, strict=True)
        ])  # fmt: skip
        await s.execute(insert(Task), [
            {"plan_id": plan.id, "section_id": section.id, "number": str(i + 1), "position": i,
             "content": f"Nhiệm vụ thử tải số {i + 1}", "product": "Báo cáo",
             "deadline_text": "Trước ngày 06/03/2026", "deadline_kind": "due", "deadline_due": DUE,
             "status": "not_started", "updated_at": now, "lead_note": "", "cooperating_note": "",
             "needs_review": False}
            for i in range(people)
        ])  # fmt: skip
        task_ids = list(await s.scalars(select(Task.id).where(Task.plan_id == plan.id).order_by(Task.id)))
        await s.execute(insert(TaskUnit), [
            {"task_id": t, "unit_id": u, "role": "lead", "position": 0}
            for t, u in zip(task_ids, unit_ids, strict=True)
        ])  # fmt: skip
        await s.execute(insert(OutboxItem), [
            {"key": f"{t}:before_due:{OCCURRENCE}:{p}", "organization_id": org.id, "task_id": t,
             "kind": "before_due", "occurrence": OCCURRENCE, "recipient_id": p, "send_at": now,
             "useful_until": datetime(2026, 3, 6, tzinfo=TZ), "to_leaders": False, "state": "pending",
             "attempts": 0}
            for t, p in zip(task_ids, person_ids, strict=True)
        ])  # fmt: skip
    return chats
