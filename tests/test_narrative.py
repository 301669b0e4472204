"""The narrative report draft: statuses recorded through the conversation, /baocao
baocao on Telegram, the .docx read back against the database — each section's tasks,
each document cited once as written, the figures of the appendix and /tiendo, the
reasons grouped, nothing that was not recorded, comments (never printed) where the compiler must look
— then the CLI, text channels and the plan's decision set by the admin."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from bot.cli import main as cli_main
from documents.narrative_words import written_out
from handlers.reports.narrative import parse_decision
from handlers.reports.request import APPENDIX, DECISION, NARRATIVE, split_kind
from models.plan_store import find_organization
from models.progress import tally
from models.progress_queries import task_facts
from models.queries import list_tasks
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import ORG, Harness, team, text_of

D = date
KEEP = os.environ.get("DONDOC_KEEP_RENDER")  # a folder to keep the draft in, to look at
STORY = [
    (datetime(2026, 1, 9, 10, tzinfo=TZ), "lan", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"),
    (datetime(2026, 1, 20, 10, tzinfo=TZ), "trinh", "/capnhat 25 Hoàn thành, Quyết định số 30/QĐ-UBND ngày 20/01/2026 về việc giao biên chế"),
    (datetime(2026, 3, 9, 10, tzinfo=TZ), "lan", "/capnhat 2 Đang thực hiện, đã ban hành Kế hoạch số 15/KH-UBND ngày 20/01/2026"),
    (datetime(2026, 3, 9, 11, tzinfo=TZ), "trinh", "/capnhat 16 Chưa thực hiện, lý do: chờ hướng dẫn của Sở Nội vụ"),
    (datetime(2026, 3, 9, 11, 5, tzinfo=TZ), "trinh", "/capnhat 17 Chưa thực hiện, lý do: Chờ hướng dẫn của Sở Nội vụ."),
    (datetime(2026, 3, 9, 12, tzinfo=TZ), "lan", "/capnhat 7 Chưa phát sinh hồ sơ"),
    (datetime(2026, 3, 9, 13, tzinfo=TZ), "trinh", "/capnhat 18 Đã thực hiện, tổ chức 2 hội nghị tuyên truyền"),
    (datetime(2026, 4, 9, 10, tzinfo=TZ), "lan", "/capnhat 6 hoan thanh, KH so 20/KH-UBND ngay 5/4/2026"),
]  # fmt: skip
CITED = {  # number/symbol and date as the officers wrote them
    "12/QĐ-UBND ngày 09/01/2026",
    "30/QĐ-UBND ngày 20/01/2026",
    "15/KH-UBND ngày 20/01/2026",
    "20/KH-UBND ngay 5/4/2026",
}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", (APPENDIX, "")),
        ("quy1 số 116 ngày 30/3/2026", (APPENDIX, "quy1 số 116 ngày 30/3/2026")),
        ("phụ lục 02 quy1", (APPENDIX, "phụ lục 02 quy1")),
        ("phuluc quy1", (APPENDIX, "quy1")),
        ("baocao quy", (NARRATIVE, "quy")),
        ("Báo cáo 6 tháng số 329", (NARRATIVE, "6 tháng số 329")),
        ("kehoach 128/QĐ-UBND ngày 10/01/2026", (DECISION, "128/QĐ-UBND ngày 10/01/2026")),
    ],
)
def test_split_kind(args: str, expected: tuple[str, str]) -> None:
    assert split_kind(args) == expected


def test_documents_written_out_with_number_and_date_as_recorded() -> None:
    assert (
        written_out("QĐ số 12/QĐ-UBND ngày 09/01/2026")
        == "Quyết định số 12/QĐ-UBND ngày 09/01/2026"
    )
    assert written_out("KH so 20/KH-UBND ngay 5/4/2026") == "Kế hoạch số 20/KH-UBND ngay 5/4/2026"
    assert written_out("Kế hoạch số 15/KH-UBND") == "Kế hoạch số 15/KH-UBND"
    assert written_out("45/UBND-VP") == "Văn bản số 45/UBND-VP"
    assert parse_decision("128/QĐ-UBND ngày 10/01/2026") == ("128/QĐ-UBND", D(2026, 1, 10))
    assert parse_decision("số 128 ngày 10/1/2026") == ("128/QĐ-UBND", D(2026, 1, 10))
    assert parse_decision("ngày 31/2/2026") is None


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    harness = await team(sessions, clock)
    await harness.register("ha", "admin")
    for moment, user, text in STORY:
        harness.clock.move_to(moment)
        reply = text_of(await harness.say(user, text))
        assert "Đã ghi nhận" in reply, reply
    harness.clock.move_to(datetime(2026, 6, 9, 8, tzinfo=TZ))
    return harness


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def section_of(lines: list[str], heading: str) -> list[str]:
    """The lines under ``heading`` up to the next numbered heading or part."""
    start = lines.index(heading) + 1
    end = next(
        (i for i in range(start, len(lines)) if re.match(r"^(?:\d+|[IV]+)\. ", lines[i])),
        len(lines),
    )
    return lines[start:end]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_draft_from_what_was_recorded(bot: Harness) -> None:
    replies = await bot.say("trinh", "/baocao baocao 6thang")
    files = [r.document for r in replies if r.document]
    assert [f.filename.rsplit(".", 1)[1] for f in files] == ["docx", "docx", "xlsx"]
    assert files[0].filename.startswith("bao-cao-cchc-") and "PHỤ LỤC 01" in paragraphs(
        files[1].data
    )
    if KEEP:
        for file in files:
            (Path(KEEP) / file.filename).write_bytes(file.data)
    document = Document(BytesIO(files[0].data))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT and section.page_width < section.page_height
    assert document.styles["Normal"].font.size == Pt(14)
    assert section.header._element.xpath(".//w:fldSimple[@w:instr='PAGE']")
    heading = document.tables[0]
    assert "XÃ NGUYỄN BÌNH KHIÊM" in heading.cell(0, 0).text
    assert "Số:        /BC-UBND" in heading.cell(0, 0).text
    assert heading.cell(0, 1).paragraphs[-1].text == "Nguyễn Bình Khiêm, ngày 09 tháng 6 năm 2026"
    lines = paragraphs(files[0].data)
    subject = (
        "Kết quả thực hiện nhiệm vụ cải cách hành chính 6 tháng đầu năm 2026;"
        " phương hướng nhiệm vụ 6 tháng cuối năm 2026"
    )
    assert lines[:3] == ["", "BÁO CÁO", subject]
    text = "\n".join(lines)
    assert "Thực hiện Quyết định số       /QĐ-UBND" in text  # no decision known: blanks

    # Each section has the right tasks, in plan order.
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        content = {
            t.number: " ".join(t.content.split()).rstrip(".")
            for t in await list_tasks(session, org)
        }
        facts = await task_facts(session, org, as_of=D(2026, 6, 9))
    progress = tally(facts, D(2026, 6, 9), deadline_end=WorkCalendar().deadline_end)
    first = section_of(lines, "1. Chỉ đạo điều hành, kiểm tra và tuyên truyền")
    done = first[first.index("Các nhiệm vụ đã hoàn thành trong kỳ:") + 1 :]
    assert done[0].startswith(f"- {content['1']}: đã hoàn thành.")
    assert done[1].startswith(f"- {content['6']}: hoàn thành nhưng quá hạn.")
    going = first[first.index("Các nhiệm vụ đang thực hiện, tiếp tục thực hiện:") + 1 :]
    assert going[0].startswith(f"- {content['2']}: đã thực hiện và tiếp tục thực hiện.")
    reform = section_of(lines, "3. Cải cách thủ tục hành chính")
    assert any(
        line.startswith(f"- {content['18']}:") and "Tổ chức 2 hội nghị tuyên truyền." in line
        for line in reform
    )
    assert any(
        line.startswith(f"- {content['16']}: chưa thực hiện, đã quá hạn.") for line in reform
    )
    staff = section_of(lines, "4. Cải cách tổ chức bộ máy")
    assert any(content["25"] in line for line in staff)
    body = "\n".join(lines[: lines.index("III. ĐÁNH GIÁ CHUNG")])
    # The parts in the order of the real report, brackets where only people know.
    parts = [line for line in lines if re.match(r"^[IV]+\. [A-ZĐ]", line)]
    assert parts == [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    assert text.startswith("\nBÁO CÁO") and "[Thực hiện Công văn số …/UBND-…" in text
    assert "[Đánh giá chung:" in text and "[Nguyên nhân" in text
    reported = {"1", "2", "6", "7", "16", "17", "18", "25"}
    for number, words in content.items():  # nothing listed that nobody reported
        line = next((x for x in lines if x.startswith(f"- {words}:")), None)
        if number in progress.overdue_numbers:  # overdue, as the figures count it
            assert line == f"- {words}: chưa thực hiện, đã quá hạn." or number in reported
        elif number not in reported and len(words) > 40:
            assert line is None, number

    # Each document once, with its number and date as written.
    for reference in CITED:
        assert text.count(reference) == 1, reference
    assert (
        "Ủy ban nhân dân xã Nguyễn Bình Khiêm đã ban hành Quyết định số 12/QĐ-UBND ngày 09/01/2026."
        in text
    )
    assert "Kế hoạch số 20/KH-UBND ngay 5/4/2026" in text
    assert set(re.findall(r"\b\d+/(?:QĐ|KH|CV|BC|TB)-UBND", body)) == {
        "12/QĐ-UBND", "30/QĐ-UBND", "15/KH-UBND", "20/KH-UBND"
    }  # fmt: skip

    # The figures: the appendix's Biểu mẫu 1 and /tiendo, for the same day.
    t = progress.overall
    rate = f"{t.done}/{t.total}"
    form = {
        r.cells[0].text: r.cells[3].text for r in Document(BytesIO(files[1].data)).tables[2].rows
    }
    assert form["2."].startswith(rate)
    percent = form["2."].split(" = ")[1]
    assert f"đã hoàn thành {rate} nhiệm vụ đề ra tại Kế hoạch, đạt {percent}." in text
    assert f"Hoàn thành: {rate}" in text_of(await bot.say("trinh", "/tiendo"))
    assert f"Số nhiệm vụ hoàn thành nhưng quá hạn: {t.counts['done_late']} nhiệm vụ;" in text
    assert t.counts["done_late"] == 1
    assert (
        f"Số nhiệm vụ quá hạn nhưng chưa hoàn thành: {t.counts['overdue']} nhiệm vụ (nhiệm vụ "
        in text
    )

    # The reasons, grouped: one line naming both tasks.
    hard = section_of(lines, "2. Tồn tại, hạn chế, khó khăn, vướng mắc")
    grouped = [line for line in hard if "hướng dẫn của Sở Nội vụ" in line]
    assert len(grouped) == 1 and "nhiệm vụ 16 (" in grouped[0] and "nhiệm vụ 17 (" in grouped[0]

    # What is due next quarter, by unit; the proposals left to the compiler.
    ahead = lines[
        lines.index("IV. PHƯƠNG HƯỚNG NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026") + 1 : lines.index(
            "V. ĐỀ XUẤT, KIẾN NGHỊ"
        )
    ]
    assert any(content["37"] in line and "Tháng 7-9/2026" in line for line in ahead)
    assert any(content["36"] in line for line in ahead)  # Tháng 10: in the last six months
    assert any(line.startswith("1. ") for line in ahead)
    after = lines[lines.index("V. ĐỀ XUẤT, KIẾN NGHỊ") + 1]
    assert after.startswith("[Đề xuất, kiến nghị")
    # Nơi nhận in full, and room for the signer's name.
    signature = document.tables[-1]
    receivers = signature.cell(0, 0).text
    for who in ("UBND thành phố", "Sở Nội vụ", "Thường trực Đảng ủy", "Thường trực HĐND", "Lưu: VT"):
        assert who in receivers, who
    assert signature.cell(0, 1).paragraphs[-1].text == "[Họ và tên người ký]"

    # Highlights: the unmarked reply and the unreviewed reasons, not the rest.
    def marked(fragment: str) -> bool:
        runs = [r for p in document.paragraphs for r in p.runs if fragment in r.text]
        assert runs, fragment
        # a comment around the run (seen on screen, never printed), no highlight
        assert all(r.font.highlight_color is None for r in runs)
        return any(
            (before := r._r.getprevious()) is not None and before.tag == qn("w:commentRangeStart")
            for r in runs
        )

    assert marked("20/KH-UBND ngay 5/4/2026")
    assert marked("hướng dẫn của Sở Nội vụ")
    assert not marked("12/QĐ-UBND ngày 09/01/2026")
    assert marked(f"{content['31']}: chưa thực hiện, đã quá hạn.")  # nobody reported it
    assert "câu cần anh/chị xem lại (ghi chú «Cần xem lại» trong tệp, không in ra)" in replies[-3].text


async def test_decision_set_by_the_admin_cli_and_text_channels(
    bot: Harness, tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    refused = text_of(await bot.say("lan", "/baocao kehoach 128/QĐ-UBND ngày 10/01/2026"))
    assert "Đã ghi" not in refused
    reply = text_of(await bot.say("ha", "/baocao kehoach 128/QĐ-UBND ngày 10/01/2026"))
    assert "Quyết định số 128/QĐ-UBND ngày 10/01/2026" in reply
    url = bot.sessions.kw["bind"].url.render_as_string(hide_password=False)
    out = tmp_path / "bao-cao.docx"
    argv = ["report", "--db", url, "--org", ORG, "--kind", "narrative", "--period", "quy",
            "--out", str(out), "--as-of", "2026-03-31"]  # fmt: skip
    assert await asyncio.to_thread(cli_main, argv) == 0
    text = "\n".join(paragraphs(out.read_bytes()))
    assert (
        "Thực hiện Quyết định số 128/QĐ-UBND ngày 10/01/2026 của Ủy ban nhân dân xã Nguyễn Bình Khiêm"
        in text
    )
    assert "quý I năm 2026; phương hướng nhiệm vụ quý II năm 2026" in text
    assert (
        "đề ra tại Kế hoạch ban hành kèm theo Quyết định số 128/QĐ-UBND ngày 10/01/2026, đạt"
        in text
    )
    assert "20/KH-UBND" not in text  # recorded on 09/04, after the quarter
    assert (tmp_path / "bao-cao-phu-luc.docx").exists()
    assert "Đã ghi" in capsys.readouterr().out
    # The appendix stays as it was, with the other choice offered.
    appendix = await bot.say("trinh", "/baocao quy1 số 116 ngày 30/3/2026")
    assert "PHỤ LỤC 01" in paragraphs(appendix[-2].document.data)
    assert "/baocao baocao" in appendix[-2].text
    bot.channel = "zalo"
    await bot.register("trinh-zalo", "leader")
    replies = await bot.say("trinh-zalo", "/baocao baocao")
    assert not any(r.document for r in replies) and "Telegram" in replies[-1].text
    assert "Dự thảo báo cáo" in replies[-1].text


async def test_reviewed_reasons_lose_their_mark_and_officers_get_their_units(bot: Harness) -> None:
    for number in ("16", "17"):
        reply = text_of(
            await bot.say(
                "ha", f"/ketqua {number} Chưa thực hiện. Lý do: chờ hướng dẫn của Sở Nội vụ"
            )
        )
        assert "Phụ lục sẽ ghi" in reply, reply
    draft = next(r.document for r in await bot.say("trinh", "/baocao báo cáo") if r.document)
    document = Document(BytesIO(draft.data))
    runs = [
        r
        for p in document.paragraphs
        for r in p.runs
        if "hướng dẫn của Sở Nội vụ: nhiệm vụ 16" in r.text
    ]
    assert runs and all(r.font.highlight_color is None for r in runs)
    assert all(
        (before := r._r.getprevious()) is None or before.tag != qn("w:commentRangeStart")
        for r in runs
    )  # no comment either: the compiler decided
    replies = await bot.say("lan", "/baocao baocao")
    assert "Phòng Văn hóa - Xã hội" in replies[-3].text
    lines = paragraphs(next(r.document for r in replies if r.document).data)
    text = "\n".join(lines)
    assert "12/QĐ-UBND" in text and "/16 nhiệm vụ đề ra tại Kế hoạch" in text  # their 16 tasks
    assert "Trung tâm Phục vụ hành chính công" not in text  # tasks 16, 17 are not theirs
    assert "hướng dẫn của Sở Nội vụ" not in text
