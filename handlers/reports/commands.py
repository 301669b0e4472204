"""/baocao: one command, three documents. "/baocao diem" is the score table
(``score_sheet``), "/baocao baocao …" the draft report and "/baocao kehoach …" the
plan's decision (``narrative``), anything else the result appendix (``appendix``)."""

from __future__ import annotations

from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Outgoing
from handlers.reports import appendix, narrative, score_sheet
from handlers.reports.request import APPENDIX, split_kind


async def report(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    if score_sheet.is_score_report(args):  # "/baocao diem": the score sheet
        return await score_sheet.score_report(request, args)
    kind, args = split_kind(args)
    if kind != APPENDIX:  # "/baocao baocao quy": the narrative draft; "kehoach": the decision
        return await narrative.handle(request, kind, args)
    return await appendix.appendix_report(request, args)
