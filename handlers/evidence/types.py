"""What an evidence file is, read from its bytes alone, and the name it may carry.

The allow-list: PDF; Office documents (.doc/.docx/.odt, .xls/.xlsx/.ods, .ppt/.pptx);
pictures (JPEG, PNG, WebP, HEIC); plain text (.txt, .csv); and a zip holding only those.
Everything else (programs, web pages, SVG, scripts, archives of other things) is refused.
The sender's name never decides the type: a PDF named ``QD-12.html`` is a PDF, kept and
offered as ``QD-12.pdf``; the name only chooses between .csv and .txt for plain text.

Names lose their folders, their control and bidirectional characters (a right-to-left
override makes "QD-12‮fdp.bat" look like "QD-12tab.pdf") and get the extension of the
type found. Pure functions; the standard library's ``zipfile`` reads only the zip's
directory (and the few bytes of an OpenDocument ``mimetype``), never inflates a member.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

NAME_CHARS = 120  # of the name shown; the extension is kept
MAX_ZIP_MEMBERS = 2000  # an office file or a zip of evidence has far fewer
_SAMPLE = 4096  # bytes looked at to tell plain text from the rest
# Unicode categories removed from names: controls, format characters (bidi overrides,
# isolates, marks, zero-width joiners), line/paragraph separators, private use, surrogates.
_DROPPED = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}
_WORDLIKE_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|script|svg|\?xml|iframe|body|head)\b", re.I)


@dataclass(frozen=True)
class FileType:
    extension: str  # dondoc's own, with the dot: the stored and offered name's
    content_type: str
    aliases: tuple[str, ...] = ()  # other extensions a sender may use for the same type

    def fits(self, extension: str) -> bool:
        return extension == self.extension or extension in self.aliases


PDF = FileType(".pdf", "application/pdf")
JPEG = FileType(".jpg", "image/jpeg", (".jpeg", ".jpe", ".jfif"))
PNG = FileType(".png", "image/png")
WEBP = FileType(".webp", "image/webp")
HEIC = FileType(".heic", "image/heic", (".heif",))
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileType(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = FileType(".odt", "application/vnd.oasis.opendocument.text")
ODS = FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet")
DOC = FileType(".doc", "application/msword")
XLS = FileType(".xls", "application/vnd.ms-excel")
PPT = FileType(".ppt", "application/vnd.ms-powerpoint")
CSV = FileType(".csv", "text/csv")
TXT = FileType(".txt", "text/plain")
ZIP = FileType(".zip", "application/zip")
ALLOWED = (PDF, JPEG, PNG, WEBP, HEIC, DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS, PPT, CSV, TXT, ZIP)
ZIPPED = {t.extension: t for t in (DOCX, XLSX, ODT, ODS)}
OLE2 = {t.extension: t for t in (DOC, XLS)}
PICTURES = (JPEG, PNG, WEBP, HEIC)
# What a zip of evidence may hold, by its members' names (a zip inside a zip is refused).
_ZIP_MEMBERS = {e for t in ALLOWED if t is not ZIP for e in (t.extension, *t.aliases)}
_OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}
_OLE2_STREAMS = (  # the directory entry that names what an OLE2 file holds
    ("WordDocument".encode("utf-16-le"), DOC),
    ("Workbook".encode("utf-16-le"), XLS),
    ("Book".encode("utf-16-le") + b"\x00\x00", XLS),
    ("PowerPoint Document".encode("utf-16-le"), PPT),
)


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def by_content_type(content_type: str) -> FileType | None:
    return next((t for t in ALLOWED if t.content_type == content_type), None)


def picture(data: bytes) -> FileType | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif"):
        return HEIC
    return None


def _zipped(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return None
            names = {m.filename for m in members}
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100 or info.compress_size > 100:
                    return None
                return _OPEN_DOCUMENT.get(archive.read(info).strip())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    if "[Content_Types].xml" in names:
        for part, found in (
            ("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX)
        ):  # fmt: skip
            if part in names:
                return found
        return None
    files = [n for n in names if not n.endswith("/")]
    if files and all(extension_of(n.rsplit("/", 1)[-1]) in _ZIP_MEMBERS for n in files):
        return ZIP
    return None


def _ole2(data: bytes) -> FileType | None:
    for stream, found in _OLE2_STREAMS:
        if stream in data[:1_000_000] or stream in data[-1_000_000:]:
            return found
    return None


def _plain_text(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    if b"\x00" in sample or _MARKUP.search(sample):
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start <= len(sample) - 4:
            return False  # not cut at the sample's end: not UTF-8 text
        text = sample[: error.start].decode("utf-8")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
    return controls == 0


def sniff(name: str, data: bytes, kind: str = "document") -> FileType | None:
    """What ``data`` is, or None when dondoc does not keep such a file. ``kind`` "photo"
    (a channel's compressed picture) accepts pictures only."""
    found = picture(data)
    if kind == "photo" or found is not None:
        return found
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zipped(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole2(data)
    if data and _plain_text(data):
        return CSV if extension_of(clean_name(name)) == ".csv" else TXT
    return None


def clean_name(name: str) -> str:
    """The last part of ``name`` (no folders, no ".."), without control, bidirectional
    or other invisible characters, NFC-normalised; may be empty."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(c for c in name if unicodedata.category(c) not in _DROPPED)
    name = re.split(r"[/\\]", name)[-1]
    return name.strip().strip(".").strip()


def named_for(name: str, found: FileType | None) -> str:
    """``name`` cleaned, cut to ``NAME_CHARS``, and ending in ``found``'s extension (a
    different one is replaced: "bao-cao.exe" holding a PDF is "bao-cao.pdf"); "tep"
    with the extension when nothing is left."""
    name = clean_name(name)
    if found is not None and not found.fits(extension_of(name)):
        stem = _WORDLIKE_EXTENSION.sub("", name) if _WORDLIKE_EXTENSION.search(name) else name
        name = stem.rstrip(". ") + found.extension if stem.strip(". ") else ""
    if not name:
        return "tep" + (found.extension if found else "")
    if len(name) > NAME_CHARS:
        extension = extension_of(name)[:10]
        name = name[: NAME_CHARS - len(extension) - 1].rstrip() + "…" + extension
    return name
