"""The catalogs stay complete and sound.

Every message the code can say is in ``locales/messages.pot``, and every one of them
has an English translation that keeps the ``{placeholders}`` and /commands of its
Vietnamese msgid and leaves no Vietnamese outside quoted examples of what users type.
When a test here fails after changing a message: run ``make locales``, translate the
new entries in ``locales/en/LC_MESSAGES/messages.po``, and run again.
"""

from __future__ import annotations

import gettext
import os
import re
import string
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import locales
from locales import _, language, ngettext

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"
EN_PO = LOCALES / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
VI_PO = LOCALES / "vi" / "LC_MESSAGES" / "messages.po"

# What `make locales` extracts: the same folders, files and keywords.
SOURCE_DIRS = ("bot", "handlers", "language", "scheduler", "documents", "models", "web")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}

COMMAND = re.compile(r"(?<!\w)/[a-z]+(?!\w)")
# Letters only Vietnamese uses (not à, é, ó… which other languages share).
_VIETNAMESE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
VIETNAMESE_LETTERS = frozenset(_VIETNAMESE + _VIETNAMESE.upper())
# What may stay Vietnamese in English text: quoted examples of what users type (the
# bot reads Vietnamese), a typed command example after "e.g."/"for example" up to the
# end of its sentence, placeholders, and a few proper names.
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”')
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
COMMAND_EXAMPLE = re.compile(
    r"\b(?:e\.g\.|for example):?\s*/[a-z]+[^\n]*?(?=\.\s|\.?$)", re.IGNORECASE | re.MULTILINE
)
PROPER_NAMES = ("Biểu mẫu 1", "Tiếng Việt")

# Terms the product fixes (Biểu mẫu 1 categories, statuses, buttons, roles).
GLOSSARY = {
    "Hoàn thành đúng hạn": "Done on time",
    "Hoàn thành nhưng quá hạn": "Done late",
    "Quá hạn nhưng chưa hoàn thành": "Overdue, not done",
    "Đang thực hiện trong hạn": "In progress, within deadline",
    "Chưa thực hiện, chưa đến hạn": "Not started, not yet due",
    "Chưa phát sinh": "Not applicable (nothing to do this period)",
    "Hoàn thành": "Done",
    "Đang thực hiện": "In progress",
    "Chưa thực hiện": "Not started",
    "Xin gia hạn": "Request extension",
    "Hoàn tác": "Undo",
    "Duyệt": "Approve",
    "Từ chối": "Reject",
    "cán bộ phụ trách": "officer",
    "lãnh đạo": "leader",
    "quản trị": "admin",
    "theo dõi": "viewer",
    "Đã chuyển sang tiếng Việt.": "Switched to English.",
}


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    s = message.string
    return tuple(s) if isinstance(s, (tuple, list)) else (s,)


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _leftover_vietnamese(text: str) -> set[str]:
    text = unicodedata.normalize("NFC", text)
    for pattern in (QUOTED, PLACEHOLDER, COMMAND_EXAMPLE):
        text = pattern.sub("", text)
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    return set(text) & VIETNAMESE_LETTERS


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(POT)


@pytest.fixture(scope="module")
def english() -> Catalog:
    return _read(EN_PO, "en")


@pytest.fixture(scope="module")
def compiled_english() -> None:
    """A current English .mo, so the test also runs without ``make test``."""
    if EN_MO.exists() and EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime:
        return
    temporary = EN_MO.with_name(f"{EN_MO.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as f:
        write_mo(f, _read(EN_PO, "en"))
    os.replace(temporary, EN_MO)
    # Forget any older catalog already loaded in this process.
    locales._translations.cache_clear()
    cached = getattr(gettext, "_translations", None)
    if isinstance(cached, dict):
        cached.clear()


def test_template_has_every_message_of_the_code(template: Catalog) -> None:
    extracted: set[str | tuple[str, ...]] = set()
    for folder in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), method_map=[("**.py", "python"), ("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords=KEYWORDS
        ):
            extracted.add(message if isinstance(message, str) else tuple(message))
    in_template = {m.id for m in _messages(template)}
    assert extracted - in_template == set(), "new messages: run `make locales` and translate"
    assert in_template - extracted == set(), "messages gone from the code: run `make locales`"


def test_english_header(english: Catalog) -> None:
    assert english.num_plurals == 2
    assert english.plural_expr.replace(" ", "") == "(n!=1)"


def test_every_message_is_translated(template: Catalog, english: Catalog) -> None:
    problems = []
    for message in _messages(template):
        found = english.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {message.id!r}")
            continue
        strings = _strings(found)
        if found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if found.pluralizable and len(strings) != english.num_plurals:
            problems.append(f"needs {english.num_plurals} plural forms: {message.id!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
    assert problems == []


def test_english_has_no_stale_messages(template: Catalog, english: Catalog) -> None:
    stale = [m.id for m in _messages(english) if template.get(m.id, m.context) is None]
    assert stale == [], "run `make locales`"


def test_placeholders_are_kept(english: Catalog) -> None:
    problems = []
    for message in _messages(english):
        wanted = set().union(*(_placeholders(i) for i in _ids(message)))
        for text in _strings(message):
            if text and _placeholders(text) != wanted:
                problems.append(f"{message.id!r}: {text!r}")
    assert problems == []


def test_commands_are_kept(english: Catalog) -> None:
    problems = []
    for message in _messages(english):
        wanted = set().union(*(COMMAND.findall(i) for i in _ids(message)))
        for text in _strings(message):
            if text and set(COMMAND.findall(text)) != wanted:
                problems.append(f"{message.id!r}: {text!r}")
    assert problems == []


def test_no_vietnamese_outside_quoted_examples(english: Catalog) -> None:
    problems = []
    for message in _messages(english):
        for text in _strings(message):
            if "«" in text or "»" in text:
                problems.append(f"use English quotes: {text!r}")
            if leftover := _leftover_vietnamese(text):
                problems.append(f"{''.join(sorted(leftover))} in {text!r}")
    assert problems == []


def test_the_checker_sees_vietnamese() -> None:
    assert _leftover_vietnamese("Đã xong") == {"Đ"}
    assert _leftover_vietnamese('Reply "Hoàn thành, lý do: chờ" or {tên}') == set()
    assert _leftover_vietnamese("Usage: /giahan NUMBER, e.g. /giahan 12 chờ kinh phí") == set()
    assert _leftover_vietnamese("e.g. /capnhat 1 Xong. Rồi nhé") == {"ồ"}


def test_glossary(english: Catalog) -> None:
    assert {vi: english[vi].string for vi in GLOSSARY} == GLOSSARY


def test_english_at_run_time(compiled_english: None, template: Catalog, english: Catalog) -> None:
    with language("en"):
        assert _("Hoàn thành") == "Done"
        assert _("Đã chuyển sang tiếng Việt.") == "Switched to English."
        one = ngettext("{n} ngày làm việc", "{n} ngày làm việc", 1).format(n=1)
        many = ngettext("{n} ngày làm việc", "{n} ngày làm việc", 3).format(n=3)
        assert (one, many) == ("1 working day", "3 working days")
        stale = []
        for message in _messages(template):
            strings = _strings(english[message.id])
            if isinstance(message.id, tuple):
                got = tuple(ngettext(*message.id, n) for n in (1, 2))
            else:
                got = (_(message.id),)
            if got != strings:
                stale.append(message.id)
        assert stale == [], "the compiled catalog is out of date: run `make locales-compile`"


def test_vietnamese_is_the_msgid(template: Catalog) -> None:
    assert VI_PO.exists()
    assert _read(VI_PO, "vi").locale.language == "vi"
    with language("vi"):
        for message in _messages(template):
            if isinstance(message.id, tuple):
                singular, plural = message.id
                assert ngettext(singular, plural, 1) == singular
                assert ngettext(singular, plural, 5) == plural
            else:
                assert _(message.id) == message.id
