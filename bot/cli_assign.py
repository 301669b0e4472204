"""``dondoc assign --org ORG --unit UNIT --text "…" --due DATE_OR_PHRASE [--source "Công
văn số …"] [--json]``: give a task the city assigned, as /giao does — it joins the
organization's list "Nhiệm vụ được giao năm YYYY", its reminders are planned and the
unit's people are told through the outbox. The operator's own act: nothing is asked;
what cannot be read stops the command with one line saying how to fix it."""

from __future__ import annotations

import argparse
from datetime import date

from bot.cli_common import CliError, Emit, open_session, require_org
from bot.config import Config
from bot.wiring import calendar_from, planning_from
from handlers.assigned.record import add_task, tell_unit
from handlers.tasks.view import deadline_in_words, task_to_json
from language.assignment_words import deadline_problem, read_deadline
from language.deadlines import describe_problem
from locales import _
from models.plan_store import resolve_unit
from models.queries import units_of
from scheduler.clock import Clock
from scheduler.reminder_policy import next_send_moment


async def assign(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    content = " ".join(args.text.split())
    if not content:
        raise CliError(_("Cần nội dung nhiệm vụ: --text «…»."))
    calendar, planning = calendar_from(config), planning_from(config)
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        unit = await resolve_unit(session, org, args.unit)
        if unit is None:
            names = "; ".join(u.name for u in await units_of(session, org)) or "—"
            raise CliError(
                _("Không tìm thấy đơn vị «{unit}» của {org}. Các đơn vị: {names}").format(
                    unit=args.unit, org=org.name, names=names
                )
            )
        now = clock.now()
        local_today = clock.today(org.timezone)
        deadline = read_deadline(args.due, local_today)
        if deadline.kind == "unknown":
            raise CliError(
                describe_problem(deadline) or _("Không hiểu hạn «{due}».").format(due=args.due)
            )
        warning = deadline_problem(deadline, local_today)  # a past date: kept, said
        task = await add_task(
            session,
            org,
            unit,
            content,
            deadline,
            " ".join(args.source.split()),
            person=None,
            now=now,
            year=local_today.year,
            planning=planning,
            calendar=calendar,
            channel="cli",
        )
        when = next_send_moment(now, planning.reminders, calendar, org.timezone)
        told, empty = await tell_unit(session, task, when, giver_id=None)
        data = {
            "id": task.id,
            **await task_to_json(session, task),
            "source": task.source,
            "plan": {
                "id": task.plan.id,
                "title": task.plan.title,
                "year": task.plan.year,
                "kind": task.plan.kind,
            },
            "told": told,
            "units_without_people": empty,
        }
        words = deadline_in_words(task, local_today, calendar)
    lines = [
        _("Đã giao nhiệm vụ {number} «{content}» cho {unit}, {words} ({plan}).").format(
            number=task.number, content=content, unit=unit.name, words=words,
            plan=data["plan"]["title"],
        ),
        _("Theo: {source}.").format(source=task.source) if task.source else _("Không kèm văn bản."),
        _("Sẽ báo cho: {people}.").format(people=", ".join(told))
        if told
        else _(
            "Đơn vị {unit} chưa có ai đăng ký: dondoc invite --org «{org}» --unit «{unit}» --role officer"
        ).format(unit=unit.name, org=org.name),
    ]  # fmt: skip
    if warning:
        lines.append(_("Lưu ý: {warning}").format(warning=warning))
    emit(args, data, "\n".join(lines))
    return 0
