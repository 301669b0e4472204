"""The words of officers' status replies: folding, document references, reasons, patterns.

Matching runs on a folded copy of the reply: casefolded, diacritics stripped, đ→d, format
characters (Unicode category Cf: zero-width spaces and joiners, BOM, word joiner, soft
hyphen) dropped, spaces collapsed, and a few common slips respelled (letters held down,
"hoanthanh", transposed letters in key words, Telex keys left in by a failed keyboard:
"hoanf thanhf"). The copy keeps a map back to the original, so reasons and document
references are returned as written. A polite "dạ" (yes) becomes "vang" so it is never read
as "đã" (already). Vietnamese and English words live side by side: an English reply is
understood without any language switch, and no English word here is a Vietnamese word.

Every pattern is linear in the length of the text: no nested unbounded repetition, and a
look back (negation, "sẽ", "đề nghị") reads a bounded window of the clause, not the prefix.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# --- folding -------------------------------------------------------------------------

# Key words whose slips we repair; a repaired form is never itself a Vietnamese word.
_KEYS = ("hoan", "thanh", "xong", "dang", "chua", "thuc", "hien", "khong", "trien", "khai")
_NOT_TYPOS = {"chau"}  # cháu: a real word
_TYPOS = {
    "hoanthanh": "hoan thanh", "hoanthah": "hoan thanh", "thnah": "thanh", "tahnh": "thanh",
    "thanhh": "thanh", "thamh": "thanh", "thnh": "thanh", "hpan": "hoan", "hoaan": "hoan",
    "xog": "xong", "xonh": "xong", "xomg": "xong", "sxong": "xong", "xongr": "xong",
    "thuchien": "thuc hien", "dangthuchien": "dang thuc hien", "trienkhai": "trien khai",
    "chuathuchien": "chua thuc hien", "hthanh": "hoan thanh",
    "hoanthnah": "hoan thanh", "thah": "thanh", "dag": "dang", "dg": "dang", "lm": "lam",
}  # fmt: skip
_SWAPS = {  # adjacent transpositions: "thnah", "cuha", "dnag"
    key[:i] + key[i + 1] + key[i] + key[i + 2 :]: key
    for key in _KEYS
    for i in range(len(key) - 1)
    if key[i] != key[i + 1]
}
_TYPOS = {**{k: v for k, v in _SWAPS.items() if k not in _NOT_TYPOS}, **_TYPOS}
_TELEX_KEYS = {*_KEYS, "da", "lam", "gia", "han", "trinh", "duyet", "dinh", "tham", "phat", "sinh"}
_TONE_KEYS = re.compile(r"[fsrxj]")
_DOUBLED = re.compile(r"([aeo])\1|(.)\2$")
_HELD = re.compile(r"([a-z])\1{2,}")
_ROMAN = re.compile(r"^[ivxlc]+$")


def _telex(word: str) -> str | None:
    """ "hoanf" → "hoan", "ddax" → "da", "thuwcj" → "thuc"; None unless a key word results."""
    plain = word[0] + _TONE_KEYS.sub("", word[1:])
    plain = plain.replace("dd", "d").replace("uow", "uo").replace("w", "")
    plain = _DOUBLED.sub(r"\1\2", plain)  # "hieen", "xongg"
    return plain if plain != word and plain in _TELEX_KEYS else None


def _three_chars(text: str, pos: list[int], start: int) -> str:
    """The three original characters from folded[start], composed and casefolded."""
    return unicodedata.normalize("NFC", text[pos[start] : pos[start] + 3]).casefold()


@functools.cache
def _candidates() -> re.Pattern[str]:
    """Words ``_respell`` may change: "da", "than", known typos, doubled letters, Telex."""
    known = "|".join(sorted(_TYPOS, key=len, reverse=True))
    return re.compile(rf"\b(?:da|than|{known})\b|\b\w*?(?:([a-z])\1|\B[fsrxjw])\w*")


def _respell(text: str, n: str, pos: list[int]) -> tuple[str, list[int], int]:
    """Repair slips word by word; (folded, map, how many typos were repaired)."""
    out: list[str] = []
    new_pos: list[int] = []
    last = repaired = 0
    for m in _candidates().finditer(n):
        word, before = m[0], n[max(0, m.start() - 5) : m.start()]
        new = word
        if _HELD.search(word) and not _ROMAN.match(word):  # "xongggg", not "III"
            new = _HELD.sub(r"\1", word)
        if word == "da" and _three_chars(text, pos, m.start()).startswith("dạ"):
            new = "vang"  # "dạ" is a polite yes, not "đã"
        elif new == "than" and before == "hoan ":  # "hoàn thàn"
            new, repaired = "thanh", repaired + 1
        elif new in _TYPOS:
            new, repaired = _TYPOS[new], repaired + 1
        elif len(new) > 2 and new not in _TELEX_KEYS and (t := _telex(new)):
            new, repaired = t, repaired + 1
        if new == word:
            continue
        out.append(n[last : m.start()])
        new_pos.extend(pos[last : m.start()])
        old = m.end() - m.start()
        out.append(new)
        step = (old - 1) / max(1, len(new) - 1)
        new_pos.extend(pos[m.start() + round(j * step)] for j in range(len(new)))
        last = m.end()
    if not out:
        return n, pos, 0
    out.append(n[last:])
    new_pos.extend(pos[last:])
    return "".join(out), new_pos, repaired


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character folded: casefolded, marks and format characters dropped, đ→d."""
    if unicodedata.category(ch) == "Cf":  # zero-width space, joiner, BOM, soft hyphen
        return ""
    marks = unicodedata.normalize("NFD", "'" if ch in "’‘`" else ch.casefold())
    return "".join("d" if c in "đð" else c for c in marks if not unicodedata.combining(c))


class _OneToOne(dict):
    """str.translate table, filled on first sight: each character to one folded character,
    "\x00" for one that folds to nothing, "\x01" for one that folds to several ("ß")."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isspace():
            one = "\n" if ch in "\n\r" else " "
        else:
            folded = _fold_char(ch)
            one = folded if len(folded) == 1 else "\x01" if folded else "\x00"
        self[code] = one
        return one


_ONE_TO_ONE = _OneToOne()
_SPACES = re.compile(r"\s+")


def fold(text: str) -> tuple[str, list[int], int]:
    """(folded copy, pos, typos repaired): pos[i] is the index in ``text`` of folded[i]."""
    raw = text.translate(_ONE_TO_ONE)  # C speed; the loop below only for "ß" and the like
    if "\x01" in raw:
        return _fold_slowly(text)
    if "\x00" in raw:
        index = [i for i, c in enumerate(raw) if c != "\x00"]
        raw = raw.replace("\x00", "")
    else:
        index = list(range(len(raw)))
    out: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _SPACES.finditer(raw):  # collapse each run of spaces to one (a newline if any)
        out.append(raw[last : m.start()])
        pos.extend(index[last : m.start()])
        if m.start() > 0:
            out.append("\n" if "\n" in m[0] else " ")
            pos.append(index[m.start()])
        last = m.end()
    out.append(raw[last:])
    pos.extend(index[last:])
    return _respell(text, "".join(out), pos)


def _fold_slowly(text: str) -> tuple[str, list[int], int]:
    """``fold`` one character at a time, for text with characters that fold to several."""
    out: list[str] = []
    pos: list[int] = []
    gap, newline = -1, False
    for i, ch in enumerate(text):
        if ch.isspace():
            if gap < 0:
                gap, newline = i, False
            newline = newline or ch in "\n\r"
            continue
        folded = _fold_char(ch)
        if not folded:
            continue
        if gap >= 0:
            if out:
                out.append("\n" if newline else " ")
                pos.append(gap)
            gap = -1
        out.append(folded)
        if len(folded) == 1:
            pos.append(i)
        else:
            pos.extend([i] * len(folded))
    if gap >= 0 and out:
        out.append("\n" if newline else " ")
        pos.append(gap)
    return _respell(text, "".join(out), pos)


def span(text: str, pos: list[int], start: int, end: int) -> str:
    """The original text behind folded[start:end], trailing combining marks included."""
    if start >= end:
        return ""
    stop = pos[end - 1] + 1
    while stop < len(text) and unicodedata.combining(text[stop]):
        stop += 1
    return text[pos[start] : stop]


PUNCT = " \t\r\n.,;:-–—!?\"'()[]…"
_CLAUSE_BREAK = ".,;:!?\n"
NEG_WORDS = {"chua", "khong", "ko", "k", "kg", "khg", "chang", "hong", "sap", "gan"} | {
    "not", "isn't", "isnt", "aren't", "haven't", "hasn't", "wasn't", "never", "almost",
    "nearly", "cannot", "can't", "cant", "don't", "dont", "didn't", "won't", "without",
}  # fmt: skip
# A "done" word after these is a plan or an instruction, not a report that it is done.
FUTURE_WORDS = {"se", "du kien", "phan dau", "co gang", "will", "shall", "to be", "going to"}
FUTURE_WORDS |= {"expect to", "plan to", "expected to", "will be", "should be", "i'll", "we'll"}
FUTURE_WORDS |= {"mai", "tuan sau", "tuan toi", "thang sau", "chac", "hy vong", "hi vong"}
# Doubt is no report either: "khó hoàn thành đúng hạn", "chưa chắc xong".
DOUBT_WORDS = {"kho", "chua chac", "khong biet", "lieu", "bao gio", "khi nao", "when", "bao lau"}
DIRECTIVE_WORDS = {"de nghi", "yeu cau", "can", "phai", "khan truong", "please", "must"}
DIRECTIVE_WORDS |= {"should", "need to", "have to", "has to", "nhac", "doc thuc", "chi dao"}


def words_before(n: str, start: int, count: int) -> list[str]:
    """The last ``count`` words before ``start`` in the same clause (reads ≤ 80 chars)."""
    lo = max(0, start - 80)
    window = n[lo:start]
    cut = max(window.rfind(c) for c in _CLAUSE_BREAK)
    if cut >= 0:
        window = window[cut + 1 :]
    elif lo > 0:  # the window may start inside a word: drop that piece
        window = window.split(" ", 1)[1] if " " in window else ""
    return window.split()[-count:]


def negated(n: str, start: int, also: frozenset[str] = frozenset()) -> bool:
    """Is one of the three words before ``start`` (same clause) a negation (or in ``also``)?"""
    return any(w in NEG_WORDS or w in also for w in words_before(n, start, 3))


# "no extension needed"; not a negation elsewhere, where "no" is mostly "nó" (it) unaccented.
NO = frozenset({"no"})


def preceded_by(n: str, start: int, phrases: set[str], count: int = 4) -> bool:
    """Does one of ``phrases`` (one or two words) stand in the ``count`` words before?"""
    words = words_before(n, start, count)
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    return any(w in phrases for w in words) or any(p in phrases for p in pairs)


# --- evidence ------------------------------------------------------------------------

_TYPES = (
    r"quyet dinh|qd|ke hoach|kh|cong van|cv|bao cao|bc|thong bao|tb|to trinh|ttr"
    r"|nghi quyet|nq|chi thi|ct|huong dan|hd|giay moi|gm|van ban"
    r"|decision|plan|official letter|letter|dispatch|report|notice|resolution|directive"
)
_SYMBOL = r"\d+(?:/\d{4})?/[a-z][a-z0-9]*(?:[-/][a-z][a-z0-9]*)*"
_ISSUED = (
    r"(?:\s?,?\s?(?:ngay|dated|of)\s?:?\s?(?:\d{1,2}\s?[/.-]\s?\d{1,2}(?:\s?[/.-]\s?\d{4}|\s?[/.-]\s?\d{2}\b)?"
    r"|\d{1,2}\sthang\s\d{1,2}(?:\snam\s\d{4})?))?"
)
EVIDENCE = re.compile(
    rf"\b(?:(?:{_TYPES})\s?(?:(?:so|no\.?|number)\s?:?\s?)?(?P<sym>{_SYMBOL})"
    rf"|(?:{_TYPES})\sso\s?:?\s?(?P<num>\d+)\b"
    rf"|(?P<bare>\d+(?:/\d{{4}})?/[a-z][a-z0-9]*-[a-z][a-z0-9]*(?:[-/][a-z][a-z0-9]*)*))"
    rf"{_ISSUED}"
)

# --- reason --------------------------------------------------------------------------

REASON = re.compile(
    r"\b(ly do|li do|nguyen nhan|boi vi|tai vi|(?<!don )(?<!dia )vi(?! tri\b)"
    r"|(?<!sau )(?<!\bto )(?<!\bwill )(?<!\bi )(?<!\bwe )do|boi"
    r"|because of|because|due to|owing to|since|the reason is|reason)\b"
    r"\s?[:\-–]?\s?"
)
ACCENTED_AS = {"vi": {"vi", "vì"}, "do": {"do"}, "boi": {"boi", "bởi"}}
CLAUSE_END = re.compile(r"[.;!?](?=\s|$)|\n")

# --- status --------------------------------------------------------------------------

_NEG = r"(?:chua|khong|ko|k|kg|khg|chang)"
_EN_DONE = r"done|finished|finish|completed?|accomplished"
# Words that open a reply before its content: "Dạ", "Em báo cáo", "anh ơi", "ok".
# Possessive (*+): "em bao cao" could also be "em" + "bao cao", and trying both ways on
# every repetition would be exponential.
OPENING = (
    r"^(?:(?:vang|da|thua|bao cao|em bao cao|em|anh oi|chi oi|anh|chi|ok|oke|hi|hello)[\s,.:!]+)*+"
)
EXTENSION = re.compile(
    r"\b(?:gia han|lui(?:\sthoi)?\shan|keo dai(?:\sthoi)?\shan|doi han|xin\s(?:lui|hoan)"
    r"|xin(?:\sthem)?\sthoi gian|them thoi gian|extend(?:ed|ing)?|extension|postpone[ds]?|more time"
    r"|push(?:ed)? back|reschedule[ds]?|(?:\d{1,3}|a few|few) more (?:days?|weeks?|months?))\b"
)
NOT_APPLICABLE = re.compile(
    rf"\b{_NEG}\s(?:co\s)?(?:\w+\s){{0,3}}?phat sinh\b(?!\s(?:vuong mac|kho khan|van de|sai sot))"
    r"|\bkhong\s(?:ap dung|thuoc\s(?:pham vi|tham quyen|doi tuong|dien))\b|\b(?:khong|chua) co ho so\b"
    r"|\bnot applicable\b|\bn/a\b|\bdoes(?:n't| not) apply\b|\bnothing (?:arose|to report)\b"
    r"|\bno (?:cases?|applications?|requests?|files?) (?:arose|this (?:period|quarter|month))\b"
)
NOT_STARTED = re.compile(
    rf"\b{_NEG}\s(?:(?:the|duoc|kip)\s)?(?:thuc hien|lam|trien khai|bat dau|to chuc|ban hanh"
    r"|xay dung|tien hanh|gui|nop|trinh|th|bat tay|dong (?:den|toi|vao)|dung (?:den|toi))\b(?!\s(?:xong|hoan thanh|hoan tat)\b)(?:\sduoc\b)?"
    r"|\b(?:khong|ko|k|kg|khg)\s(?:(?:the|kip)\s)?(?:hoan thanh|xong)\b(?:\sduoc\b)?"
    r"|\bnot\s(?:yet\s)?(?:been\s)?(?:started|begun|implemented|carried out)\b"
    r"|\b(?:haven't|have not|hasn't|has not)\s(?:yet\s)?(?:started|begun)\b"
    r"|\b(?:cannot|can't|could not|couldn't|unable to)\s(?:be\s)?(?:do|done|implement(?:ed)?"
    r"|carry out|carried out|complete|completed|finish|finished|start|started)\b"
)
NOT_YET_TIME = re.compile(r"\bchua\s(?:den|toi)\s(?:thoi gian|thoi diem|thoi han|han|ky|luc)\b")
# "Chưa, vì …", "Chưa ạ, đang chờ …", "not yet, waiting for …": not started, with the rest.
NOT_YET = re.compile(
    OPENING + r"(?:no,?\s)?(?:chua|not yet)(?:\s(?:a|anh|chi|em|oi|nhe|nha|sep))*"
    r"(?=\s?[,.:;!\-–]\s?\S|\s(?:vi|do|boi|because|due|since|ly do|nguyen nhan|cho|waiting)\b)"
)
WAITING = re.compile(
    OPENING + r"(?:(?:we|i)\s(?:are|am)\s|(?:we're|i'm)\s)?(?:(?:van|con|hien|still)\s)?"
    r"(?:(dang)\s)?(cho|doi|waiting|awaiting)\b"
)
# Sent up for signature, approval, appraisal or opinions: in progress, not done.
SUBMITTED = re.compile(
    r"\b(?:da|dang)\s(?:duoc\s)?trinh\b"
    r"|(?<!toan )\btrinh\s(?:\w+\s){0,5}?(?:ky|duyet|phe duyet|tham dinh|xem xet)\b"
    r"|\b(?:da|dang)\s(?:\w+\s){0,4}?xin y kien\b"
    r"|\b(?:da|dang)\s(?:gui|nop|chuyen)\s(?:\w+\s){0,6}?(?:tham dinh|phe duyet|gop y|xem xet|duyet)\b"
    r"|\btrinh\s(?:roi|xong)\b"
    r"|\b(?:cho|doi)\s(?:[\w\-–]+\s){0,8}?(?:phe duyet|tham dinh|duyet|ky(?!\s(?:hop|bao cao|nay|toi|sau))"
    r"|xem xet|cho y kien|thong qua|nghiem thu|ket qua|phan hoi)\b"
    r"|\b(?:submitted|sent|forwarded)\s(?:\w+\s){0,5}?(?:for|to)\s(?:\w+\s){0,3}?"
    r"(?:approval|signature|signing|appraisal|review|comments?|opinions?)\b"
    r"|\b(?:awaiting|waiting for|pending|waiting on)\s(?:\w+\s){0,3}?"
    r"(?:approval|signature|signing|appraisal|review|sign-off|comments?|decision)\b"
    r"|\b(?:under|in)\s(?:review|appraisal)\b"
)
APPROVED = re.compile(
    r"\b(?:da|duoc)\s(?:duoc\s)?(?:\w+\s){0,4}?(?:phe duyet|ky ban hanh|ban hanh|thong qua"
    r"|chap thuan|ky)\b|\b(?:approved|signed)\b"
)
# Part of the work: "xong phần khảo sát", "hoàn thành bước 1", "một phần", "partly done".
PARTIAL = re.compile(
    r"\b(?:xong|hoan thanh|hoan tat|thuc hien|lam|finished|completed|done)\s(?:duoc\s|xong\s)?"
    r"(?:phan(?!\s(?:tram|viec)\b)|buoc|giai doan|dot|hang muc|khau|cong doan|mot so|the first"
    r"|du thao|ban du thao|ban nhap|de cuong|so bo|draft"
    r"|part|stage|phase|step)\b"
    r"|\b(?:mot phan|1 phan)\b(?!\s(?:va|,)\s?toan trinh)(?<!truc tuyen mot phan)"
    r"|\b(?:partially|partly|half|mostly|part of)\b|\b(?:items?|things?|parts?|tasks?) (?:left|remaining)\b"
    r"|\bcon\s(?:lai\s|thieu\s)?(?:\d+|mot so|mot vai|vai)\s(?!ngay\b|tuan\b|thang\b)\w+"
    r"|\bco ban\s(?:da\s)?(?:hoan thanh|xong)\b|\b(?:hoan thanh|xong)\sco ban\b"
    r"|\b(?:mot nua|duoc nua|nua chung|mot it|mot chut|halfway)\b"
)
FRACTION = re.compile(
    r"(?<![\d/])(\d{1,4})\s?(?:/|\stren\s|\strong\s(?:so\s|tong so\s)?|\sof\s)\s?(\d{1,4})(?![\d/])"
)
COUNTED = re.compile(
    r"\s(?:noi dung|nhiem vu|chi tieu|hang muc|phan|buoc|cong viec|viec|ho so|tieu chi|thon"
    r"|to dan pho|xa|don vi|hoi nghi|lop|dot|items?|tasks?|parts?|steps?|contents?)\b"
)
COUNTING = {"duoc", "dat", "xong", "hoan thanh", "thuc hien", "done", "completed", "finished"}
UNFINISHED = re.compile(
    r"\b(?:chua|sap|gan)\s(?:\w+\s){0,3}?(?:xong|hoan thanh|hoan tat)\b"
    rf"|\b(?:not|isn't|isnt|almost|nearly|not quite|about to be)\s(?:\w+\s){{0,2}}?(?:{_EN_DONE})\b"
)
PERCENT = re.compile(r"(?<![\d.,])(\d+)(?:[.,]\d+)?\s?(?:%|phan tram\b|percent\b)")
CONTINUOUS = re.compile(
    r"\btiep tuc\s(?:thuc hien|trien khai|duy tri|lam)\b|\bthuong xuyen\b|\bca nam\b"
    r"|\b(?:thuc hien|lam|trien khai)\s(?:hang\s(?:ngay|tuan|thang|quy|nam)|dinh ky)\b"
    r"|\b(?:ongoing basis|on a regular basis|continuously|regularly)\b"
)
STRONG_DONE = re.compile(rf"\b(?:hoan thanh|hoan tat|xong|{_EN_DONE})\b|^ht\b|\bda\sht\b")
IN_PROGRESS = re.compile(
    r"\bdang\s(?:trong\s)?(?:thuc hien|th|lam|trien khai|xay dung|hoan thien|tong hop|du thao|soan"
    r"|trinh|xu ly|tien hanh|to chuc|ra soat|chuan bi|tham muu|lay y kien|kiem tra|giai quyet"
    r"|cap nhat|thi cong|phoi hop|tiep tuc|qua trinh|tham dinh)\b"
    r"|\b(?:vua|moi|da)\s(?:moi\s)?bat dau\b"
    r"|\b(?:in progress|in-progress|ongoing|on-going|underway|under way|working on|in the process"
    r"|being (?:done|prepared|drafted|implemented|processed|carried out|compiled|finalized)"
    r"|(?:have|has|already|just)\s(?:just\s)?started|started (?:on|working|drafting|to)"
    r"|implementing|drafting|preparing|processing|doing it|on it)\b"
)
# A finished act ("đã ban hành", "đã tổ chức", "đã thực hiện"): done, fairly sure.
ACT_DONE = re.compile(
    r"\bda\s(?:duoc\s)?(?:ban hanh|to chuc|thuc hien|phe duyet|ky|dang tai|cong khai|phat hanh"
    r"|thanh lap|ket thuc|giai quyet|chi tra|niem yet|kien toan|nop)\b"
    r"|\bda duoc\s(?:\w+\s){1,4}?(?:phe duyet|thong qua|chap thuan|cong nhan|nghiem thu)\b"
    r"|\b(?:issued|held|organized|organised|published|implemented)\b"
)
# A step that may or may not be the whole task ("đã gửi", "đã triển khai"): done, asked.
WEAK_DONE = re.compile(
    r"\bda\s(?:duoc\s)?(?:gui|trien khai|xay dung|cap nhat|bao cao|tham muu|tong hop|ra soat"
    r"|kiem tra|tuyen truyen|lam|hop|cap)\b|\b(?:sent|submitted the report)\b"
)


# "đang khảo sát", "đang viết": progressive "đang" with any verb but "chờ" (less sure).
LOOSE_PROGRESS = re.compile(
    r"\bdang\s(?!(?:cho|doi|di|o|ban|nghi|om|cong tac|hop|tren duong|phep|ke|lo|can)\b)[a-z]{2,}"
)
# "hoàn thành chưa anh?", "xong không?": a question about the work, not a report.
ASKED = re.compile(r"(?:\s\w+){0,2}?\s(?:chua|khong|ko|chu|yet)\b(?:\s\w+){0,2}?\s?\?")
