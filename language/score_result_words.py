"""Whether a plain text sent while a score item is in focus reads as that item's result
(issue 22): after `/diem 8.1 tự chấm 7,5 đã cử 15 lượt`, "chiều nay họp lúc mấy giờ
vậy?" is a question, not the item's result, and must never replace it. Pure rules:

- ``RESULT``: it names figures, a document, or result words ("đã tổ chức", "đạt",
  "công khai", "hoàn thành", "không có") — recorded as the item's result;
- ``OTHER``: a question or small talk — not about the item, left to the rest of the
  conversation;
- ``UNSURE``: anything else — kept, and the officer confirms with one tap (or by typing
  the item's reference) before it is recorded.
"""

from __future__ import annotations

import re

from language.small_talk import is_acknowledgement
from language.task_refs import fold_same_length as fold

RESULT, OTHER, UNSURE = "result", "other", "unsure"
_QUESTION = re.compile(
    r"\b(?:may gio|bao gio|luc nao|o dau|the nao|ra sao|tai sao|vi sao|bao nhieu|"
    r"co phai|phai khong|duoc khong|chua a|khong a|khong nhi|ai)\b|\?\s*$"
)
_RESULT = re.compile(
    r"\d|\b(?:da|dat|hoan thanh|thuc hien|to chuc|ban hanh|cong khai|trien khai|"
    r"khong co|co so|co bao cao|co hinh anh|minh chung|ke hoach|quyet dinh|bao cao|"
    r"thong bao|cong van|niem yet|cap nhat|xong)\b"
)


def result_reading(text: str) -> str:
    """RESULT, OTHER or UNSURE for ``text`` (see the module)."""
    folded = " ".join(fold(text).split())
    if not folded or is_acknowledgement(text) or _QUESTION.search(folded):
        return OTHER
    return RESULT if _RESULT.search(folded) else UNSURE
