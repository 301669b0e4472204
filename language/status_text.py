"""Understanding an officer's free-text status reply ("Hoàn thành, QĐ số 12/QĐ-UBND ...").

Hand-written, because no library understands these replies: officers answer from their
phones, often without diacritics ("chua thuc hien, ly do cho huong dan"), in the phrases
of the official reports ("Đã thực hiện và tiếp tục thực hiện cả năm 2026"), and sometimes
in English ("in progress 40%", "not yet, waiting for the city guidance"). Only the first
4,096 characters of a reply are read (a Telegram message is no longer; the whole text is
still kept in ``StatusReading.text``).

Decisions, in the order they are applied (first match wins):
extension ("xin gia hạn/lùi hạn …", "thêm thời gian", "extend", "2 more weeks"; not
negated) → not_applicable ("chưa/không phát sinh", "không áp dụng", "not applicable") →
not_started ("chưa/không thực hiện|làm|triển khai|trình…", "không (kịp) hoàn thành",
"not started", "cannot be done", "chưa đến thời gian…"; unless part of the work is done:
"xong dự thảo, chưa ban hành" is in progress) → in_progress when sent up for signature,
approval or appraisal and not approved since ("đã trình (ký)", "chờ phê duyệt", "đang
chờ Phòng … thẩm định", "đã gửi xin ý kiến", "submitted for approval") → not_started for
a reply opening with "đang chờ/chờ/waiting" → 0% → in_progress for part of the work
("xong phần khảo sát", "hoàn thành bước 1", "xong dự thảo", "được 2/4 nội dung", "một
nửa", "cơ bản hoàn thành"), "chưa/sắp/gần … xong", "almost done", any percent below
100, the continuous-task phrases ("tiếp tục thực hiện", "thường xuyên", "cả năm") →
done (100%) → in_progress ("đang thực hiện|làm|…", "mới bắt đầu", "in progress",
"working on it", even beside "xong") → not_started for "Chưa, vì …", "Chưa ạ, …", "not
yet, …" → done ("hoàn thành", "xong", "HT", "done", "finished", "completed"; not
negated, not asked about ("xong chưa?"), and not after "sẽ/dự kiến/tuần sau/will" (a
plan: in_progress) or "đề nghị/yêu cầu/cần/khó/please" (an instruction or a doubt:
unknown)) → done, less sure ("đã ban hành|tổ chức|gửi|…", or only a document reference
and no "?") → in_progress, less sure ("đang" with another verb: "đang khảo sát") →
unknown.
So "chưa hoàn thành" is in progress (not yet finished) while "không hoàn thành" is not
started (will not be finished); "chưa" or "not yet" alone stays unknown. A reason is what
follows "lý do", "nguyên nhân", "vì", "do", "bởi", "because", "due to", "since" (one-word
Vietnamese markers only unaccented or with their own accent, so "đơn vị", "đó" never start
one). Without a marker, a not-started reply takes the rest of its clause ("chưa làm, chờ
kinh phí") and an extension the two or more words after its date ("đến 20/12 chờ kinh
phí", not "đến 20/12 ạ"); done has no reason.
Extension dates ("đến 20/12", "quý III", "thêm 10 ngày làm việc", "end of month") are read
in ``status_dates``; the words and the folding are in ``status_words``.

Confidence (``StatusReading.confidence``; ``SURE`` = 0.75: at or above it the reading is
recorded, below it the officer is asked to confirm with one tap):
- 0.95 an explicit phrase: "hoàn thành", "xong", "done", 100%;
- 0.9  a percent, "đang thực hiện", an explicit "chưa thực hiện", 0%, not applicable,
       an extension with a date read;
- 0.85 "chưa hoàn thành", part of the work done;
- 0.8  an extension without a date, sent up for approval, a continuous task, "Chưa, vì …",
       a finished act ("đã ban hành", "đã tổ chức", "đã thực hiện"), a step that may not
       be the whole task ("đã gửi", "đã triển khai") together with a document reference;
- 0.7  a reply that only opens with "đang chờ/waiting";
- 0.6  done inferred only from such a step or only from a document reference; "đang"
       with a verb not in our list;
- 0.5  "sẽ hoàn thành/dự kiến hoàn thành" (a plan, read as in progress), and any reading
       beside a cue of another status ("đã hoàn thành, đang chờ phê duyệt", "xong, đang
       làm"): conflicting signals;
- then −0.1 when a typo had to be repaired, at most 0.4 when the reply holds a "?";
- 0.0  unknown.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import islice

from language.small_talk import is_acknowledgement
from language.status_cues import NO_SUBJECT, late_but_going, more_time, only_polite, task_percent
from language.status_dates import until_asked
from language.status_words import (
    ACCENTED_AS,
    ACT_DONE,
    APPROVED,
    ASKED,
    CLAUSE_END,
    CONTINUOUS,
    COUNTED,
    COUNTING,
    DIRECTIVE_WORDS,
    DOUBT_WORDS,
    EVIDENCE,
    EXTENSION,
    FRACTION,
    FUTURE_WORDS,
    IN_PROGRESS,
    LOOSE_PROGRESS,
    NO,
    NOT_APPLICABLE,
    NOT_STARTED,
    NOT_YET,
    NOT_YET_TIME,
    PARTIAL,
    PUNCT,
    REASON,
    STRONG_DONE,
    SUBMITTED,
    UNFINISHED,
    WAITING,
    WEAK_DONE,
    fold,
    negated,
    preceded_by,
    span,
    words_before,
)

__all__ = ["SURE", "STATUSES", "StatusReading", "extract_evidence", "understand_status"]
__all__ += ["is_acknowledgement"]  # lives in small_talk; the handlers import it from here

STATUSES = ("done", "in_progress", "not_started", "not_applicable", "extension", "unknown")
SURE = 0.75  # confidence at or above which a reading is recorded without asking
MAX_CHARS = 4096  # only this much of a reply is read (issue 12: bounded input)


def extract_evidence(text: str) -> list[str]:
    """Document references ("QĐ số 12/QĐ-UBND ngày 09/01/2026", "CV 45/UBND") as written,
    in order; one per number/symbol (the first spelling wins)."""
    text = text[:MAX_CHARS]
    n, pos, _ = fold(text)
    return list(_evidence(text, n, pos))


@dataclass(frozen=True)
class StatusReading:
    status: str
    percent: int | None
    reason: str | None
    evidence: tuple[str, ...]
    until: date | None
    text: str
    confidence: float = 1.0  # a reading built by hand (a button, /giahan) is sure

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "percent": self.percent,
            "reason": self.reason,
            "evidence": list(self.evidence),
            "until": self.until.isoformat() if self.until else None,
            "confidence": self.confidence,
        }


# --- evidence and reasons ----------------------------------------------------------


def _evidence(text: str, n: str, pos: list[int]) -> tuple[str, ...]:
    """Document references in the folded text, as written; one per number/symbol."""
    found: list[str] = []
    seen: set[str] = set()
    for m in EVIDENCE.finditer(n):
        key = m.group("sym") or m.group("bare") or m.group(0)
        if key not in seen:
            seen.add(key)
            found.append(span(text, pos, m.start(), m.end()))
    return tuple(found)


def _clause(text: str, n: str, pos: list[int], start: int) -> str | None:
    """Original text from ``start`` to the end of its clause, trimmed; None if empty."""
    while start < len(n) and n[start] in " ,:-–":
        start += 1
    end = CLAUSE_END.search(n, start)
    return span(text, pos, start, end.start() if end else len(n)).strip(PUNCT) or None


def _written(text: str, pos: list[int], where: tuple[int, int]) -> str:
    """The original of folded[start:end], composed and casefolded ("chờ", not "cho")."""
    return unicodedata.normalize("NFC", span(text, pos, *where)).casefold()


def _reason(text: str, n: str, pos: list[int]) -> tuple[str | None, int | None]:
    """(reason, where its marker starts in the folded text)."""
    for m in REASON.finditer(n):
        word = m.group(1)
        if word in ACCENTED_AS and _written(text, pos, m.span(1)) not in ACCENTED_AS[word]:
            continue
        return _clause(text, n, pos, m.end()), m.start()
    return None, None


# --- status --------------------------------------------------------------------------

OUT_OF_RANGE = -1  # "150%": not a percent of work done; the reply is not understood
_MANY = 64  # a reply names a few counts and "done" words; more are not read one by one
_NOT_A_REPORT = DIRECTIVE_WORDS | DOUBT_WORDS
_DATE_BEFORE = {"ngay", "den", "truoc", "tu", "sau", "on", "by", "until"}


def _percent(n: str) -> int | None:
    m = task_percent(n)  # «giải ngân đạt 54,9%» measures something else
    if not m:
        return None
    digits = m[1].lstrip("0") or "0"
    return OUT_OF_RANGE if len(digits) > 3 or int(digits) > 100 else int(digits)


def _partial(n: str) -> tuple[bool, set[int]]:
    """(is part of the work reported done?, where the "done" words of those parts start)."""
    starts = {m.start() for m in PARTIAL.finditer(n)}
    found = bool(starts)
    for m in islice(FRACTION.finditer(n), _MANY):  # "được 2/4 nội dung", "3 trên 5" (not 9/1)
        a, b = int(m[1]), int(m[2])
        if a >= b or set(words_before(n, m.start(), 1)) & _DATE_BEFORE:
            continue
        if COUNTED.match(n, m.end()) or preceded_by(n, m.start(), COUNTING, 2):
            found = True
            for count in (1, 2):  # where "xong" or "hoàn thành" before the count starts
                words = words_before(n, m.start(), count)
                if len(words) == count:
                    starts.add(m.start() - len(" ".join(words)) - 1)
    return found, starts


def _asked(n: str, end: int) -> bool:
    """Is the clause after a "done" word a question ("xong chưa anh?", "hoàn thành?")."""
    if ASKED.match(n, end):
        return True
    stop = CLAUSE_END.search(n, end, end + 200)
    return stop is not None and stop[0] == "?"


def _done_words(n: str, parts: set[int]) -> tuple[bool, bool, bool]:
    """("done" said, "done" only planned: "sẽ hoàn thành", only asked: "đề nghị hoàn thành")."""
    said = planned = told = False
    for m in islice(STRONG_DONE.finditer(n), _MANY):
        if m.start() in parts or negated(n, m.start()) or _asked(n, m.end()):
            continue
        if preceded_by(n, m.start(), FUTURE_WORDS):
            planned = True
        elif preceded_by(n, m.start(), _NOT_A_REPORT, 6):
            told = True
        else:
            return True, planned, told  # said: nothing after it changes the reading
    return said, planned, told


def _submitted(n: str) -> bool:
    """Sent up for signature/approval/appraisal, and not approved after that."""
    for m in SUBMITTED.finditer(n):
        if negated(n, m.start()):
            continue
        after = (a for a in APPROVED.finditer(n, m.end()) if not negated(n, a.start()))
        return next(after, None) is None
    return False


def understand_status(text: str, today: date) -> StatusReading:
    """Read an officer's reply to a reminder; ``today`` anchors relative dates."""
    full, text = text, text[:MAX_CHARS]
    n, pos, repaired = fold(text)
    evidence = _evidence(text, n, pos)

    def read(
        status: str,
        percent: int | None = None,
        reason: str | None = None,
        until: date | None = None,
        sure: float = 0.0,
    ) -> StatusReading:
        percent = 100 if status == "done" else percent
        if status == "unknown":
            sure = 0.0
        else:
            sure = min(sure - 0.1 * bool(repaired), 0.4 if "?" in text else 1.0)
        return StatusReading(status, percent, reason, evidence, until, full, round(sure, 2))

    if not n.strip():
        return read("unknown")
    reason, marker = _reason(text, n, pos)
    pct = _percent(n)
    partial, parts = _partial(n)
    said, planned, told = _done_words(n, parts)
    submitted = _submitted(n)
    started_m = NOT_STARTED.search(n)
    cues = {
        "done": said and pct is None,
        "in_progress": bool(partial or submitted or IN_PROGRESS.search(n) or UNFINISHED.search(n))
        or (pct is not None and 0 < pct < 100),
        "not_started": started_m is not None,
    }

    def sure(base: float, status: str, against: tuple[str, ...]) -> float:
        """``base``, or at most 0.5 when the reply also says another status."""
        return min(base, 0.5) if any(cues[o] for o in against if o != status) else base

    ext = next((m for m in EXTENSION.finditer(n) if not negated(n, m.start(), NO)), None)
    asked = None if ext else more_time(text, n, pos)  # "cho em lùi đến 18/12", "thêm 2 tuần"
    ext = ext or (asked if asked and not negated(n, asked.start(), NO) else None)
    if ext:
        stop = marker if marker is not None and marker >= ext.end() else len(n)
        counted = ext is asked or any(c.isdigit() for c in ext[0])  # "2 more weeks"
        until, end = until_asked(text, n, pos, ext.start() if counted else ext.end(), stop, today)
        if reason is None and until is not None:  # "đến 20/12 chờ kinh phí" (not "20/12 ạ")
            reason = _clause(text, n, pos, end)
            short = not reason or len(reason.split()) < 2 or only_polite(fold(reason)[0])
            reason = None if short else reason
        base = 0.9 if until else 0.8
        return read("extension", None, reason, until, sure(base, "", ("done",)))
    if NOT_APPLICABLE.search(n):
        return read("not_applicable", None, reason, None, sure(0.9, "", ("done",)))
    no_one = NO_SUBJECT.search(n)  # "Không có đối tượng", not "… vì không có đối tượng"
    if no_one and not said and (marker is None or no_one.start() < marker):
        return read("not_applicable", None, reason, None, 0.85)
    if pct == OUT_OF_RANGE:
        return read("unknown")
    everything = ("done", "in_progress", "not_started")
    if started_m and late_but_going(n, started_m):  # "không kịp hoàn thành, vẫn đang làm"
        share = pct if pct is not None and 0 < pct < 100 else None
        return read("in_progress", share, reason, None, sure(0.85, "in_progress", ("done",)))
    if started_m and not partial:  # "xong dự thảo, chưa ban hành" is in progress
        why = reason or _clause(text, n, pos, started_m.end())
        return read(
            "not_started",
            pct if pct == 0 else None,
            why,
            None,
            sure(0.9, "not_started", everything),
        )
    if m := NOT_YET_TIME.search(n):
        why = reason or _clause(text, n, pos, m.start())
        return read("not_started", None, why, None, sure(0.9, "not_started", everything))
    if submitted:  # "đã trình ký", "chờ phê duyệt": the product waits for someone else
        share = pct if pct is not None and 0 < pct < 100 else None
        return read("in_progress", share, reason, None, sure(0.8, "in_progress", everything))
    m = WAITING.search(n)
    if m and (
        m[1] or m[2] not in ("cho", "doi") or _written(text, pos, m.span(2)) in ("chờ", "đợi")
    ):
        why = reason or _clause(text, n, pos, m.start(2))
        return read("not_started", None, why, None, sure(0.7, "not_started", everything))
    if pct == 0:
        return read("not_started", 0, reason, None, sure(0.9, "not_started", everything))
    if partial or UNFINISHED.search(n) or (pct is not None and pct < 100):
        base = 0.9 if pct is not None else 0.85
        return read("in_progress", pct, reason, None, sure(base, "in_progress", everything))
    if CONTINUOUS.search(n):
        share = None if pct == 100 else pct
        return read("in_progress", share, reason, None, sure(0.8, "in_progress", everything))
    if pct == 100:
        return read("done", sure=sure(0.95, "done", everything))
    if IN_PROGRESS.search(n):  # "đã xong phần 1, đang làm phần 2": not done yet
        return read("in_progress", pct, reason, None, sure(0.9, "in_progress", everything))
    if m := NOT_YET.search(n):  # "Chưa, vì chưa có kinh phí"
        why = reason or _clause(text, n, pos, m.end())
        return read("not_started", None, why, None, sure(0.8, "not_started", everything))
    if said:
        return read("done", sure=sure(0.95, "done", everything))
    if planned:  # "sẽ hoàn thành trước 30/6": a plan, not a report
        return read("in_progress", None, reason, None, 0.5)
    if told:  # "đề nghị hoàn thành trước 10/5": an instruction
        return read("unknown")
    if ACT_DONE.search(n):
        return read("done", sure=0.8)
    if WEAK_DONE.search(n):
        return read("done", sure=0.8 if evidence else 0.6)
    if evidence and "?" not in text:
        return read("done", sure=0.6)
    if LOOSE_PROGRESS.search(n):  # "đang khảo sát …": "đang" with a verb we do not know
        return read("in_progress", pct, reason, None, 0.6)
    return read("unknown")
