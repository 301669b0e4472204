"""The words: gettext catalogs and the current person's language.

Message ids are the Vietnamese text users see (Vietnamese is the product's language,
so a missing English translation still shows correct Vietnamese). The language of the
person being answered lives in a ContextVar, set per update by the channel layer, in
the manner of aiogram's i18n middleware; every room calls ``_()`` without passing it.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")
_DIR = Path(__file__).resolve().parent
_current: ContextVar[str] = ContextVar("dondoc_language", default=DEFAULT_LANGUAGE)


@cache
def _translations(language: str) -> gettext.NullTranslations:
    return gettext.translation("messages", localedir=_DIR, languages=[language], fallback=True)


def current_language() -> str:
    return _current.get()


def set_language(language: str | None) -> None:
    """Set the language for the rest of this task/context."""
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` (a Vietnamese msgid) into the current language."""
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message
