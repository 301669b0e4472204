"""Greetings, thanks, acknowledgements and cancel words: messages that are not a report.

"ok", "dạ vâng", "cám ơn ạ", "👍", "đã nhận", "hủy", "không", "chào anh", "thanks" get one
short friendly line and leave the task's history alone (issue 10, item 4). A message is
small talk when, folded like a status reply (diacritics, case, punctuation and held-down
letters do not matter), it is made only of such words and forms of address ("anh", "chị",
"ạ", "nhé"), or only of emoji. Anything carrying a status ("ok đã xong", "không thực hiện
được") or a number (a menu answer on Zalo) is not small talk.
"""

from __future__ import annotations

import re
import unicodedata

from language.status_words import fold

_MAX_CHARS = 200  # small talk is short; a long message is never one

# Folded phrases, longest first when matched; "dạ" is folded to "vang" by ``fold``.
_HEADS = {
    "ok", "oke", "okie", "oki", "okay", "okela", "okla", "uk", "uh", "um", "uhm", "u",
    "vang", "da", "da vang", "cam on", "thanks", "thank you", "thank u", "thank", "tks",
    "thx", "ty", "many thanks", "da nhan", "nhan duoc", "da nhan duoc", "em nhan", "nhan",
    "ro", "da ro", "noted", "got it", "received", "dong y", "nhat tri", "duoc", "dc",
    "chao", "xin chao", "hi", "hello", "hey", "alo", "bye", "tam biet", "yes", "sure",
    "great", "good", "tot", "fine", "ack", "good morning", "chuc", "chuc mung",
}  # fmt: skip
_CANCEL = {"huy", "huy bo", "thoi", "khong", "ko", "k", "no", "cancel", "stop", "bo qua"}
_GREETINGS = {"chao", "xin chao", "hi", "hello", "hey", "alo", "good morning"}
# "em không hiểu", "giúp em với", "hướng dẫn": someone lost, not a report on a task.
_HELP = {
    "khong hieu", "chua hieu", "ko hieu", "k hieu", "giup", "giup do", "huong dan", "help",
    "lam sao", "lam the nao", "the nao", "sao", "hoi", "can giup",
}  # fmt: skip
_PARTICLES = {
    "a", "nhe", "nha", "roi", "r", "oi", "anh", "chi", "em", "ban", "bot", "sep", "thay",
    "co", "chu", "bac", "moi nguoi", "ca nha", "rat nhieu", "nhieu", "lam", "vay", "the",
    "you", "very much", "so much", "a lot", "lots", "too", "all", "everyone", "nhiu", "ah",
    "ak", "dondoc", "nhieu nhe", "ha", "hen", "luon", "sang", "buoi sang", "ngay tot lanh",
    "a oi", "much", "ca", "minh", "toi", "em da", "day",
}  # fmt: skip
_PHRASES = {**dict.fromkeys(_PARTICLES, "particle"), **dict.fromkeys(_HEADS, "head")}
_PHRASES.update(dict.fromkeys(_CANCEL, "cancel"))
_PHRASES.update(dict.fromkeys(_GREETINGS, "greeting"))
_PHRASES.update(dict.fromkeys(_HELP, "help"))
_PHRASES["voi"] = "particle"  # "giúp em với"
# "không nhận được", "ko đồng ý": a cancel word before these says something else.
_NEGATABLE = {"nhan", "nhan duoc", "da nhan", "da nhan duoc", "duoc", "dc", "ro", "da ro"}
_NEGATABLE |= {"dong y", "nhat tri", "ok", "oke", "tot", "good", "fine", "sure", "yes"}
_LONGEST = max(len(p.split()) for p in _PHRASES)
_NOT_WORD = re.compile(r"[^\w\s]|_")


def _phrases(words: list[str]) -> list[str] | None:
    """The phrases, matching the longest first; None if a word is not small talk."""
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in _PHRASES:
                found.append(phrase)
                i += size
                break
        else:
            return None
    return found


def is_acknowledgement(text: str) -> bool:
    """Is ``text`` only a greeting, thanks, an acknowledgement or a cancel word?"""
    if not text or len(text) > _MAX_CHARS:
        return False
    n, _, _ = fold(text)
    words = _NOT_WORD.sub(" ", n).split()
    if not words:  # emoji alone ("👍", "🙏", "👌👌"): a reaction
        return any(unicodedata.category(c) in ("So", "Sk") for c in text)
    phrases = _phrases(words)
    if phrases is None or all(_PHRASES[p] == "particle" for p in phrases):
        return False
    heads = [p for p in phrases if _PHRASES[p] != "particle"]
    # "không cảm ơn" is small talk, "không nhận được" is a complaint.
    return not any(
        _PHRASES[a] == "cancel" and b in _NEGATABLE for a, b in zip(heads, heads[1:], strict=False)
    )


def small_talk_kind(text: str) -> str | None:
    """What a message that is not a report says: "help" ("em không hiểu", "?"),
    "greeting" ("chào anh", "alo"), "cancel" ("thôi", "hủy") or "thanks" (the rest of
    small talk); None for anything else."""
    stripped = text.strip()
    if stripped and len(stripped) <= 10 and set(stripped) <= set("?？ "):
        return "help"
    if not is_acknowledgement(stripped):
        return None
    n, _, _ = fold(stripped)
    phrases = _phrases(_NOT_WORD.sub(" ", n).split()) or []
    kinds = {_PHRASES[p] for p in phrases} - {"particle"}
    if "help" in kinds:
        return "help"
    if kinds in ({"cancel"}, {"greeting"}):
        return kinds.pop()
    return "thanks"
