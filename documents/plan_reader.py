"""Read a plan file of any supported kind: the one entry point for imports.

:func:`read_plan` looks at the first bytes (and the name) to choose the reader —
Word .docx, Excel .xlsx, or text (csv, tsv, a table pasted from Word) — and turns every
problem into :class:`PlanFileError` with a Vietnamese message saying what is wrong and
what to send instead: old .doc/.xls files, password-protected files, PDFs, pictures,
broken zips, files too large, empty or unknown files.
"""

from __future__ import annotations

import codecs
import io
import logging
import math
import zipfile
from pathlib import PurePath

from documents import read_text
from documents.file_limits import check_package
from documents.plan_file_error import PlanFileError
from documents.plan_table import ParsedPlan
from locales import _

__all__ = [
    "MAX_BYTES", "ParsedPlan", "PlanFileError", "read_plan", "read_plan_text", "too_large"
]

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ".tab", ".md", ".text"})
OFFICE_EXTENSIONS = frozenset({".docx", ".docm", ".xlsx", ".xlsm", ".dotx", ".xltx"})


def _megabytes(size: int) -> str:
    """Size in MB, rounded up to a tenth, with a decimal comma: "20,1"."""
    return f"{math.ceil(size * 10 / (1024 * 1024)) / 10:.1f}".replace(".", ",")


def file_name(filename: str | None) -> str:
    """The name shown in messages: the last part of a path, or "(không tên)"."""
    return PurePath((filename or "").replace("\\", "/")).name or _("(không tên)")


def too_large(filename: str | None, size: int) -> PlanFileError:
    """The refusal of a file over the upload limit (also for a channel that did not
    download it, knowing only its size)."""
    return PlanFileError(
        _("Tệp {name} quá lớn ({size} MB); chỉ nhận tệp đến {limit} MB.").format(
            name=file_name(filename), size=_megabytes(size), limit=MAX_BYTES // (1024 * 1024)
        )
    )


def _ole2_error(data: bytes, name: str, extension: str) -> PlanFileError:
    if "EncryptedPackage".encode("utf-16-le") in data or extension in OFFICE_EXTENSIONS:
        return PlanFileError(
            _(
                "Tệp {name} được đặt mật khẩu (mã hoá) nên không đọc được; vui lòng gỡ mật khẩu "
                "rồi gửi lại."
            ).format(name=name)
        )
    if extension in (".xls", ".xlt") or "Workbook".encode("utf-16-le") in data:
        return PlanFileError(
            _("Tệp .xls (Excel 97-2003) chưa được hỗ trợ; vui lòng lưu lại thành .xlsx.")
        )
    return PlanFileError(
        _("Tệp .doc (Word 97-2003) chưa được hỗ trợ; vui lòng lưu lại thành .docx.")
    )


def _corrupt(name: str) -> PlanFileError:
    return PlanFileError(
        _(
            "Tệp {name} bị hỏng (không mở được như tệp Word/Excel); vui lòng lưu lại rồi gửi lại."
        ).format(name=name)
    )


def _zip_kind(data: bytes, name: str) -> str:
    """ "docx" or "xlsx" for an Office zip package; PlanFileError for anything else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Real inflated sizes and element counts, before any reader builds a tree.
            check_package(archive, name)
            names = {info.filename for info in archive.infolist()}
            types = b""
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")[:200_000]
            mimetype = archive.read("mimetype")[:200] if "mimetype" in names else b""
    except PlanFileError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, CRC errors, truncated members…
        raise _corrupt(name) from exc
    if b"wordprocessingml.document.main" in types:
        return "docx"
    if b"spreadsheetml.sheet.main" in types or b"ms-excel.sheet.macroEnabled.main" in types:
        return "xlsx"
    if b"ms-word.document.macroEnabled" in types or b"ms-word.template" in types:
        return "docx"
    if b"opendocument" in mimetype:
        raise PlanFileError(
            _(
                "Tệp {name} là tệp OpenDocument (LibreOffice), chưa được hỗ trợ; vui lòng lưu lại "
                "thành .docx hoặc .xlsx."
            ).format(name=name)
        )
    if b"presentationml" in types:
        raise PlanFileError(
            _(
                "Tệp PowerPoint không đọc được bảng kế hoạch; vui lòng gửi tệp Word (.docx) "
                "hoặc Excel (.xlsx)."
            )
        )
    if types or "word/document.xml" in names or "xl/workbook.xml" in names:
        raise _corrupt(name)
    raise PlanFileError(
        _(
            "Tệp {name} là tệp nén (.zip), không phải tệp Word hay Excel; vui lòng gửi tệp Word "
            "(.docx) hoặc Excel (.xlsx)."
        ).format(name=name)
    )


def _looks_like_text(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    head = data[:8192]
    if head.count(0) * 3 >= len(head) and head[0::2].count(0) != head[1::2].count(0):
        text = read_text.decode_text(head[: len(head) // 2 * 2])  # UTF-16 without BOM
    elif b"\x00" in head:
        return False
    else:
        text = read_text.decode_text(head)
    controls = sum(1 for c in text if (c < " " and c not in "\t\n\r\f") or c == "\ufffd")
    return controls <= len(text) // 100


def _dispatch(data: bytes, name: str, extension: str) -> ParsedPlan:
    if data.startswith(OLE2_MAGIC):
        raise _ole2_error(data, name, extension)
    if data.startswith(b"%PDF"):
        raise PlanFileError(
            _("Tệp PDF không đọc được bảng; vui lòng gửi tệp Word (.docx) hoặc Excel (.xlsx).")
        )
    if data.startswith(ZIP_MAGICS):
        kind = _zip_kind(data, name)
        # Imported when a file comes: python-docx and openpyxl (with numpy) weigh 50 MB
        # that an idle dondoc run need not hold (issue 24).
        from documents.read_docx import read_docx
        from documents.read_xlsx import read_xlsx

        return read_docx(data, source=name) if kind == "docx" else read_xlsx(data, source=name)
    if data.startswith(b"{\\rtf"):
        raise PlanFileError(_("Tệp RTF chưa được hỗ trợ; vui lòng lưu lại thành tệp Word (.docx)."))
    if data.startswith(IMAGE_MAGICS):
        raise PlanFileError(
            _(
                "Tệp ảnh không đọc được bảng; vui lòng gửi tệp Word (.docx) hoặc Excel (.xlsx), "
                "hoặc dán bảng vào tin nhắn."
            )
        )
    if extension in OFFICE_EXTENSIONS:
        raise _corrupt(name)
    if extension in TEXT_EXTENSIONS or _looks_like_text(data):
        return read_text.read_plan_text(read_text.decode_text(data), source=name)
    raise PlanFileError(
        _(
            "Không nhận ra loại tệp {name}; vui lòng gửi tệp Word (.docx), Excel (.xlsx), CSV "
            "hoặc dán bảng vào tin nhắn."
        ).format(name=name)
    )


def read_plan(data: bytes, filename: str) -> ParsedPlan:
    """Read a plan table from a file's bytes; raise PlanFileError if that cannot be done."""
    name = file_name(filename)
    if len(data) > MAX_BYTES:
        raise too_large(name, len(data))
    if not data.strip():
        raise PlanFileError(_("Tệp {name} trống, không có nội dung.").format(name=name))
    extension = PurePath(name).suffix.lower()
    try:
        return _dispatch(data, name, extension)
    except PlanFileError:
        raise
    except Exception as exc:
        logger.warning("cannot read plan file %r", name, exc_info=True)
        raise PlanFileError(
            _("Không đọc được tệp {name}: tệp bị hỏng hoặc không đúng định dạng.").format(name=name)
        ) from exc


def read_plan_text(text: str, source: str | None = None) -> ParsedPlan:
    """Read a plan table pasted into a message (tab-separated or csv text)."""
    name = source or _("tin nhắn")
    if not text.strip():
        raise PlanFileError(_("Tin nhắn không có bảng kế hoạch nào."))
    if len(text) > MAX_BYTES:
        raise PlanFileError(_("Văn bản quá dài để đọc như một bảng kế hoạch."))
    try:
        return read_text.read_plan_text(text, source=name)
    except PlanFileError:
        raise
    except Exception as exc:
        logger.warning("cannot read pasted plan", exc_info=True)
        raise PlanFileError(
            _("Không đọc được bảng trong {name}: không đúng định dạng.").format(name=name)
        ) from exc
