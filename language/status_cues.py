"""More cues of officers' status replies (issue 26), read on the folded reply of
``status_words.fold``: an extension asked without "xin gia hạn" ("cho em lùi đến 18/12",
"cho e xin thêm 2 tuần nữa", "dời sang tuần sau", "one more week"); a task that will not
be finished on time but is still being done ("Không hoàn thành được đúng hạn, vẫn đang
làm tiếp"); no one the task applies to ("Không có đối tượng", "không có trường hợp
nào"); and a percent that measures something else than the work done («giải ngân đạt
54,9%», «100% TTHC đã công khai», «tỷ lệ hài lòng đạt 95%»).

Hand-written, like the rest of the reply reader (no library reads these replies). Every
pattern is linear: bounded repetitions only, and look-backs read a bounded window.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

from language.status_words import IN_PROGRESS, PERCENT, span, words_before

_COUNT = r"(?:\d{1,3}|mot|vai|it|may)"
_UNIT = r"(?:ngay|tuan|thang|hom|buoi)"
# "cho" folds from both "cho" (give, let) and "chờ" (wait): the groups named give* are
# checked against the original spelling, and "chờ thêm 2 tuần" is no request.
MORE_TIME = re.compile(
    rf"\blui(?:\s(?:lai|them|han|thoi han))?\s(?:den|sang|toi|ra|{_COUNT}\s{_UNIT})\b"
    r"|\bdoi\s(?:han|sang|lai\s(?:den|sang|toi))\b"
    r"|\bhoan\s(?:lai\s)?(?:den|sang|toi)\b"
    r"|\b(?P<give1>cho)\s(?:\w+\s){0,3}?(?:khat|no)\s(?:den|sang|toi|them)\b"
    rf"|\b(?:xin\s|(?P<give2>cho)\s(?:\w+\s){{0,3}}?)(?:xin\s)?them\s{_COUNT}\s{_UNIT}\b"
    r"|\bxin\s(?:them\s)?thoi han\b"
    r"|\bxin\s(?:phep\s)?nop\s(?:cham|muon)\b|\bnop\s(?:cham|muon)\s(?:den|toi|sang)\b"
    r"|\bhen\slai\s(?:den|sang|toi)\b"
    r"|\b(?:one|an?|another)\s(?:more|extra)\s(?:days?|weeks?|months?)\b"
    r"|\b(?:a|one)\s(?:day|week|month)\smore\b"
    r"|\bpush(?:ed)?\s(?:it|this|that|the deadline)\s(?:back\s)?(?:to|until|till)\b"
    r"|\bmove\s(?:the\s)?(?:deadline|due date)\b"
)
# "không hoàn thành được đúng hạn", "không kịp xong", "could not finish on time": late.
WONT_FINISH = re.compile(
    r"(?:khong|ko|k|kg|khg)\s(?:(?:the|kip)\s)?(?:hoan thanh|xong)\b"
    r"|(?:could not|couldn't|cannot|can't|unable to)\s(?:be\s)?(?:finish(?:ed)?|completed?)\b"
)
# No one and nothing the task applies to: "Không có đối tượng", "chưa có trường hợp nào".
NO_SUBJECT = re.compile(
    r"\b(?:khong|ko|k|kg|khg|chua)\sco\s(?:\w+\s)?(?:doi tuong|truong hop|nhu cau|don thu)\b"
    r"|\bno\s(?:beneficiar(?:y|ies)|eligible\s\w+|one\s(?:eligible|concerned))\b"
)
# A percent of something measured, not of the work: the words before it in its clause …
_MEASURE_BEFORE = {"giai ngan", "hai long", "disbursement", "satisfaction", "disbursed"}
_MEASURE_BEFORE |= {"kinh phi", "von", "ngan sach"}
# … or a rate of something named: «tỷ lệ hồ sơ trực tuyến đạt 72,3%» (but «Tỷ lệ 100%»,
# «tỷ lệ đạt 64,5%» name nothing else: the share of the work).
_RATE = re.compile(r"\b(?:ty le|ti le|rate of|the rate)\s(?!(?:dat|la|khoang|duoc|is|at)\b)\w")
# … or the noun after it: «100% TTHC», «85% hộ dân», «100% of procedures».
_MEASURED = re.compile(
    r"\s?(?:cua\s|so\s)?(?:tthc|thu tuc|ho so|ho dan|ho|nguoi|dan|can bo|von|kinh phi"
    r"|doanh nghiep|hoc sinh|thon|xa|don vi|co quan|cong chuc)\b"
    r"|\s?of\s(?!(?:the\s)?(?:work|task|plan|job|target)s?\b)"
)
_POLITE = {"duoc", "khong", "ko", "k", "a", "nhe", "nha", "anh", "chi", "em", "oi", "chu"}
_POLITE |= {"vay", "the", "ha", "nhi", "please", "ok", "sep", "ah", "nhen", "nghe", "a?"}
_MANY = 16  # a reply names a few percents; more are not looked at one by one


def more_time(text: str, n: str, pos: list[int]) -> re.Match[str] | None:
    """An extension asked in everyday words (not "chờ thêm 2 tuần": waiting is no request)."""
    for m in MORE_TIME.finditer(n):
        give = m.span("give1") if m["give1"] else m.span("give2") if m["give2"] else None
        if give is not None:
            written = unicodedata.normalize("NFC", span(text, pos, *give)).casefold()
            if written != "cho":
                continue
        return m
    return None


def late_but_going(n: str, started: re.Match[str]) -> bool:
    """ "Không hoàn thành được đúng hạn, vẫn đang làm tiếp": not finished on time, and
    still being done: in progress (late), not "will not be done"."""
    return bool(WONT_FINISH.match(n, started.start())) and bool(
        IN_PROGRESS.search(n, started.end())
    )


def task_percent(n: str) -> re.Match[str] | None:
    """The first percent of the work done, skipping the percents that measure something
    else («giải ngân đạt 54,9%», «100% TTHC đã công khai»)."""
    for m in islice(PERCENT.finditer(n), _MANY):
        before = words_before(n, m.start(), 8)
        pairs = {" ".join(before[i : i + 2]) for i in range(len(before) - 1)}
        measured = (set(before) | pairs) & _MEASURE_BEFORE or _RATE.search(" ".join(before))
        if measured or _MEASURED.match(n, m.end()):
            continue
        return m
    return None


def only_polite(words: str) -> bool:
    """Is a folded clause only "được không ạ", "nhé anh": no reason at all?"""
    return all(w.strip("?!.,") in _POLITE for w in words.split())
