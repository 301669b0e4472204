"""The compiler's review before the appendix goes out: which rows need a look, and why.

A row needs a look when nobody reported the task and its time has come (its result cell
is left blank), when the officer's words were typed without diacritics (never put
silently into an official document), when the result is longer than an appendix cell
should be, when the words contradict the recorded status ("Hoàn thành" recorded,
"chưa thực hiện" written), or when a finished task's only evidence is a file (its
name is no citation: the document's number and date are wanted). Pure rules; ``report_rows`` attaches the reasons to each row
and the /baocao command and ``dondoc report --check`` list them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from documents.accent_phrases import left_unaccented
from documents.result_words import names_a_file
from locales import N_
from models.progress import Reported, TaskFacts
from models.unit_names import fold

UNREPORTED, NO_DIACRITICS, TOO_LONG, CONTRADICTS, FILE_ONLY = (
    "unreported",
    "no_diacritics",
    "too_long",
    "contradicts",
    "file_only",
)
LABELS: dict[str, str] = {
    UNREPORTED: N_("chưa ai báo cáo kết quả"),
    NO_DIACRITICS: N_("gõ không dấu"),
    TOO_LONG: N_("nội dung quá dài"),
    CONTRADICTS: N_("nội dung trái với tình trạng đã ghi"),
    FILE_ONLY: N_("chỉ có tệp minh chứng, chưa ghi số, ngày văn bản"),
}
LONG = 600  # characters; a longer result fills more than half a page of the column

_WORD = re.compile(r"[^\W\d_]{2,}")
# A Vietnamese word in plain ASCII that always carries a mark when typed properly.
_UNMARKED = re.compile(
    r"\b(?:hoan|thanh|thuc|hien|chua|dang|xong|ngay|quyet|dinh|ke hoach|bao cao|"
    r"ly do|phat sinh|to chuc|trien khai|ban hanh|tuyen truyen|hoi nghi)\b"
)
_SAYS_NOT_DONE = re.compile(r"\b(?:chua|khong)\s+(?:thuc hien|hoan thanh|xong|lam|trien khai)\b")
_SAYS_DONE = re.compile(r"(?<!chua )(?<!khong )\b(?:da\s+)?(?:hoan thanh|xong)\b")


def typed_without_diacritics(text: str) -> bool:
    """Words a person typed without marks ("hoan thanh, QD so 12 ngay 9/1") that the
    documents cannot print accented (``accent_phrases`` restores whole clauses of common
    phrases: "hoan thanh" alone is printed "hoàn thành", unflagged). Codes such as
    "UBND" or "KH" alone are not enough to say so."""
    text = left_unaccented(text)
    words = _WORD.findall(text)
    if len(words) < 2 or not text.isascii():
        return False
    return bool(_UNMARKED.search(text.lower()))


def contradicts(status: str, text: str) -> bool:
    """The words say the opposite of the recorded status."""
    folded = fold(text)
    if status == "done":
        return bool(_SAYS_NOT_DONE.search(folded))
    if status == "not_started":
        return bool(_SAYS_DONE.search(folded)) and not _SAYS_NOT_DONE.search(folded)
    return False


def review_reasons(facts: TaskFacts, reports: Sequence[Reported], result: str) -> tuple[str, ...]:
    """Why the row of this task needs the compiler's look; () when it does not."""
    said = [r for r in reports if r.text.strip()]
    reasons: list[str] = []
    if not result.strip():
        reasons.append(UNREPORTED)
    if any(typed_without_diacritics(r.text) for r in said):
        reasons.append(NO_DIACRITICS)
    if len(result) > LONG:
        reasons.append(TOO_LONG)
    statuses = [r for r in reports if r.status != "note"]
    if statuses and contradicts(facts.status, statuses[-1].text):
        reasons.append(CONTRADICTS)
    evidence = [item for r in reports for item in r.evidence]
    if facts.status == "done" and evidence and all(map(names_a_file, evidence)):
        reasons.append(FILE_ONLY)  # the cell leaves the file name out: the number is wanted
    return tuple(reasons)


def review_note(reasons: Sequence[str]) -> str:
    """The note on a cell to look at, in the document's language (Vietnamese)."""
    return "Cần xem lại: " + "; ".join(LABELS[r] for r in reasons if r in LABELS)
