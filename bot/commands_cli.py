"""What each ``dondoc`` sub-command does, once ``bot.cli`` has parsed the arguments."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from bot import cli_ops
from bot.cli_cells import ask_cells, cells_after_import, cells_json, list_text, wants_questions
from bot.cli_common import CliError, Emit, open_session, require_org
from bot.cli_parse import cmd_parse_deadline, cmd_parse_status
from bot.cli_plans import PlanNotChosen, cmd_plans, named_plan
from bot.config import Config
from handlers.imports.any_file import import_any
from handlers.imports.plans import ImportSummary
from handlers.imports.targets import NoTarget
from handlers.tasks.view import task_to_json
from locales import N_, _, ngettext
from models.db import open_database
from models.invites import create_invite
from models.plan_store import resolve_unit
from models.queries import list_tasks
from scheduler.clock import Clock

FIELD_NAMES = {
    "content": N_("nội dung"), "product": N_("sản phẩm"), "lead_note": N_("ghi chú chủ trì"),
    "cooperating_note": N_("ghi chú phối hợp"), "deadline_text": N_("thời hạn"),
    "deadline_kind": N_("loại thời hạn"), "deadline_start": N_("ngày bắt đầu"), "deadline_due": N_("hạn"),
    "deadline_every": N_("định kỳ"), "number": N_("số thứ tự"), "units": N_("đơn vị"),
}  # fmt: skip


def import_text(summary: ImportSummary) -> str:
    """What ``dondoc import`` prints, in the person's language."""
    counts = {
        "tasks": ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", summary.tasks).format(n=summary.tasks),
        "sections": ngettext("{n} mục", "{n} mục", len(summary.sections)).format(
            n=len(summary.sections)
        ),
    }
    head = (
        _("Sẽ nhập «{plan}» ({year}, mã {code}) cho {org}: {tasks} trong {sections}.")
        if summary.dry_run
        else _("Đã nhập «{plan}» ({year}, mã {code}) cho {org}: {tasks} trong {sections}.")
    )
    lines = [
        head.format(
            plan=summary.plan, year=summary.year, code=summary.code, org=summary.organization,
            **counts,
        )
    ]  # fmt: skip
    if summary.plan_created:
        lines.append(_("Kế hoạch mới."))
    for s in summary.sections:
        tasks = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", s["tasks"]).format(n=s["tasks"])
        lines.append(f"  {s['numeral']}. {s['title']} — {tasks}")
    lines.append(_("Đơn vị chủ trì/phối hợp: {units}").format(units="; ".join(summary.units)))
    if not summary.plan_created:
        lines.append(
            _(
                "Cập nhật kế hoạch {code}: thêm {added}, thay đổi {changed}, bỏ {removed}, giữ nguyên {same}."
            ).format(
                code=summary.code, added=len(summary.added), changed=len(summary.changed),
                removed=len(summary.missing), same=summary.unchanged,
            )
        )  # fmt: skip
        if summary.added:
            lines.append("  " + _("Thêm: {numbers}").format(numbers=", ".join(summary.added)))
        for change in summary.changed:
            fields = ", ".join(_(FIELD_NAMES.get(f, f)) for f in change["fields"])
            lines.append(
                "  "
                + _("Nhiệm vụ {number}: đổi {fields}").format(
                    number=change["number"], fields=fields
                )
            )
        if summary.missing:
            lines.append(
                "  "
                + _("Không còn trong tệp (giữ lại cùng lịch sử, không nhắc nữa): {numbers}").format(
                    numbers=", ".join(summary.missing)
                )
            )
        if summary.restored:
            lines.append(
                "  " + _("Có lại trong tệp: {numbers}").format(numbers=", ".join(summary.restored))
            )
    if summary.needs_review:
        n = len(summary.needs_review)
        lines.append(
            _("Cần xem lại {n} nhiệm vụ:").format(n=n)
        )
        for item in summary.needs_review:
            lines.append(
                "  "
                + _("Nhiệm vụ {number}: {problem}").format(
                    number=item["number"], problem=item["problem"]
                )
            )
    for warning in summary.warnings:
        lines.append(_("Lưu ý: {warning}").format(warning=warning))
    if summary.dry_run:
        lines.append(_("Chạy thử (--dry-run): chưa ghi gì."))
    return "\n".join(lines)


async def cmd_import(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(
            _("Không đọc được tệp {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from exc
    async with open_session(config) as session:
        try:
            kind, summary = await import_any(
                session,
                data=data,
                filename=path.name,
                organization=args.org,
                now=clock.now(),
                timezone=config.organization.timezone,
                plan_ref=args.plan,
                year=args.year,
                new_plan=args.new_plan,
                dry_run=args.dry_run,
            )
        except NoTarget as exc:
            raise PlanNotChosen(
                _("{problem} (--plan MÃ hoặc --new-plan)").format(problem=exc.message)
            ) from exc
        cells = []
        if kind == "plan" and not summary.dry_run:
            cells = await cells_after_import(
                session, summary.organization, summary.plan_id, clock.now(), today
            )
    if kind == "scores":
        emit(args, summary.to_json(), summary.text())
        return 0
    text = import_text(summary) + ("\n" + list_text(cells) if cells else "")
    emit(args, {"kind": "plan", **summary.to_json(), "unread_cells": cells_json(cells)}, text)
    if cells and wants_questions(args):
        await ask_cells(config, cells, now=clock.now(), today=today)
    return 0


async def cmd_tasks(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        unit_ids = None
        if args.unit:
            unit = await resolve_unit(session, org, args.unit)
            if unit is None:
                raise CliError(
                    _("{org} không có đơn vị «{unit}».").format(org=org.name, unit=args.unit)
                )
            unit_ids = [unit.id]
        plan = await named_plan(session, org, args.plan) if args.plan else None
        tasks = await list_tasks(
            session, org, unit_ids=unit_ids, plan=plan, today=clock.today(org.timezone)
        )
        several = len({t.plan_id for t in tasks}) > 1
        rows = [await task_to_json(session, t) for t in tasks]
    lines = []
    section = None
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            lines.append(f"\n{section}")
        lead = "; ".join(row["lead_units"]) or row["lead_note"] or "—"
        number = f"{row['plan']['code']} {row['number']}" if several else row["number"]
        lines.append(
            f"{number:>4}. {row['content']}\n      "
            + _("Chủ trì: {lead} | Thời hạn: {deadline} | {status}").format(
                lead=lead, deadline=row["deadline"]["text"] or "—", status=row["status_label"]
            )
        )
    emit(args, rows, "\n".join(lines).strip() or _("Chưa có nhiệm vụ nào."))
    return 0


async def cmd_invite(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        unit = None
        if args.unit:
            unit = await resolve_unit(session, org, args.unit)
            if unit is None:
                raise CliError(
                    _("{org} không có đơn vị «{unit}».").format(org=org.name, unit=args.unit)
                )
        invite = await create_invite(
            session, org, role=args.role, unit=unit, uses=args.uses, now=clock.now()
        )
        code = invite.code
    emit(
        args,
        {"code": code},
        _("Mã mời: {code}\nNgười được mời nhắn cho bot: /dangky {code}").format(code=code),
    )
    return 0


async def cmd_migrate(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    engine, _ = await open_database(config.database.url)
    await engine.dispose()
    emit(args, {"ok": True}, _("Cơ sở dữ liệu đã ở phiên bản mới nhất."))
    return 0


async def cmd_demo(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    from bot.demo import run_demo

    return await run_demo(args, config, clock)


async def cmd_run(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    from bot.runner import run_bot

    return await run_bot(config, clock)


async def cmd_progress(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    from bot import cli_reports

    return await cli_reports.progress(args, config, clock, today, emit)


async def cmd_report(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    from bot import cli_reports

    return await cli_reports.report(args, config, clock, today, emit)


async def cmd_scores(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    from bot import cli_scores

    return await cli_scores.scores(args, config, clock, today, emit)


async def cmd_assign(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    from bot import cli_assign

    return await cli_assign.assign(args, config, clock, today, emit)


COMMANDS: dict[str, Callable[..., Awaitable[int]]] = {
    "assign": cmd_assign,
    "plans": cmd_plans,
    "scores": cmd_scores,
    "import": cmd_import,
    "tasks": cmd_tasks,
    "invite": cmd_invite,
    "parse-deadline": cmd_parse_deadline,
    "parse-status": cmd_parse_status,
    "progress": cmd_progress,
    "report": cmd_report,
    "migrate": cmd_migrate,
    "demo": cmd_demo,
    "run": cmd_run,
    **cli_ops.COMMANDS,  # status, backup, restore, migrate (with --check)
}
