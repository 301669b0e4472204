"""Downloading an evidence file again (the ``evf:`` button under a card): the stored
bytes go back as a document to someone who may see its task or score item."""

from __future__ import annotations

import asyncio
import logging

from handlers.context import Request
from handlers.evidence.rules import offered_name
from handlers.evidence.score_items import may_view_item
from handlers.messages import Attachment, Outgoing, small_id
from handlers.tasks.access import may_view
from locales import _
from models import evidence_store
from models.evidence import EvidenceFile
from models.queries import get_task

log = logging.getLogger(__name__)


def _refused() -> list[Outgoing]:
    return [
        Outgoing(
            _(
                "Không tìm thấy tệp minh chứng này, hoặc anh/chị không có quyền tải tệp. Nhắn /viec SỐ để xem các tệp của một nhiệm vụ."
            )
        )
    ]


async def download_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """The stored file sent back as a document, to someone who may see its task."""
    row_id = small_id(rest)
    row = await request.session.get(EvidenceFile, row_id) if row_id else None
    task = await get_task(request.session, row.task_id) if row and row.task_id else None
    if row is not None and row.score_item_id is not None:  # a score item's evidence
        if not await may_view_item(request, row.score_item_id):
            return _refused()
    elif row is None or task is None or not may_view(request, task):
        return _refused()
    try:
        data = await asyncio.to_thread(
            evidence_store.read, request.services.evidence.folder, row.stored_path
        )
    except evidence_store.StoreError as error:
        log.error("evidence file %s cannot be read: %s", row.id, error)
        return [
            Outgoing(
                _(
                    "Tệp «{name}» không còn trong kho minh chứng; anh/chị vui lòng báo quản trị của xã/phường."
                ).format(name=row.file_name)
            )
        ]
    document = Attachment(offered_name(row.file_name, row.content_type), data, "document")
    if task is None:
        return [Outgoing("", document=document, score_item_ids=(row.score_item_id,))]
    return [Outgoing("", document=document, task_id=task.id)]
