"""The rules of evidence files, as pure functions the tests call directly:

- what a file is: read from the bytes alone (``handlers.evidence.types``: PDF, Office
  documents, pictures, plain text, a zip of those); anything else is refused.
- the name shown and stored: the sender's name cut to its last part, control and
  bidirectional characters removed, ending in the extension of the type found; it is
  never used as a path.
- the limits: per file and per organization, each content counted once.
- which file sent by an admin is a plan to import rather than evidence
  (``is_plan_import``).
"""

from __future__ import annotations

import re

from babel.numbers import format_decimal

from handlers.evidence.types import (  # noqa: F401 (the names evidence.py and tests use)
    CSV,
    JPEG,
    NAME_CHARS,
    OLE2,
    PDF,
    PNG,
    TXT,
    ZIP,
    ZIPPED,
    FileType,
    by_content_type,
    extension_of,
    named_for,
    sniff,
)
from locales import _
from models.evidence_store import MB, EvidenceSettings
from models.unit_names import fold

PLAN_EXTENSIONS = (".docx", ".xlsx", ".csv")
_PLAN_WORDS = re.compile(r"(?:^|[^a-z])(?:ke ?hoach|kh)(?:[^a-z]|$)")


def file_type(name: str, data: bytes, kind: str = "document") -> FileType | None:
    """What an evidence file is, from its bytes alone (``handlers.evidence.types``);
    None if dondoc does not keep such files."""
    return sniff(name, data, kind)


def shown_name(name: str, file: FileType | None = None) -> str:
    """The sender's file name as it may be shown and stored: its last part (no folders,
    no "..") without control or bidirectional characters, at most ``NAME_CHARS`` long,
    ending in the extension of ``file``'s type when it is known; a name of dondoc's own
    when nothing is left."""
    return named_for(name, file)


def offered_name(name: str, content_type: str) -> str:
    """The name a kept file is shown and sent under, cleaned again (rows kept before
    the names were cleaned keep their old spelling in the database)."""
    return named_for(name, by_content_type(content_type))


def human_size(size: int) -> str:
    """1,2 MB; 350 KB; 900 byte — as Vietnamese write numbers."""
    if size >= MB:
        return format_decimal(round(size / MB, 1), format="#,##0.#", locale="vi") + " MB"
    if size >= 1024:
        return format_decimal(round(size / 1024), locale="vi") + " KB"
    return f"{size} byte"


def limit_problem(
    name: str, size: int, used: int, settings: EvidenceSettings, *, new_content: bool
) -> str | None:
    """Why a file of ``size`` bytes cannot be kept (``used``: what the organization
    keeps already; a content it keeps already takes no more room), or None."""
    if size > settings.max_file_bytes:
        return too_large(name, settings)
    if new_content and used + size > settings.max_org_bytes:
        return _(
            "Kho minh chứng của đơn vị đã dùng {used} trên mức {limit} MB nên tôi chưa lưu tệp «{name}» ({size}). Anh/chị vui lòng báo quản trị của xã/phường."
        ).format(
            used=human_size(used), limit=settings.max_org_mb, name=name, size=human_size(size)
        )
    return None


def too_large(name: str, settings: EvidenceSettings) -> str:
    return _(
        "Tệp «{name}» lớn hơn mức {limit} MB cho mỗi tệp minh chứng nên tôi chưa lưu. Anh/chị vui lòng gửi bản nhỏ hơn, ví dụ bản PDF hoặc ảnh chụp trang có chữ ký."
    ).format(name=name, limit=settings.max_file_mb)


def type_problem(name: str) -> str:
    return _(
        "Tôi chỉ lưu minh chứng là tệp PDF, Word, Excel, PowerPoint, ảnh (JPEG, PNG, WebP, HEIC), văn bản thuần hoặc tệp nén chứa các loại đó; nội dung tệp «{name}» không thuộc các loại này nên chưa được lưu."
    ).format(name=name)


def is_plan_import(*, admin: bool, name: str, caption: str, kind: str) -> bool:
    """An admin's document is a plan to import, not evidence, when it comes with no
    words, is a .docx/.xlsx/.csv and its name says it is a plan ("ke-hoach-cchc-2026.docx",
    "KH 12 CCHC.xlsx"). A caption /nhap, or the file after /nhap, imports whatever the
    name; everything else is evidence."""
    if not admin or kind != "document" or caption.strip():
        return False
    if extension_of(name) not in PLAN_EXTENSIONS:
        return False
    return bool(_PLAN_WORDS.search(fold(name).replace("-", " ").replace("_", " ")))
