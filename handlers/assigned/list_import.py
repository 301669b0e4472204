"""A list of tasks the city gives, sent as a file (the annex of an official letter:
unit, content, deadline, source columns; ``documents.assigned_table``): ``/nhap`` with
such a file, or ``/giao`` with a file attached. dondoc shows what it read — each task
with its unit and deadline, and the rows it cannot take (a unit the commune does not
have, a deadline it cannot read) — holds the file (``models.pending_imports``) and adds
the tasks only after one tap ("Thêm N nhiệm vụ", ``giaof:ID:y``; "Hủy", ``giaof:ID:x``;
numbers on Zalo and the console). Each task joins the year's list "Nhiệm vụ được giao
năm YYYY" as /giao's do (``handlers.assigned.record``), and its unit is told."""

from __future__ import annotations

from dataclasses import dataclass

from documents.assigned_table import AssignedRow, read_assigned_table
from documents.plan_file_error import PlanFileError
from documents.worker import run_in_worker
from handlers.assigned.record import add_task, tell_unit
from handlers.context import Request
from handlers.extensions.notices import notice_time
from handlers.messages import Attachment, Button, Outgoing, small_id
from handlers.short_text import short
from language.assignment_words import read_deadline
from language.deadlines import Deadline
from locales import _, ngettext
from models.pending_imports import hold_import, take_import
from models.people import Unit
from models.plan_store import resolve_unit

BUTTON = "giaof"
SHOWN = 15  # tasks listed one a line in the preview; more are counted


@dataclass(frozen=True)
class Reading:
    """A row and what dondoc made of it: the unit and deadline, or why not."""

    row: AssignedRow
    unit: Unit | None
    deadline: Deadline
    problem: str | None


async def read_rows(request: Request, data: bytes, filename: str) -> list[Reading] | None:
    """The file's rows read against the organization's units and the deadline grammar;
    None when the file is no list of given tasks."""
    rows = await run_in_worker(read_assigned_table, data, filename, name=filename)
    if rows is None:
        return None
    today, org = request.today(), request.organization
    found = []
    for row in rows:
        unit = await resolve_unit(request.session, org, row.unit) if row.unit else None
        deadline = read_deadline(row.deadline, today)
        problem = None
        if unit is None:
            problem = _("không có đơn vị «{unit}»").format(unit=short(row.unit, 40) or "—")
        elif deadline.kind == "unknown":
            problem = _("chưa đọc được thời hạn «{text}»").format(
                text=short(row.deadline, 40) or "—"
            )
        found.append(Reading(row, unit, deadline, problem))
    return found


async def offer_list(request: Request, attachment: Attachment) -> list[Outgoing] | None:
    """What the file holds and the tap that adds it; None when it is no such list."""
    readings = await read_rows(request, attachment.data, attachment.filename)
    if readings is None:
        return None
    good = [r for r in readings if r.problem is None]
    lines = [
        ngettext(
            "Tệp «{name}» là danh sách {n} nhiệm vụ được giao:",
            "Tệp «{name}» là danh sách {n} nhiệm vụ được giao:",
            len(readings),
        ).format(name=attachment.filename, n=len(readings))
    ]
    for reading in good[:SHOWN]:
        row = reading.row
        lines.append(
            _("• {content} — {unit}, hạn {deadline}{source}").format(
                content=short(row.content, 70),
                unit=reading.unit.name,
                deadline=row.deadline,
                source=f" ({short(row.source, 60)})" if row.source else "",
            )
        )
    if len(good) > SHOWN:
        more = len(good) - SHOWN
        lines.append(ngettext("… và {n} nhiệm vụ khác.", "… và {n} nhiệm vụ khác.", more).format(n=more))
    bad = [r for r in readings if r.problem is not None]
    if bad:
        lines.append(
            _("Chưa thêm được {n} dòng (anh/chị có thể /giao từng việc):").format(n=len(bad))
        )
        lines += [
            _("  Dòng {row}: {problem}").format(row=r.row.row, problem=r.problem) for r in bad[:10]
        ]
    if not good:
        lines.append(_("Không có nhiệm vụ nào thêm được; dữ liệu cũ vẫn giữ nguyên."))
        return [Outgoing("\n".join(lines))]
    pending = await hold_import(
        request.session,
        organization_id=request.organization.id,
        person_id=request.person.id,
        filename=attachment.filename,
        data=attachment.data,
        plan_id=None,
        year=request.today().year,
        now=request.now,
    )
    lines.append(
        _(
            "Các nhiệm vụ sẽ vào danh sách «Nhiệm vụ được giao năm {year}» và đơn vị được báo ngay."
        ).format(year=request.today().year)
    )
    buttons = [
        [
            Button(
                ngettext("Thêm {n} nhiệm vụ", "Thêm {n} nhiệm vụ", len(good)).format(n=len(good)),
                f"{BUTTON}:{pending.id}:y",
            ),
            Button(_("Hủy"), f"{BUTTON}:{pending.id}:x"),
        ]
    ]
    return [Outgoing("\n".join(lines), buttons=buttons)]


async def button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """The answer to the preview: add every task read well, or nothing."""
    held_id, _sep, choice = rest.partition(":")
    key = small_id(held_id)
    pending = (
        await take_import(request.session, key, request.person.id, request.now) if key else None
    )
    if pending is None or pending.organization_id != request.organization.id:
        return [Outgoing(_("Nút này không còn dùng được; anh/chị vui lòng gửi lại tệp."))]
    if choice != "y":
        return [Outgoing(_("Đã hủy, chưa thêm nhiệm vụ nào."), edit=True)]
    readings = await read_rows(request, pending.data, pending.filename) or []
    services, org = request.services, request.organization
    added, told, empty = [], [], []
    for reading in readings:
        if reading.problem is not None or reading.unit is None:
            continue
        task = await add_task(
            request.session,
            org,
            reading.unit,
            reading.row.content,
            reading.deadline,
            reading.row.source,
            person=request.person,
            now=request.now,
            year=pending.year,
            planning=services.planning,
            calendar=services.calendar,
            channel=request.incoming.channel,
        )
        names, nobody = await tell_unit(
            request.session, task, notice_time(request), giver_id=request.person.id
        )
        added.append(task)
        told += [n for n in names if n not in told]
        empty += [u for u in nobody if u not in empty]
    if not added:
        return [
            Outgoing(_("Không có nhiệm vụ nào thêm được; dữ liệu cũ vẫn giữ nguyên."), edit=True)
        ]
    lines = [
        ngettext(
            "Đã thêm {n} nhiệm vụ được giao vào «{title}»: số {numbers}.",
            "Đã thêm {n} nhiệm vụ được giao vào «{title}»: số {numbers}.",
            len(added),
        ).format(
            n=len(added), title=added[0].plan.title, numbers=", ".join(t.number for t in added)
        )
    ]
    if told:
        lines.append(_("Đã báo cho: {names}.").format(names=", ".join(told)))
    if empty:
        lines.append(
            _("Chưa ai đăng ký ở {units}; quản trị tạo mã mời: /moi ĐƠN_VỊ").format(
                units=", ".join(empty)
            )
        )
    return [Outgoing("\n".join(lines), edit=True, task_ids=tuple(t.id for t in added))]


async def offer_file(request: Request, attachment: Attachment) -> list[Outgoing]:
    """/giao with a file: the list it holds, or why it is not one."""
    try:
        found = await offer_list(request, attachment)
    except PlanFileError as error:
        return [
            Outgoing(
                _("Không đọc được tệp «{name}»: {problem}").format(
                    name=attachment.filename, problem=error.message
                )
            )
        ]
    if found is not None:
        return found
    return [
        Outgoing(
            _(
                "Tệp «{name}» không phải danh sách nhiệm vụ được giao: tôi cần một bảng có các cột đơn vị, nội dung, thời hạn và văn bản giao (ví dụ phụ lục kèm công văn của UBND thành phố). Kế hoạch thì gửi bằng /nhap."
            ).format(name=attachment.filename)
        )
    ]
