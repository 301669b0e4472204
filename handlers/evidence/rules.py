"""The rules of evidence files, as pure functions the tests call directly:

- what a file is: PDF, Word (.doc/.docx/.odt), spreadsheet (.xls/.xlsx/.ods/.csv) or a
  picture (JPEG, PNG, WebP, HEIC). The type is read from the bytes (their signature),
  the sender's file name only choosing between the formats that share one (a .docx and
  an .xlsx are both zip files); a file whose bytes do not match its name is refused.
- the name shown: the sender's name cut to its last part, control characters removed;
  it is never used as a path.
- the limits: per file and per organization, each content counted once.
- which file sent by an admin is a plan to import rather than evidence
  (``is_plan_import``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel.numbers import format_decimal

from locales import _
from models.evidence_store import MB, EvidenceSettings
from models.unit_names import fold

NAME_CHARS = 120  # of the name shown; the extension is kept
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FileType:
    extension: str  # dondoc's own, with the dot: the stored name's
    content_type: str


PDF = FileType(".pdf", "application/pdf")
JPEG = FileType(".jpg", "image/jpeg")
PNG = FileType(".png", "image/png")
WEBP = FileType(".webp", "image/webp")
HEIC = FileType(".heic", "image/heic")
ZIPPED = {
    ".docx": FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": FileType(".odt", "application/vnd.oasis.opendocument.text"),
    ".ods": FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet"),
}  # fmt: skip
OLE2 = {
    ".doc": FileType(".doc", "application/msword"),
    ".xls": FileType(".xls", "application/vnd.ms-excel"),
}
CSV = FileType(".csv", "text/csv")
PICTURE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
PLAN_EXTENSIONS = (".docx", ".xlsx", ".csv")
_PLAN_WORDS = re.compile(r"(?:^|[^a-z])(?:ke ?hoach|kh)(?:[^a-z]|$)")


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _picture(data: bytes) -> FileType | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif"):
        return HEIC
    return None


def _text(data: bytes) -> bool:
    if b"\x00" in data[:4096]:
        return False
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > 4090  # a character cut at the sample's end
    return True


def file_type(name: str, data: bytes, kind: str = "document") -> FileType | None:
    """What an evidence file is, from its bytes; None if dondoc does not keep such files."""
    picture = _picture(data)
    if kind == "photo" or picture is not None:
        return picture
    extension = extension_of(name)
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return ZIPPED.get(extension)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2.get(extension)
    if extension == ".csv" and _text(data):
        return CSV
    return None


def shown_name(name: str, file: FileType | None = None) -> str:
    """The sender's file name as it may be shown: its last part (no folders, no "..")
    without control characters, at most ``NAME_CHARS`` long; a name of dondoc's own
    when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _CONTROL.sub("", name).strip().strip(".").strip()
    if not name:
        return "tep" + (file.extension if file else "")
    if len(name) > NAME_CHARS:
        extension = extension_of(name)[:10]
        name = name[: NAME_CHARS - len(extension) - 1].rstrip() + "…" + extension
    return name


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
        "Tôi chỉ lưu minh chứng là tệp PDF, Word, Excel hoặc ảnh; tệp «{name}» không thuộc các loại đó (hoặc nội dung không khớp với tên tệp) nên chưa được lưu."
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
