"""Evidence files of a task in the conversation: checking a file that came with a
message (``screen``), keeping it for tasks (``keep``) or for a "which task?" question
(``hold``, then ``assign_held``), the lines and download buttons of the task card
(``card``) and the download itself (``download``, button ``evf:ID``, also for the
files of score items, ``handlers.evidence.score_items``).

Which message a file belongs to is ``handlers.replies.files``; what a file may be and
the limits are the pure rules of ``handlers.evidence.rules``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from handlers.context import Request
from handlers.evidence.rules import (
    FileType,
    file_type,
    human_size,
    limit_problem,
    offered_name,
    shown_name,
    too_large,
    type_problem,
)
from handlers.messages import Button
from handlers.short_text import short
from language.formats import format_date
from locales import _, ngettext
from models import evidence_store
from models.evidence import (
    EvidenceFile,
    file_of_task,
    files_of_task,
    held_for_question,
    organization_usage,
    stored_path_of,
)
from models.plans import Task

log = logging.getLogger(__name__)

ON_CARD = 10  # newest evidence files listed on a task card (each with a button on Telegram)
DOWNLOAD = "evf"  # button data: evf:<evidence row id> (``handlers.evidence.download``)


@dataclass(frozen=True)
class Screened:
    """A file that may be kept: its shown name, bytes, type and content hash."""

    name: str
    data: bytes
    type: FileType
    sha256: str
    ref: str | None


async def screen(request: Request) -> tuple[Screened | None, str | None]:
    """The message's file checked against the rules and limits: (the file, None) when it
    may be kept, (None, why not) when it may not, (None, None) when there is none."""
    attachment = request.incoming.attachment
    org = request.organization
    if attachment is None or org is None:
        return None, None
    settings = request.services.evidence
    name = shown_name(attachment.filename)
    if attachment.size is not None and attachment.size > len(attachment.data):
        # The channel did not download it (over its limit): too large, not empty.
        return None, too_large(name, settings)
    if not attachment.data:
        return None, _(
            "Tôi chưa tải được tệp «{name}» anh/chị gửi nên chưa lưu; anh/chị vui lòng gửi lại."
        ).format(name=name)
    found = file_type(attachment.filename, attachment.data, attachment.kind)
    if found is None:
        return None, type_problem(name)
    name = shown_name(attachment.filename, found)  # "anh.jpg" that is a PNG: "anh.png"
    sha = hashlib.sha256(attachment.data).hexdigest()
    known = await stored_path_of(request.session, org.id, sha)
    used = await organization_usage(request.session, org.id)
    problem = limit_problem(
        name, len(attachment.data), used, settings, new_content=known is None
    )
    if problem:
        return None, problem
    return Screened(name, attachment.data, found, sha, attachment.ref), None


def without_file(request: Request, screened: Screened | None) -> None:
    """What the rest of the handling sees: the file under its shown name, or no file at
    all when it was refused (so no report mentions a file that was not kept)."""
    incoming = request.incoming
    if incoming.attachment is None:
        return
    attachment = (
        replace(incoming.attachment, filename=screened.name) if screened is not None else None
    )
    request.incoming = replace(incoming, attachment=attachment)


async def stored_path(request: Request, organization_id: int, screened: Screened) -> str:
    known = await stored_path_of(request.session, organization_id, screened.sha256)
    relative = known or evidence_store.stored_name(
        organization_id, screened.sha256, screened.type.extension
    )
    folder = request.services.evidence.folder
    await asyncio.to_thread(evidence_store.write, folder, relative, screened.data)
    return relative


def new_row(
    request: Request, screened: Screened, organization_id: int, path: str, **where: int | None
) -> EvidenceFile:
    return EvidenceFile(
        organization_id=organization_id,
        file_name=screened.name,
        size=len(screened.data),
        content_type=screened.type.content_type,
        sha256=screened.sha256,
        person_id=request.person.id if request.person else None,
        channel=request.incoming.channel,
        channel_ref=(screened.ref or "")[:500] or None,
        stored_path=path,
        created_at=request.now,
        **where,
    )


async def keep(request: Request, screened: Screened, tasks: list[Task]) -> list[str]:
    """Keep the file as evidence of each of ``tasks``; one line per task saying so."""
    lines = []
    for task in tasks:
        if await file_of_task(request.session, task.id, screened.sha256) is not None:
            lines.append(
                _(
                    "Tệp «{name}» đã có trong minh chứng của nhiệm vụ {number}; tôi không lưu thêm bản nữa."
                ).format(name=screened.name, number=task.number)
            )
            continue
        organization_id = task.plan.organization_id
        path = await stored_path(request, organization_id, screened)
        request.session.add(new_row(request, screened, organization_id, path, task_id=task.id))
        await request.session.flush()
        lines.append(
            _("Đã lưu tệp «{name}» ({size}) làm minh chứng của nhiệm vụ {number}.").format(
                name=screened.name, size=human_size(len(screened.data)), number=task.number
            )
        )
    return lines


async def hold(request: Request, screened: Screened, question_id: int) -> str:
    """Keep the file for the "which task?" question just asked; the line to add."""
    org = request.organization
    assert org is not None
    path = await stored_path(request, org.id, screened)
    request.session.add(new_row(request, screened, org.id, path, question_id=question_id))
    await request.session.flush()
    return _("Tệp «{name}» sẽ được lưu làm minh chứng của nhiệm vụ anh/chị chọn.").format(
        name=screened.name
    )


async def assign_held(request: Request, question_id: int, tasks: list[Task]) -> list[str]:
    """The files held for a question become evidence of the tasks chosen."""
    lines = []
    for held in await held_for_question(request.session, question_id):
        for task in tasks:
            if await file_of_task(request.session, task.id, held.sha256) is not None:
                lines.append(
                    _("Tệp «{name}» đã có trong minh chứng của nhiệm vụ {number}.").format(
                        name=held.file_name, number=task.number
                    )
                )
                continue
            row = EvidenceFile(
                **{
                    column: getattr(held, column)
                    for column in (
                        "organization_id", "file_name", "size", "content_type", "sha256",
                        "person_id", "channel", "channel_ref", "stored_path", "created_at",
                    )
                },  # fmt: skip
                task_id=task.id,
            )
            request.session.add(row)
            await request.session.flush()
            lines.append(
                _("Đã lưu tệp «{name}» ({size}) làm minh chứng của nhiệm vụ {number}.").format(
                    name=held.file_name, size=human_size(held.size), number=task.number
                )
            )
        await request.session.delete(held)
    await request.session.flush()
    return lines


async def card(request: Request, task: Task) -> tuple[list[str], list[list[Button]]]:
    """The evidence lines of a task card (name, size, who, date) and, where the channel
    has buttons, one download button per file."""
    org = request.organizations.get(task.plan.organization_id)
    zone = ZoneInfo(org.timezone if org else request.services.timezone)
    return file_lines(request, await files_of_task(request.session, task.id), zone)


def file_lines(
    request: Request, files: list[EvidenceFile], zone: ZoneInfo
) -> tuple[list[str], list[list[Button]]]:
    """The lines of a card listing ``files`` (the newest ``ON_CARD``), and a download
    button each where the channel has buttons; for tasks and score items alike."""
    if not files:
        return [], []
    lines = [_("Tệp minh chứng ({n}):").format(n=len(files))]
    shown = files[-ON_CARD:]
    if len(files) > len(shown):
        lines.append(ngettext("(… và {n} tệp cũ hơn)", "(… và {n} tệp cũ hơn)", len(files) - len(shown)).format(n=len(files) - len(shown)))
    for row in shown:
        who = row.person.display_name if row.person else "—"
        when = format_date(row.created_at.astimezone(zone).date())
        name = offered_name(row.file_name, row.content_type)
        lines.append(f"• {name} — {human_size(row.size)} — {who}, {when}")
    if not request.has_buttons:
        return lines, []
    buttons = [
        [
            Button(
                _("Tải {name}").format(name=short(offered_name(row.file_name, row.content_type), 40)),
                f"{DOWNLOAD}:{row.id}",
            )
        ]
        for row in shown
    ]
    return lines, buttons
