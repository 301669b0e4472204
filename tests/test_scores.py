"""Score sheets end to end: imported through /nhap and the CLI (filled, empty, changed),
the history kept on re-import, officers' proposals through the conversation (a score
above the maximum refused), the compiler's confirmation, /diem figures (one line per
commune for a viewer of several), and /baocao diem's .docx and .xlsx read back against
the database."""

from __future__ import annotations

import asyncio
import json
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.cli import main as cli_main
from documents.score_reader import read_score_sheet
from handlers.imports.any_file import import_any
from handlers.messages import Attachment
from models.plan_store import find_organization
from models.score_queries import load_sheet
from models.score_tree import format_points, totals
from models.scores import ScoreEntry, ScoreItem
from tests.conftest import BACKENDS
from tests.harness import ORG, Harness, sample_harness, text_of
from tests.score_sheet import LEAVES, sheet_docx, sheet_rows, sheet_xlsx

D = Decimal
TT = "Trung tâm phục vụ hành chính công xã"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram", ("trinh", "admin"))  # the commune, its units and its plan


async def send_sheet(bot: Harness, user: str, data: bytes, name: str) -> str:
    await bot.say(user, "/nhap")
    return text_of(await bot.say(user, attachment=Attachment(name, data)))


async def view_of(bot: Harness):  # noqa: ANN201
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        view = await load_sheet(session, org)
        assert view is not None
        return view


async def entries(bot: Harness, ref: str, *, content: str | None = None) -> list[tuple[str, str | None, D | None, str]]:
    async with bot.sessions() as session:
        where = ScoreItem.ref == ref if content is None else ScoreItem.content.startswith(content)
        item = await session.scalar(select(ScoreItem).where(where))
        rows = await session.scalars(
            select(ScoreEntry)
            .where(ScoreEntry.item_id == item.id)
            .order_by(ScoreEntry.id)
            .options(selectinload(ScoreEntry.person))
        )
        return [(e.kind, e.person.display_name if e.person else None, e.points, e.text) for e in rows]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_whole_story(bot: Harness) -> None:
    answer = await send_sheet(bot, "trinh", sheet_docx(sheet_rows(filled=False)), "bang-diem.docx")
    assert "Đã nhập bảng điểm" in answer and f"{LEAVES} mục chấm điểm" in answer
    assert "tổng điểm chuẩn 100" in answer
    await bot.register("mai", "officer", TT)
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")

    figures = text_of(await bot.say("trinh", "/diem"))
    assert "Tự đánh giá: 0/100 điểm (0/22 mục đã báo cáo)." in figures
    assert "• I. TIÊU CHÍ 1: CHÍNH QUYỀN CÔNG KHAI, MINH BẠCH: 0/24" in figures
    assert "Chưa báo cáo (22):" in figures

    # A score above the maximum is refused, naming it; nothing is written.
    refused = text_of(await bot.say("mai", "/diem 1.1 tự chấm 2"))
    assert refused == "Không ghi nhận: 2 điểm vượt điểm chuẩn của mục 1.1 (tối đa 1 điểm)."
    assert await entries(bot, "1.1") == []
    # Another unit's item is not hers.
    assert "chỉ báo điểm cho mục của đơn vị mình" in text_of(await bot.say("lan", "/diem 1.1 1"))
    # Proposals as officers type them.
    said = text_of(await bot.say("mai", "/diem 1.1 đạt 1 điểm, Công khai đầy đủ tại bộ phận một cửa"))
    assert "Đã ghi nhận mục 1.1" in said and "tự đánh giá 1/1 điểm" in said
    said = text_of(await bot.say("mai", "/diem 4.3 tự chấm 3,5 Số hóa đạt 80%"))
    assert "tự đánh giá 3,5/4 điểm" in said and "Tổng tự đánh giá hiện nay: 4,5/100 điểm." in said
    await bot.say("lan", "/diem 7.1 5 Không có cán bộ bị kỷ luật")
    # Parents are computed, never scored directly.
    assert "từ các mục con" in text_of(await bot.say("mai", "/diem 4 12"))

    # The compiler confirms or changes a score; the history keeps who proposed what.
    confirmed = text_of(await bot.say("trinh", "/chamdiem 4.3 3 chưa đủ minh chứng"))
    assert "Đã chấm mục 4.3: 3/4 điểm." in confirmed and "Đề xuất trước đó: 3,5 điểm (Mai)." in confirmed
    assert "cho quản trị" in text_of(await bot.say("mai", "/chamdiem 4.3 4"))
    assert "tối đa 4 điểm" in text_of(await bot.say("trinh", "/chamdiem 4.3 4,5"))
    assert await entries(bot, "4.3") == [
        ("proposed", "Mai", D("3.5"), "Số hóa đạt 80%"),
        ("confirmed", "Trinh", D(3), "chưa đủ minh chứng"),
    ]
    item = text_of(await bot.say("mai", "/diem 4.3"))
    assert "Mai: đề xuất 3,5 điểm" in item and "Trinh: xác nhận 3 điểm" in item

    # Figures: by criterion, by unit, the items not reported; an officer sees their units.
    replies = await bot.say("trinh", "/diem")
    figures = text_of(replies)
    assert replies[0].photo is not None and replies[0].photo.data.startswith(b"\x89PNG")  # Telegram's chart
    assert "Tự đánh giá: 9/100 điểm (3/22 mục đã báo cáo)." in figures
    assert "• II. TIÊU CHÍ 2: CHÍNH QUYỀN THÂN THIỆN, HÀNH ĐỘNG, VÌ NHÂN DÂN PHỤC VỤ: 3/26" in figures
    # The sheet's "Trung tâm phục vụ hành chính công xã" is the plan's unit.
    assert "• Trung tâm Phục vụ hành chính công: 4/25 — 4 mục chưa báo cáo" in figures
    mine = text_of(await bot.say("lan", "/diem"))
    assert "Phòng Văn hóa - Xã hội: 5/" in mine and "Phục vụ hành chính công" not in mine.split("Theo đơn vị chủ trì:")[1]

    # /baocao diem: the .docx and .xlsx, read back, match the database.
    replies = await bot.say("trinh", "/baocao diem")
    assert len(replies) == 2 and replies[0].document and replies[1].document
    assert replies[0].document.filename.endswith("-6thang-2026.docx")
    view = await view_of(bot)
    want = expected_rows(view)
    assert docx_rows(replies[0].document.data) == want
    assert xlsx_rows(replies[1].document.data) == want


def expected_rows(view) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    overall = view.overall()
    own = sum((i.self_points or 0 for i in view.leaves()), D(0))  # the units' own column
    rows = [("", "Tổng", format_points(view.sheet.max_points), format_points(own if overall.scored else None))]
    for item in view.items:
        if view.is_leaf(item):
            points = item.self_points
        else:
            got = totals(view.own_node(item))
            points = got.points if got.scored else None
        rows.append((item.number, item.content, format_points(item.max_points), format_points(points)))
    return rows


def docx_rows(data: bytes) -> list[tuple[str, str, str, str]]:
    document = Document(BytesIO(data))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.left_margin - Cm(3.0)) < Cm(0.05) and section.different_first_page_header_footer
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells][:3] == ["TT", "Nội dung tiêu chí", "Điểm chuẩn"]
    return [(r.cells[0].text, r.cells[1].text, r.cells[2].text, r.cells[7].text) for r in table.rows[1:]]


def xlsx_rows(data: bytes) -> list[tuple[str, str, str, str]]:
    ws = load_workbook(BytesIO(data)).active
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$7:$7"
    # The national heading block over the table, as in the .docx.
    assert [ws.cell(r, 1).value for r in (1, 2)] == ["ỦY BAN NHÂN DÂN", "XÃ NGUYỄN BÌNH KHIÊM"]
    assert [ws.cell(r, 4).value for r in (1, 2)] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert re.fullmatch(r"Nguyễn Bình Khiêm, ngày \d\d tháng \d+ năm 2026", ws.cell(3, 4).value)
    out = []
    for row in ws.iter_rows(min_row=8, values_only=True):
        number, content, maximum, points = row[0], row[1], row[2], row[7]
        out.append((number or "", content, format_points(None if maximum is None else D(str(maximum))),
                    format_points(None if points is None else D(str(points)))))
    return out


def _url(bot: Harness) -> str:
    return bot.sessions.kw["bind"].url.render_as_string(hide_password=False)


async def _cli(capsys, *argv: str) -> dict:  # noqa: ANN001
    assert await asyncio.to_thread(cli_main, list(argv)) == 0
    return json.loads(capsys.readouterr().out)


async def test_cli_import_says_which_kind_and_scores_gives_the_tree(
    bot: Harness, tmp_path: Path, capsys  # noqa: ANN001
) -> None:
    url = _url(bot)
    sheet = tmp_path / "bang-diem.xlsx"
    sheet.write_bytes(sheet_xlsx(sheet_rows()))
    got = await _cli(capsys, "import", str(sheet), "--org", ORG, "--db", url, "--json")
    assert got["kind"] == "scores" and got["items"] == LEAVES and got["self_total"] == "93.7"
    assert [(c["ref"], c["max_points"]) for c in got["criteria"]] == [
        ("I", "24"), ("II", "26"), ("III", "25"), ("IV", "25")
    ]
    assert got["period"] == "6thang" and got["year"] == 2026 and got["results"] == LEAVES
    plan = tmp_path / "ke-hoach.docx"
    plan.write_bytes((Path(__file__).parent.parent / "samples" / "ke-hoach-cchc-2026-mau.docx").read_bytes())
    assert (await _cli(capsys, "import", str(plan), "--org", ORG, "--db", url, "--json"))["kind"] == "plan"

    tree = await _cli(capsys, "scores", "--org", ORG, "--db", url, "--json")
    assert tree["max_points"] == "100" and tree["points"] == "93.7" and tree["reported"] == LEAVES
    first = tree["criteria"][0]
    assert (first["ref"], first["max_points"], first["points"]) == ("I", "24", "22.5")
    item = first["children"][0]["children"][0]
    assert item["self_points"] == "1" and item["lead"] == ["Trung tâm Phục vụ hành chính công"]
    assert "công khai đầy đủ" in item["result"]

    out = tmp_path / "diem.docx"
    await _cli(capsys, "report", "--kind", "scores", "--org", ORG, "--db", url, "--format", "docx",
               "--out", str(out), "--json")  # fmt: skip
    assert docx_rows(out.read_bytes()) == expected_rows(await view_of(bot))
    rows = docx_rows(out.read_bytes())
    assert rows[0] == ("", "Tổng", "100", "93,7") and ("III", rows[20][1][:9]) == (rows[20][0], "TIÊU CHÍ ")
    # The table dondoc writes is a sheet dondoc reads: the same tree, maxima and points.
    again = read_score_sheet(out.read_bytes(), "diem.docx")
    assert again is not None and not again.warnings
    assert [(r.ref, r.max_points, r.self_points) for r in again.leaves()] == [
        (i.ref, i.max_points, i.self_points) for i in (await view_of(bot)).leaves()
    ]
    assert again.total_self == D("93.7") and again.self_total == D("93.7")


async def test_reimport_of_a_changed_sheet_keeps_the_history(bot: Harness) -> None:
    await send_sheet(bot, "trinh", sheet_docx(sheet_rows()), "bang-diem.docx")
    await bot.register("mai", "officer", TT)
    await bot.say("mai", "/diem 4.3 4 Số hóa đạt 100%")
    changed = sheet_rows(changes={
        "- Số hóa hồ sơ": {6: "Đạt 90%.", 7: "3,6"},  # the compiler's new file says otherwise
        "- Tổ chức họp không giấy": {1: "- Tổ chức họp không giấy, họp trực tuyến."},
        "- Cử cán bộ": {2: "7"}, "Tỷ lệ cán bộ": {2: "8"},  # maxima moved, still adding up
    })  # fmt: skip
    answer = await send_sheet(bot, "trinh", sheet_xlsx(changed), "bang-diem-moi.xlsx")
    assert "Nhập lại: thêm 0, thay đổi 3, giữ nguyên" in answer, answer
    assert [e[:3] for e in await entries(bot, "4.3")] == [
        ("proposed", None, D("3.1")), ("proposed", "Mai", D(4)), ("proposed", None, D("3.6"))
    ]
    assert [e[0] for e in await entries(bot, "9.3")] == ["proposed", "import"]
    assert (await entries(bot, "8.1"))[-1] == ("import", None, None, "max_points")
    view = await view_of(bot)
    assert len(view.leaves()) == LEAVES and view.by_ref("9.3").content.endswith("họp trực tuyến.")
    # An empty sheet sent again never takes back the results recorded.
    await send_sheet(bot, "trinh", sheet_docx(sheet_rows(filled=False)), "trong.docx")
    view = await view_of(bot)
    assert view.by_ref("4.3").self_points == D("3.6") and view.overall().scored == LEAVES


async def test_a_viewer_of_several_communes_gets_one_line_each(bot: Harness) -> None:
    async with bot.sessions() as session, session.begin():
        await import_any(session, data=sheet_docx(sheet_rows()), filename="a.docx",
                         organization=ORG, now=bot.clock.now())  # fmt: skip
        await import_any(session, data=sheet_xlsx(sheet_rows(filled=False)), filename="b.xlsx",
                         organization="Phường Hồng Bàng", now=bot.clock.now())  # fmt: skip
    await bot.register("son", "viewer")
    async with bot.sessions() as session, session.begin():
        from models.invites import create_invite

        other = await find_organization(session, "Phường Hồng Bàng")
        code = (await create_invite(session, other, role="viewer", unit=None, uses=1, now=bot.clock.now())).code
    assert "thành công" in text_of(await bot.say("son", f"/dangky {code}"))
    lines = text_of(await bot.say("son", "/diem")).splitlines()
    assert lines[1:3] == [
        "Phường Hồng Bàng: 0/100 điểm, 0/22 mục đã báo cáo",
        f"{ORG}: 93,7/100 điểm, 22/22 mục đã báo cáo",
    ]
    assert "Tự đánh giá: 93,7/100 điểm" in text_of(await bot.say("son", f"/diem {ORG}"))


async def test_zalo_gets_the_figures_and_the_way_to_the_files(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("trinh", "admin")
    async with bot.sessions() as session, session.begin():
        await import_any(session, data=sheet_docx(sheet_rows()), filename="a.docx",
                         organization=ORG, now=bot.clock.now())  # fmt: skip
    replies = await bot.say("trinh", "/baocao điểm")
    assert len(replies) == 1 and replies[0].document is None
    assert "93,7/100" in replies[0].text and "dondoc report --kind scores" in replies[0].text


async def test_a_sheet_pasted_after_nhap(bot: Harness) -> None:
    from tests.score_sheet import sheet_text

    answer = text_of(await bot.say("trinh", "/nhap " + sheet_text(sheet_rows())))
    assert "Đã nhập bảng điểm" in answer and "Điểm tự đánh giá trong tệp: 93,7/100." in answer
    assert (await view_of(bot)).overall().points == D("93.7")


async def test_an_item_gone_from_the_new_file_keeps_its_history_and_counts_no_more(bot: Harness) -> None:
    await send_sheet(bot, "trinh", sheet_docx(sheet_rows()), "bang-diem.docx")
    rows = [r for r in sheet_rows(changes={"Giải quyết thủ tục hành chính đúng hạn": {2: "9"},
                                           "TIÊU CHÍ 2": {2: "23"}})
            if not r[1].startswith("- Không có hồ sơ trễ hạn")]  # fmt: skip
    rows[1][2] = "97"  # the "Tổng" row
    answer = await send_sheet(bot, "trinh", sheet_docx(rows), "bang-diem-moi.docx")
    assert "Không còn trong tệp (đã giữ lại, đánh dấu cần xem)" in answer
    view = await view_of(bot)
    assert len(view.leaves()) == LEAVES - 1 and view.overall().max_points == 97
    gone = await entries(bot, "", content="- Không có hồ sơ trễ hạn")
    assert gone == [("proposed", None, D(3), "Không có.")]  # its history stays
    async with bot.sessions() as session:
        item = await session.scalar(select(ScoreItem).where(ScoreItem.content.startswith("- Không có hồ sơ")))
        assert item.needs_review and item.ref.startswith("4.2~")  # "4.2" is the next item now
    figures = text_of(await bot.say("trinh", "/diem"))
    assert "Không còn trong bảng điểm mới nhập" in figures and "Không có hồ sơ trễ hạn" in figures


async def test_a_score_typed_without_the_command(bot: Harness) -> None:
    await send_sheet(bot, "trinh", sheet_docx(sheet_rows(filled=False)), "bang-diem.docx")
    await bot.register("mai", "officer", TT)
    said = text_of(await bot.say("mai", "Mục 6 tự chấm 5,5, đạt 92% hài lòng"))
    assert "Đã ghi nhận mục 6" in said and "5,5/6" in said
    assert (await entries(bot, "6"))[-1] == ("proposed", "Mai", D("5.5"), "đạt 92% hài lòng")
    assert "tối đa 1 điểm" in text_of(await bot.say("mai", "muc 1.1 dat 3 diem"))
    # Not an item: the words are a task's, as before.
    assert "Đã ghi nhận mục" not in text_of(await bot.say("mai", "mục 99 đạt 1 điểm"))
