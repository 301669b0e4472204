"""Reading a command as people type it on a phone: Vietnamese keyboards add the accents
by themselves ("/việc", "/tiến độ quý 3", "/hoàn tác"), some capitalise ("/Tiến độ"),
and in groups Telegram appends the bot's name ("/viec@dondoc_bot"). Diacritics, case
and the spaces inside a command's name are folded before matching; an unknown name
gets the nearest known one (difflib), never the whole help text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection

MAX_NAME_WORDS = 3  # "/tiến độ" is two words, "/hoàn tác" two; none has more than three


def fold_word(word: str) -> str:
    """"Tiến" → "tien", "Độ" → "do"; anything not a letter or digit is dropped."""
    out = []
    for ch in unicodedata.normalize("NFD", word.casefold()):
        if unicodedata.combining(ch):
            continue
        ch = "d" if ch in "đð" else ch
        if ch.isascii() and (ch.isalnum() or ch == "_"):
            out.append(ch)
    return "".join(out)


def parse_command(text: str, known: Collection[str]) -> tuple[str, str] | None:
    """(name, arguments as typed) for a text starting with "/", else None. The name is
    the longest run of up to three words that folds to a known command ("/tiến độ quý 3"
    → ("tiendo", "quý 3")); an unknown one comes back folded, first word only."""
    text = text.strip()
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return None
    words = text[1:].split()
    first, _at, _bot = words[0].partition("@")  # "/viec@dondoc_bot 12"
    words[0] = first
    for count in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        if count > 1 and "@" in text[1:].split()[0]:
            continue  # the bot's name ends the command's name
        name = "".join(fold_word(w) for w in words[:count])
        if name in known:
            return name, _rest(text, count)
    name = fold_word(first)
    glued = re.fullmatch(r"([a-z_]+?)(\d+)", name)
    if glued and glued[1] in known:  # "/viec12"
        return glued[1], (glued[2] + " " + _rest(text, 1)).strip()
    return name or first[:30], _rest(text, 1)


def _rest(text: str, words: int) -> str:
    parts = text[1:].split(maxsplit=words)
    return parts[words].strip() if len(parts) > words else ""


def nearest(name: str, known: Collection[str]) -> str | None:
    """The known command closest to a mistyped ``name`` ("tiendoo" → "tiendo")."""
    if not name:
        return None
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if found:
        return found[0]
    prefixed = sorted(c for c in known if c.startswith(name[:3]))
    return prefixed[0] if len(name) >= 3 and prefixed else None
