"""``dondoc scores`` (the sheet's tree with maxima, scores and results) and ``dondoc
report --kind scores`` (the result table written to a .docx or .xlsx file)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.cli_common import CliError, Emit, open_session, require_org
from bot.config import Config
from documents.score_docx import score_docx
from documents.score_xlsx import score_xlsx
from handlers.scores.commands import figures_text
from locales import _
from models.score_queries import load_sheet, sheet_to_json
from scheduler.clock import Clock

PERIODS = {"6thang": "6thang", "nam": "nam", None: None, "quy": None}


async def scores(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        view = await load_sheet(session, org, period=args.period, year=args.year)
        if view is None:
            raise CliError(_("{org} chưa có bảng điểm nào được nhập.").format(org=org.name))
        emit(args, sheet_to_json(view), figures_text(org.name, view))
    return 0


async def report(
    args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit
) -> int:
    if not args.out:
        raise CliError(_("Cần --out TỆP để ghi bảng điểm."))
    async with open_session(config) as session:
        org = await require_org(session, args.org)
        view = await load_sheet(session, org, period=PERIODS.get(args.period))
        if view is None:
            raise CliError(_("{org} chưa có bảng điểm nào được nhập.").format(org=org.name))
        day = getattr(args, "dated", None) or clock.today(org.timezone)  # local, not UTC
        data = (
            score_docx(org.name, view, day=day)
            if args.format == "docx"
            else score_xlsx(org.name, view, day=day)
        )
        json = sheet_to_json(view)
    Path(args.out).write_bytes(data)
    emit(args, {"file": args.out, **json}, _("Đã ghi bảng điểm ra {path}.").format(path=args.out))
    return 0
