"""What the commune signs says true things (issue 22): the organization named once in
its proper forms whatever was typed, a result cell that is the task's latest state, no
Government document claimed as the commune's act, each document cited once, the draft's
figures those of Biểu mẫu 1, and a report rebuilt for an earlier day that shows nothing
recorded after it."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from documents.accent_phrases import left_unaccented, restore_accents
from documents.report_review import typed_without_diacritics
from documents.report_rows import Period, build_report
from documents.result_words import NOT_YET, result_text
from models.people import Organization
from models.progress import TaskFacts
from scheduler.workdays import WorkCalendar
from tests.conftest import TZ
from tests.harness import ORG, Harness, team, text_of


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await team(sessions, clock)


async def say_at(bot: Harness, moment: datetime, user: str, text: str) -> str:
    bot.clock.move_to(moment)
    return text_of(await bot.say(user, text))


def paragraphs(data: bytes) -> list[str]:
    document = Document(BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return [p.text for p in document.paragraphs] + cells


async def test_the_organization_is_named_once_whatever_was_typed(bot: Harness) -> None:
    async with bot.sessions() as session, session.begin():
        org = await session.scalar(select(Organization).where(Organization.name == ORG))
        org.name = "UBND xã Nguyễn Bình Khiêm"  # as an admin may have typed it
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    files = [r.document for r in await bot.say("trinh", "/baocao baocao 6thang") if r.document]
    for file in files[:2]:  # the draft and its appendix
        text = "\n".join(paragraphs(file.data))
        assert "UBND XÃ" not in text and "Ủy ban nhân dân UBND" not in text, file.filename
        assert "UBND xã Nguyễn" not in text, file.filename
        heading = Document(BytesIO(file.data)).tables[0]
        assert [p.text for p in heading.cell(0, 0).paragraphs][:2] == [
            "ỦY BAN NHÂN DÂN",
            "XÃ NGUYỄN BÌNH KHIÊM",
        ]
        assert heading.cell(0, 1).paragraphs[-1].text == "Nguyễn Bình Khiêm, ngày 09 tháng 6 năm 2026"
        assert "Ủy ban nhân dân xã Nguyễn Bình Khiêm" in text


async def test_chat_answers_name_the_organization_once(bot: Harness) -> None:
    async with bot.sessions() as session, session.begin():
        org = await session.scalar(select(Organization).where(Organization.name == ORG))
        org.name = "UBND xã Nguyễn Bình Khiêm"  # as an admin may have typed it
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    for command in ("/tiendo", "/baocao", "/baocao baocao 6thang"):
        answer = text_of(await bot.say("trinh", command))
        # "Xã X" on its own, "xã X" inside a title: never "UBND xã X"
        assert "Xã Nguyễn Bình Khiêm" in answer or "xã Nguyễn Bình Khiêm" in answer, (command, answer)
        assert "UBND xã" not in answer, (command, answer)


async def test_the_result_cell_is_the_latest_state(bot: Harness) -> None:
    await say_at(bot, datetime(2026, 2, 9, 10, tzinfo=TZ), "lan",
                 "/capnhat 2 Đang thực hiện, đăng trên 200 tin bài. Giải ngân 3.850/21.372 triệu đồng, đạt 18%")  # fmt: skip
    await say_at(bot, datetime(2026, 5, 9, 10, tzinfo=TZ), "lan",
                 "/capnhat 2 Đang thực hiện, đăng trên 450 tin bài. Giải ngân 11.729/21.372 triệu đồng, đạt 54,9%")  # fmt: skip
    await say_at(bot, datetime(2026, 5, 20, 10, tzinfo=TZ), "lan",
                 "/capnhat 2 Đang thực hiện, đăng trên 450 tin bài")  # fmt: skip
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    docx = next(r.document for r in await bot.say("trinh", "/baocao 6thang") if r.document)
    table = Document(BytesIO(docx.data)).tables[1]
    cell = next(r.cells[5].text for r in table.rows if r.cells[0].text == "2")
    assert "11.729/21.372" in cell and "450 tin bài" in cell, cell
    assert "3.850" not in cell and "200 tin bài" not in cell, cell
    assert cell.count("450 tin bài") == 1, cell  # the same sentence once


async def test_no_false_claim_and_each_document_once(bot: Harness) -> None:
    await say_at(bot, datetime(2026, 1, 12, 10, tzinfo=TZ), "lan",
                 "/capnhat 1 Hoàn thành, Nghị quyết 02/NQ-CP ngày 08/01/2026; Kế hoạch số 14/KH-UBND ngày 10/01/2026")  # fmt: skip
    await say_at(bot, datetime(2026, 3, 9, 10, tzinfo=TZ), "lan",
                 "/capnhat 2 Đang thực hiện, theo Kế hoạch số 14/KH-UBND ngày 10/01/2026")  # fmt: skip
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    replies = await bot.say("trinh", "/baocao baocao 6thang")
    draft, appendix = [r.document for r in replies if r.document][:2]
    text = "\n".join(p.text for p in Document(BytesIO(draft.data)).paragraphs)
    assert "02/NQ-CP" in text
    assert not re.search(r"ban hành[^.]*02/NQ-CP", text), text  # never issued by the commune
    assert "Triển khai thực hiện Nghị quyết 02/NQ-CP ngày 08/01/2026." in text
    issued = re.findall(r"Ủy ban nhân dân xã Nguyễn Bình Khiêm đã ban hành ([^.]*)\.", text)
    for sentence in issued:  # every act the commune claims is its own, "…-UBND"
        for reference in re.findall(r"\d+/[A-ZĐ][^\s;,]*", sentence):
            assert reference.endswith("-UBND"), reference
    assert text.count("14/KH-UBND") == 1
    # The figures are those of Biểu mẫu 1.
    form = {r.cells[0].text: r.cells[3].text for r in Document(BytesIO(appendix.data)).tables[2].rows}
    done, total = form["2.2."], form["2.1."]
    assert f"đã hoàn thành {done}/{total} nhiệm vụ" in text


async def test_a_report_for_an_earlier_day_shows_nothing_after_it(bot: Harness) -> None:
    await say_at(bot, datetime(2026, 4, 8, 10, tzinfo=TZ), "lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    answer = await say_at(bot, datetime(2026, 4, 10, 10, tzinfo=TZ), "trinh", "/duyet 6")
    assert "20/04/2026" in answer, answer
    calendar = WorkCalendar()

    async def row_six(day: date) -> tuple[str, list[str]]:
        async with bot.sessions() as session:
            org = await session.scalar(select(Organization).where(Organization.name == ORG))
            built = await build_report(session, org, period=Period("quy", 2026, 2), as_of=day,
                                       deadline_end=calendar.deadline_end)  # fmt: skip
        row = next(r for r in built.rows if r.cells and r.cells[0] == "6")
        return row.cells[4], built.progress.overdue_numbers

    before, overdue = await row_six(date(2026, 4, 6))
    assert "Gia hạn" not in before and "6" in overdue  # the extension came on 10/4
    after, overdue = await row_six(date(2026, 4, 15))
    assert "(Gia hạn đến 20/04/2026)" in after and "6" not in overdue


async def test_a_continuous_task_worked_on_is_said_apart(bot: Harness) -> None:
    # task 26 is continuous ("Thường xuyên"); task 2 runs the whole year ("Cả năm 2026")
    await say_at(bot, datetime(2026, 3, 9, 10, tzinfo=TZ), "lan", "/capnhat 26 đang làm, đã họp 2 lần")
    await say_at(bot, datetime(2026, 3, 9, 11, tzinfo=TZ), "lan", "/capnhat 2 đang thực hiện 30%")
    progress = await say_at(bot, datetime(2026, 3, 10, 9, tzinfo=TZ), "trinh", "/tiendo")
    lines = progress.split("\n")
    # a whole-year task at 30% has an end to reach: in progress, not carried on
    assert any(line.startswith("• Đang thực hiện trong hạn: 1") for line in lines), progress
    done = next(i for i, line in enumerate(lines) if line.startswith("• Hoàn thành đúng hạn: 1"))
    assert "trong đó đã thực hiện và tiếp tục thực hiện" in lines[done + 1], progress
    assert lines[done + 1].endswith(": 1")
    docx = next(r.document for r in await bot.say("trinh", "/baocao quy1") if r.document)
    text = "\n".join(p.text for p in Document(BytesIO(docx.data)).paragraphs)
    assert "hoàn thành đúng hạn: 1 (trong đó đã thực hiện và tiếp tục thực hiện" in text, text


def test_not_yet_time_only_before_a_tasks_time() -> None:
    end = WorkCalendar().deadline_end
    june_9, june_30 = date(2026, 6, 9), date(2026, 6, 30)

    def cell(due: date, start: date | None = None) -> str:
        facts = TaskFacts(1, "1", "I", (), "not_started", "period", due, None, start)
        return result_text(facts, (), 2026, june_9, deadline_end=end, period_end=june_30)

    assert cell(june_30) == ""  # due this quarter: its time has come (left for review)
    assert cell(date(2026, 12, 31)) == NOT_YET  # "Quý IV/2026"
    assert cell(date(2026, 9, 30), start=date(2026, 7, 1)) == NOT_YET  # "Tháng 7-9/2026"
    assert cell(date(2026, 9, 30), start=date(2026, 6, 1)) == ""  # begun on 1/6


async def test_the_drafts_difficulty_takes_the_reason_corrected_with_ketqua(bot: Harness) -> None:
    await bot.register("an", "admin")
    answer = await say_at(bot, datetime(2026, 4, 2, 9, tzinfo=TZ), "lan", "/capnhat 6 chua lam vi chua co kinh phi")
    assert "Đã ghi nhận" in answer, answer
    answer = await say_at(
        bot, datetime(2026, 4, 3, 9, tzinfo=TZ), "an", "/ketqua 6 Chưa thực hiện. Lý do: Chưa được bố trí kinh phí"
    )
    assert "Phụ lục sẽ ghi" in answer, answer
    bot.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    draft = next(r.document for r in await bot.say("trinh", "/baocao baocao 6thang") if r.document)
    text = "\n".join(paragraphs(draft.data))
    hard = re.split(r"khó khăn, vướng mắc", text, flags=re.I)[-1].split("\n")[:4]
    assert any("Chưa được bố trí kinh phí: nhiệm vụ 6" in line for line in hard), hard
    assert "chua co kinh phi" not in text.lower()


@pytest.mark.parametrize(
    ("typed", "printed", "flagged"),
    [
        ("Thuong xuyen ra soat theo quy dinh", "Thường xuyên rà soát theo quy định", False),
        ("hoan thanh, da ban hanh Ke hoach 12/KH-UBND", "hoàn thành, đã ban hành Kế hoạch 12/KH-UBND", False),
        ("chua co kinh phi", "chưa có kinh phí", False),
        # one clause outside the table: it stays as typed and the row is flagged
        ("Hoan thanh; QD so 12 ngay 9/1", "Hoàn thành; QD so 12 ngay 9/1", True),
        ("ra soat lai ho so", "ra soat lai ho so", False),  # "lai" has three readings
        ("Đã ban hành kế hoạch", "Đã ban hành kế hoạch", False),  # typed with accents: as typed
    ],
)
def test_accents_restored_only_on_whole_clauses(typed: str, printed: str, flagged: bool) -> None:
    assert restore_accents(typed) == printed
    assert typed_without_diacritics(typed) is flagged
    assert bool(left_unaccented(typed)) is (printed == typed and typed.isascii() or flagged)
