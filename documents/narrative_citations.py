"""How the draft report cites documents: each once in the whole report, the fullest
spelling kept; an officer's account that names a document may carry it ("Đã ban hành
QĐ số 12… về việc …"), up to the next document it names; an account that only names a
document cited before is not repeated; and the words after a reference tell who issued
it ("… của UBND thành phố"). Pure helpers of ``documents.narrative_content``."""

from __future__ import annotations

from collections.abc import Sequence

from models.progress import Reported
from models.unit_names import fold

# What may stand before a document an account names for it to be the sentence's object.
OPENINGS = {"", "da ban hanh", "ban hanh", "da xay dung", "xay dung"}


class Citations:
    """Each document cited once in the whole report, the fullest spelling kept."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def new(self, reference: str) -> bool:
        key = fold(reference)
        if any(key in fold(s) or fold(s) in key for s in self.seen):
            return False
        self.seen.append(reference)
        return True


def only_cites(account: str, reference: str) -> bool:
    """The account says little beyond naming ``reference`` ("Theo Kế hoạch số 14…")."""
    folded, key = fold(account), fold(reference)
    if key not in folded:
        return False
    return len(folded.replace(key, " ").replace(",", " ").split()) <= 3


def until_next(rest: str, documents: Sequence[tuple[str, Reported]], item: str) -> str:
    """What an account says after a reference ("về việc …"), up to the next document
    it names (cited on its own, once)."""
    folded = fold(rest)
    ends = [
        at
        for other, _report in documents
        if fold(other) != fold(item) and (at := folded.find(fold(other))) >= 0
    ]
    return rest[: min(ends, default=len(rest))].rstrip(" .;,") if len(folded) == len(rest) else rest.rstrip(" .;,")


def after(text: str, reference: str) -> str:
    """The words that follow ``reference`` in ``text`` (who issued it, if said)."""
    folded, key = fold(text), fold(reference)
    at = folded.find(key)
    return " " + text[at + len(key) : at + len(key) + 60] if at >= 0 else ""
