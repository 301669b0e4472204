"""/nhap and the plan it would change. A file for a new plan is stored at once; a file
that would change a plan the organization has is held (``models.pending_imports``), its
changes shown — tasks added, withdrawn and changed with their fields — and applied only
after a tap: "Cập nhật kế hoạch X" (``imp:ID:u``), "Nhập thành kế hoạch mới"
(``imp:ID:n``) or "Hủy" (``imp:ID:x``); a file that names no plan, when the year has
several, asks which one (``imp:ID:pPLAN``). On Zalo and the console the same come as
numbered choices.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from documents.worker import run_in_worker
from handlers.context import Request
from handlers.imports.any_file import prepare_any
from handlers.imports.cell_questions import ask_after_import
from handlers.imports.plans import (
    ImportSummary,
    clip,
    named_title,
    review_line,
    store_prepared_plan,
)
from handlers.imports.targets import (
    NoTarget,
    Target,
    choose_target,
    fallback_title,
    new_plan_target,
)
from handlers.messages import Button, Outgoing, small_id
from handlers.short_text import short
from locales import N_, _, ngettext
from models.pending_imports import hold_import, take_import
from models.plans import Plan

IMPORT_BUTTON = "imp"
CHANGES_SHOWN = 15  # changed tasks listed one a line; more are counted
FIELD_LABELS = {
    "content": N_("nội dung"), "product": N_("sản phẩm"), "lead_note": N_("đơn vị chủ trì"),
    "cooperating_note": N_("đơn vị phối hợp"), "deadline_text": N_("thời hạn"),
    "deadline_kind": N_("thời hạn"), "deadline_start": N_("thời hạn"),
    "deadline_due": N_("thời hạn"), "deadline_every": N_("thời hạn"), "number": N_("số thứ tự"),
    "units": N_("đơn vị"),
}  # fmt: skip


def field_words(fields: list[str]) -> str:
    """ "nội dung, thời hạn" for the fields a re-import changed (each named once)."""
    return ", ".join(dict.fromkeys(_(FIELD_LABELS.get(f, f)) for f in fields))


def read_lines(summary: ImportSummary) -> list[str]:
    """What the file holds: its title, code, sections and tasks."""
    lines = [
        _("Tệp ghi kế hoạch «{title}» (mã {code}): {tasks} trong {sections}.").format(
            title=summary.plan, code=summary.code, **counts(summary.tasks, len(summary.sections))
        )
    ]
    for section in summary.sections[:12]:
        label = f"{section['numeral']}. {section['title']}" if section["numeral"] else section["title"]
        label = short(label, 60) or _("(không có mục)")
        lines.append(f"  {label}: {counts(section['tasks'], 0)['tasks']}")
    return lines


def review_block(summary: ImportSummary) -> list[str]:
    """The tasks a person should look at (no lead unit named, a deadline not read)."""
    if not summary.needs_review:
        return []
    lines = [_("Cần xem lại {n} nhiệm vụ:").format(n=len(summary.needs_review))]
    return lines + [review_line(i["number"], i["problem"]) for i in summary.needs_review[:10]]


def change_lines(summary: ImportSummary) -> list[str]:
    """The changes to the existing plan, one kind a line, changed tasks with fields."""
    lines = [
        _("Thay đổi so với kế hoạch {code}: thêm {added}, bỏ {removed}, sửa {changed}, giữ nguyên {same}.").format(
            code=summary.code, added=len(summary.added), removed=len(summary.missing),
            changed=len(summary.changed), same=summary.unchanged,
        )
    ]  # fmt: skip
    if summary.added:
        lines.append(_("Thêm nhiệm vụ: {numbers}").format(numbers=", ".join(summary.added)))
    if summary.missing:
        lines.append(
            _("Bỏ nhiệm vụ (giữ lại cùng lịch sử, không nhắc nữa): {numbers}").format(
                numbers=", ".join(summary.missing)
            )
        )
    if summary.restored:
        lines.append(_("Có lại nhiệm vụ: {numbers}").format(numbers=", ".join(summary.restored)))
    for change in summary.changed[:CHANGES_SHOWN]:
        lines.append(
            _("Nhiệm vụ {number}: sửa {fields}").format(
                number=change["number"], fields=field_words(change["fields"])
            )
        )
    if len(summary.changed) > CHANGES_SHOWN:
        lines.append(ngettext("… và {n} nhiệm vụ khác.", "… và {n} nhiệm vụ khác.", len(summary.changed) - CHANGES_SHOWN).format(n=len(summary.changed) - CHANGES_SHOWN))
    return lines


def counts(tasks: int, sections: int) -> dict[str, str]:
    """ "39 nhiệm vụ", "7 mục" in the person's language, plural forms and all."""
    return {
        "tasks": ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", tasks).format(n=tasks),
        "sections": ngettext("{n} mục", "{n} mục", sections).format(n=sections),
    }


def done_lines(summary: ImportSummary) -> list[str]:
    """The answer once stored: a new plan, or the plan updated."""
    if summary.plan_created:
        lines = [
            _("Đã nhập kế hoạch mới «{title}» (mã {code}): {tasks} trong {sections}.").format(
                title=summary.plan, code=summary.code, **counts(summary.tasks, len(summary.sections))
            )
        ]
        lines += read_lines(summary)[1:]
    else:
        lines = [_("Đã cập nhật kế hoạch «{title}» (mã {code}).").format(
            title=summary.plan, code=summary.code)]  # fmt: skip
        lines += change_lines(summary)
    units = [clip(unit, 60) for unit in summary.units]
    lines.append(_("Đơn vị: {units}").format(units="; ".join(units)))
    return lines + review_block(summary)


async def read_file(request: Request, data: bytes, filename: str) -> tuple[str, Any]:
    """("scores", sheet) or ("plan", what ``prepare_plan`` gives), read in the worker."""
    today: date = request.today()
    return await run_in_worker(prepare_any, data, filename, None, today, name=filename)


async def offer(request: Request, data: bytes, filename: str, prepared: Any) -> list[Outgoing]:
    """Store a new plan at once; hold a file that changes an existing plan and ask."""
    org = request.organization
    parsed, year, _inputs = prepared
    common = {"filename": filename, "organization": org.name, "now": request.now,
              "timezone": org.timezone}  # fmt: skip
    try:
        target = await choose_target(
            request.session, org, read_title=named_title(parsed), year=year
        )
    except NoTarget as which:
        pending = await hold_import(
            request.session, organization_id=org.id, person_id=request.person.id,
            filename=filename, data=data, plan_id=None, year=year, now=request.now,
        )  # fmt: skip
        buttons = [
            [Button(_("Cập nhật kế hoạch {code}").format(code=p.code), f"{IMPORT_BUTTON}:{pending.id}:p{p.id}")]
            for p in which.plans
        ]  # fmt: skip
        return [Outgoing(which.message, buttons=buttons + _new_and_cancel(pending.id))]
    if target.plan is None:
        summary = await store_prepared_plan(request.session, prepared, target=target, **common)
        asked = await ask_after_import(request, summary.plan_id)
        return [Outgoing("\n".join(done_lines(summary))), *asked]
    preview = await store_prepared_plan(
        request.session, prepared, target=target, dry_run=True, **common
    )
    if not preview.changes_existing and preview.plan == target.plan.title:
        return [Outgoing(_(
            "Kế hoạch «{title}» (mã {code}): {tasks} trong {sections}, không có gì thay "
            "đổi (giữ nguyên {same}); tôi không ghi gì thêm."
        ).format(title=preview.plan, code=preview.code, same=preview.unchanged,
                 **counts(preview.tasks, len(preview.sections)))),
                *await ask_after_import(request, target.plan.id)]  # fmt: skip
    pending = await hold_import(
        request.session, organization_id=org.id, person_id=request.person.id, filename=filename,
        data=data, plan_id=target.plan.id, year=year, now=request.now,
    )  # fmt: skip
    lines = read_lines(preview) + change_lines(preview) + review_block(preview)
    buttons = [[Button(_("Cập nhật kế hoạch {code}").format(code=preview.code), f"{IMPORT_BUTTON}:{pending.id}:u")]]
    return [Outgoing("\n".join(lines), buttons=buttons + _new_and_cancel(pending.id))]


def _new_and_cancel(pending_id: int) -> list[list[Button]]:
    return [
        [Button(_("Nhập thành kế hoạch mới"), f"{IMPORT_BUTTON}:{pending_id}:n")],
        [Button(_("Hủy"), f"{IMPORT_BUTTON}:{pending_id}:x")],
    ]


async def answer_button(request: Request, _kind: str, rest: str) -> list[Outgoing]:
    """The admin's tap on a held file: update, a new plan, another plan, or cancel."""
    from handlers.guards import admin_only  # noqa: PLC0415 - the guard of /nhap

    if refusal := admin_only(request):
        return refusal
    pending_text, _sep, choice = rest.partition(":")
    pending_id = small_id(pending_text)
    pending = (
        await take_import(request.session, pending_id, request.person.id, request.now)
        if pending_id
        else None
    )
    if pending is None or pending.organization_id != request.organization.id:
        return [Outgoing(_("Tệp này đã được xử lý hoặc đã quá hạn; vui lòng gửi lại tệp với /nhap."), edit=True)]
    if choice == "x":
        return [Outgoing(_("Đã hủy; kế hoạch giữ nguyên."), edit=True)]
    kind, prepared = await read_file(request, pending.data, pending.filename)
    if kind != "plan":
        return [Outgoing(_("Tệp này không còn đọc được như một kế hoạch."), edit=True)]
    parsed, year, _inputs = prepared
    org = request.organization
    target: Target | None = None
    if choice == "n":
        title = named_title(parsed) or fallback_title(year)
        target = await new_plan_target(request.session, org, title, year)
    else:
        plan_id = pending.plan_id if choice == "u" else small_id(choice[1:])
        plan = await request.session.get(Plan, plan_id) if plan_id else None
        if plan is None or plan.organization_id != org.id:
            return [Outgoing(_("Không còn kế hoạch này; vui lòng gửi lại tệp với /nhap."), edit=True)]
        target = Target(plan, plan.title, plan.year, plan.code)
        if choice == "u":  # as offered: a plan known untitled takes the file's name
            offered = await choose_target(
                request.session, org, read_title=named_title(parsed), year=year
            )
            if offered.plan is not None and offered.plan.id == plan.id:
                target = offered
    summary = await store_prepared_plan(
        request.session, prepared, target=target, filename=pending.filename,
        organization=org.name, now=request.now, timezone=org.timezone,
    )  # fmt: skip
    asked = await ask_after_import(request, summary.plan_id)
    return [Outgoing("\n".join(done_lines(summary)), edit=True), *asked]
