"""English to the end (issue 26): counts through plural forms, numbers in the person's
locale, weekdays and roles translated, a file refused in the worker refused in English,
and an English reply that does not go verbatim into the Vietnamese appendix."""

from __future__ import annotations

from datetime import date

import pytest

from documents.plan_file_error import PlanFileError
from documents.plan_reader import read_plan
from documents.result_words import account_of, result_text
from documents.worker import run_in_worker
from handlers.messages import Attachment
from language.english_replies import in_vietnamese, is_english
from language.status_text import understand_status
from locales import _, language, ngettext
from models.progress import Reported, TaskFacts, percent_text
from scheduler.workdays import WorkCalendar
from tests.harness import SAMPLE_DOCX, Harness


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Done, decision 15/QĐ-UBND of 05/03/2026", True),
        ("In progress, 60%", True),
        ("Not started yet, waiting for the city guidance", True),
        ("Hoàn thành, QĐ số 12/QĐ-UBND", False),
        ("hoan thanh roi a", False),
        ("xong", False),
        ("ok", False),
        ("Đã gửi report cho anh", False),
    ],
)
def test_english_replies_are_told_apart(text: str, english: bool) -> None:
    assert is_english(text) is english


def test_english_document_names_in_vietnamese() -> None:
    assert in_vietnamese("decision 15/QĐ-UBND of 05/03/2026") == "Quyết định 15/QĐ-UBND ngày 05/03/2026"
    assert in_vietnamese("Report no. 12/BC-UBND") == "Báo cáo số 12/BC-UBND"
    assert in_vietnamese("QĐ số 12/QĐ-UBND") == "QĐ số 12/QĐ-UBND"


def _reported(text: str, on: date) -> Reported:
    reading = understand_status(text, on)
    return Reported(reading.status, reading.percent, reading.reason, reading.evidence, text, on)


def test_appendix_takes_the_reading_of_an_english_reply_in_vietnamese() -> None:
    facts = TaskFacts(1, "1", "I", (), "done", "due", date(2026, 3, 31), date(2026, 3, 10))
    reply = _reported("Done, decision 15/QĐ-UBND of 05/03/2026", date(2026, 3, 10))
    cell = result_text(facts, (reply,), 2026, date(2026, 6, 9), deadline_end=WorkCalendar().deadline_end)
    assert cell == "Hoàn thành\nQuyết định 15/QĐ-UBND ngày 05/03/2026"
    assert account_of(reply.text) is None
    going = TaskFacts(2, "2", "I", (), "in_progress", "due", date(2026, 12, 31), None)
    reply = _reported("In progress, about 60%, draft sent for comments", date(2026, 6, 1))
    cell = result_text(going, (reply,), 2026, date(2026, 6, 9), deadline_end=WorkCalendar().deadline_end)
    assert cell == "Đang thực hiện (đạt 60%)"


def test_counts_use_plural_forms_and_numbers_the_locale() -> None:
    with language("en"):
        assert ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", 1).format(n=1) == "1 task"
        assert ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", 12).format(n=12) == "12 tasks"
        assert ngettext("{n} người", "{n} người", 1).format(n=1) == "1 person"
        assert _("thứ Tư") == "Wednesday"
    assert percent_text(2, 16) == "12,5%"
    assert percent_text(2, 16, "en") == "12.5%"


def _fail_with_image() -> None:
    read_plan(b"\x89PNG\r\n\x1a\n" + bytes(100), "anh-hop.png")


async def test_a_file_refused_in_the_worker_is_refused_in_english() -> None:
    with language("en"), pytest.raises(PlanFileError) as refused:
        await run_in_worker(_fail_with_image, name="anh-hop.png")
    assert "Tệp" not in refused.value.message and "image" in refused.value.message.lower()
    with pytest.raises(PlanFileError) as refused:
        await run_in_worker(_fail_with_image, name="anh-hop.png")
    assert "Tệp ảnh" in refused.value.message


async def test_import_summary_in_english(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("ha", "admin", "Văn phòng HĐND và UBND")
    await bot.say("ha", "/ngonngu en")
    done = await bot.say("ha", "/nhap", attachment=Attachment("kh.docx", SAMPLE_DOCX.read_bytes(), "document"))
    assert "39 tasks in 7 sections" in done[0].text
