"""Who may see and change what. Pure rules over a person's memberships:

- an officer sees the tasks where one of their units leads or cooperates, and updates
  those their unit leads;
- a leader sees and updates everything in their organization;
- an admin is a leader who also imports plans and issues invites;
- a viewer only reads progress, possibly of several organizations, and (on the web
  view) reads their tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RANK = {"viewer": 0, "officer": 1, "leader": 2, "admin": 3}


@dataclass(frozen=True)
class Grant:
    organization_id: int
    unit_id: int | None
    role: str


@dataclass(frozen=True)
class TaskUnits:
    organization_id: int
    lead_unit_ids: frozenset[int]
    cooperating_unit_ids: frozenset[int]


def grants_in(grants: Sequence[Grant], organization_id: int) -> list[Grant]:
    return [g for g in grants if g.organization_id == organization_id]


def best_role(grants: Sequence[Grant], organization_id: int) -> str | None:
    roles = [g.role for g in grants_in(grants, organization_id)]
    return max(roles, key=RANK.__getitem__) if roles else None


def is_leader(grants: Sequence[Grant], organization_id: int) -> bool:
    return best_role(grants, organization_id) in ("leader", "admin")


def is_admin(grants: Sequence[Grant], organization_id: int) -> bool:
    return best_role(grants, organization_id) == "admin"


def officer_units(grants: Sequence[Grant], organization_id: int) -> set[int]:
    return {
        g.unit_id
        for g in grants_in(grants, organization_id)
        if g.role != "viewer" and g.unit_id is not None
    }


def can_view_task(grants: Sequence[Grant], task: TaskUnits) -> bool:
    if is_leader(grants, task.organization_id):
        return True
    units = officer_units(grants, task.organization_id)
    return bool(units & (task.lead_unit_ids | task.cooperating_unit_ids))


def can_read_task(grants: Sequence[Grant], task: TaskUnits) -> bool:
    """Reading a task without acting on it (the web view's task page and its files):
    whoever may see it in the chat, and a viewer of its organization."""
    if can_view_task(grants, task):
        return True
    return any(g.role == "viewer" for g in grants_in(grants, task.organization_id))


def can_update_task(grants: Sequence[Grant], task: TaskUnits) -> bool:
    if is_leader(grants, task.organization_id):
        return True
    return bool(officer_units(grants, task.organization_id) & task.lead_unit_ids)


def can_report_task(grants: Sequence[Grant], task: TaskUnits) -> bool:
    """Free text becomes a status only from someone of a lead unit: a leader's words
    are instructions, never an officer's report (leaders set a status with /capnhat)."""
    return bool(officer_units(grants, task.organization_id) & task.lead_unit_ids)


def can_decide_extension(grants: Sequence[Grant], organization_id: int) -> bool:
    return is_leader(grants, organization_id)
