"""English counts read right (issue 26): a count before a noun goes through Babel's
plural forms ("1 task", "2 tasks"), and no English message puts a bare count before a
plural noun unless the count is never one (a question about "the {n} tasks" of a
message that listed several)."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from locales import language, ngettext
from tests.conftest import ROOT

PO = ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po"
NOUNS = r"(?:tasks|items|files|requests|cells|messages|people|sections|units|plans|criteria)"
BARE = re.compile(r"\{(\w+)\} (?:\w+ ){0,2}" + NOUNS + r"\b|\{\w+\}/\{(\w+)\} (?:\w+ )?" + NOUNS + r"\b")
# Counts that are never one: a message that listed several tasks or items, several plans.
NEVER_ONE = (
    "Tin vừa rồi nói về {n} nhiệm vụ",
    "Tin vừa rồi nhắc {n} mục",
    "Anh/chị viết «{named} nhiệm vụ»",
    "Có {n} nhiệm vụ số {number}",
    "Xã/phường đang theo dõi {n} kế hoạch",
    "Cả {n} kế hoạch",
    "{n} xã/phường chậm nhất",
    "Tệp không ghi tên kế hoạch",
    "Đã nhập bảng điểm",
    "{org} có {n} kế hoạch",
    "Đang hiện {shown} nhiệm vụ đầu",  # the web search's page size, when there are more
    "Gửi cho {n} đơn vị",  # the button of an instruction to several units
)


def test_no_bare_count_before_a_plural_noun() -> None:
    catalog = read_po(PO.open("rb"))
    bare = [
        (m.id, m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and not m.id.startswith(NEVER_ONE)
        for hit in BARE.finditer(m.string)
        if (hit[1] or hit[2]) not in ("limit", "number")  # a limit is never one; a task's number
    ]
    assert bare == []


def test_one_and_two_in_english() -> None:
    with language("en"):
        one = ngettext("Nhắc việc ({n} nhiệm vụ):", "Nhắc việc ({n} nhiệm vụ):", 1).format(n=1)
        two = ngettext("Nhắc việc ({n} nhiệm vụ):", "Nhắc việc ({n} nhiệm vụ):", 2).format(n=2)
        more = ngettext("… và {n} mục khác.", "… và {n} mục khác.", 1).format(n=1)
    assert (one, two, more) == ("Reminder (1 task):", "Reminder (2 tasks):", "… and 1 more item.")
    with language("vi"):
        assert ngettext("… và {n} mục khác.", "… và {n} mục khác.", 1).format(n=1) == "… và 1 mục khác."
