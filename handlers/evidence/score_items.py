"""Evidence files of score items: the same files, rules, folder and download button as
tasks' evidence (``handlers.evidence.files``), kept for an item of the score sheet instead of
a task (``evidence_file.score_item_id``): with a score reply, right after one, or held
for the "which item?" question and given to the item chosen. Listed on the item's card
(``/diem SỐ``) with a download button where the channel has buttons."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.context import Request
from handlers.evidence.files import Screened, file_lines, new_row, stored_path
from handlers.evidence.rules import human_size
from handlers.messages import Button
from locales import _
from models.evidence import EvidenceFile, file_of_item, files_of_item, held_for_question
from models.scores import ScoreItem, ScoreSheet

_COPIED = (
    "organization_id", "file_name", "size", "content_type", "sha256", "person_id", "channel",
    "channel_ref", "stored_path", "created_at",
)  # fmt: skip


async def may_view_item(request: Request, item_id: int) -> bool:
    """May the person see this item (and its files)? Anyone of its commune may."""
    item = await request.session.get(ScoreItem, item_id)
    sheet = await request.session.get(ScoreSheet, item.sheet_id) if item else None
    return sheet is not None and sheet.organization_id in request.organizations


async def keep(request: Request, screened: Screened, item: ScoreItem) -> list[str]:
    """Keep the file as evidence of ``item``; the line saying so."""
    if await file_of_item(request.session, item.id, screened.sha256) is not None:
        return [
            _(
                "Tệp «{name}» đã có trong minh chứng của mục {ref}; tôi không lưu thêm bản nữa."
            ).format(name=screened.name, ref=item.ref)
        ]
    sheet = await request.session.get(ScoreSheet, item.sheet_id)
    assert sheet is not None
    path = await stored_path(request, sheet.organization_id, screened)
    request.session.add(new_row(request, screened, sheet.organization_id, path, score_item_id=item.id))
    await request.session.flush()
    return [
        _("Đã lưu tệp «{name}» ({size}) làm minh chứng của mục {ref}.").format(
            name=screened.name, size=human_size(len(screened.data)), ref=item.ref
        )
    ]


def held_line(screened: Screened) -> str:
    return _("Tệp «{name}» sẽ được lưu làm minh chứng của mục anh/chị chọn.").format(
        name=screened.name
    )


async def assign_held(request: Request, question_id: int, item: ScoreItem) -> list[str]:
    """The files held for a "which item?" question become evidence of the item chosen."""
    lines = []
    for held in await held_for_question(request.session, question_id):
        if await file_of_item(request.session, item.id, held.sha256) is None:
            copied = {column: getattr(held, column) for column in _COPIED}
            request.session.add(EvidenceFile(**copied, score_item_id=item.id))
            lines.append(
                _("Đã lưu tệp «{name}» ({size}) làm minh chứng của mục {ref}.").format(
                    name=held.file_name, size=human_size(held.size), ref=item.ref
                )
            )
        else:
            lines.append(
                _("Tệp «{name}» đã có trong minh chứng của mục {ref}.").format(
                    name=held.file_name, ref=item.ref
                )
            )
        await request.session.delete(held)
    await request.session.flush()
    return lines


async def card(request: Request, item: ScoreItem) -> tuple[list[str], list[list[Button]]]:
    """The evidence lines of an item's card and, with buttons, one download each."""
    org = request.organization
    zone = ZoneInfo(org.timezone if org is not None else request.services.timezone)
    return file_lines(request, await files_of_item(request.session, item.id), zone)
