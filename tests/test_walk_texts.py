"""What officers, leaders and strangers read, compared as they see it: found by walking
the demo on a 60-column screen (undo after "Chưa thực hiện", the appendix title that
named the unit twice, a wrapped file path that lost its indent, placeholders such as
MÃ_MỜI, "Toàn Xã", a file's line after the advice, "08:31 13/01/2026")."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from docx import Document

from bot.channels.console import INDENT, ConsoleChannel
from bot.channels.console_input import parse_jump
from handlers.messages import Attachment
from tests.harness import Harness, sample_harness, text_of

VHXH = "Phòng Văn hóa - Xã hội"
PDF_BYTES = b"%PDF-1.7\n" + b"ke hoach tuyen truyen " * 50 + b"\n%%EOF"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("lan", "officer", VHXH), ("trinh", "leader"))


async def test_undo_says_where_the_task_stands_in_words_that_fit(bot: Harness) -> None:
    await bot.say("lan", "25 chưa thực hiện")
    # Was "Nhiệm vụ 25 trở lại: Chưa thực hiện" — as if the report were still there.
    assert text_of(await bot.say("lan", "/hoantac")) == "Đã hoàn tác. Nhiệm vụ 25 chưa có báo cáo nào."
    await bot.say("lan", "6 đang thực hiện")
    await bot.say("lan", "6 đang thực hiện")
    assert (
        text_of(await bot.say("lan", "/hoantac"))
        == "Đã hoàn tác. Nhiệm vụ 6 vẫn ghi «Đang thực hiện» theo báo cáo trước."
    )
    await bot.say("lan", "6 đang thực hiện 60%")
    assert text_of(await bot.say("lan", "/hoantac")) == "Đã hoàn tác. Nhiệm vụ 6 trở lại: Đang thực hiện."


def test_undo_of_a_note_says_the_note_went() -> None:
    from handlers.replies.status_commands import undo_text  # noqa: PLC0415 (new here)

    assert undo_text("6", "note", "Đang thực hiện", "Đang thực hiện", True) == (
        "Đã hoàn tác ghi chú vừa rồi. Nhiệm vụ 6 vẫn ghi «Đang thực hiện»."
    )
    assert undo_text("6", "note", "Chưa thực hiện", "Chưa thực hiện", False) == (
        "Đã hoàn tác ghi chú vừa rồi. Nhiệm vụ 6 chưa có báo cáo nào."
    )


async def test_appendix_summary_names_its_unit_once(bot: Harness) -> None:
    officer = next(r.text for r in await bot.say("lan", "/baocao quy1") if r.document)
    assert officer.startswith(
        f"Phụ lục «Kết quả thực hiện nhiệm vụ công tác cải cách hành chính của {VHXH} quý I"
        " năm 2026», số liệu đến ngày"
    )
    assert officer.count(VHXH) == 1
    leader = next(r.text for r in await bot.say("trinh", "/baocao quy1") if r.document)
    assert leader.count("Nguyễn Bình Khiêm") == 1
    draft = text_of(await bot.say("lan", "/baocao baocao quy1"))
    assert f"» — {VHXH}, số liệu" in draft  # not in its title


def test_a_long_file_path_keeps_its_indent_on_a_phone_width() -> None:
    console = ConsoleChannel.__new__(ConsoleChannel)  # only its wrapping
    console.width = 60
    path = "/work/wt/walk/dondoc-tep/ket-qua-cchc-xa-nguyen-binh-khiem-phong-van-hoa-xa-hoi-quy1-2026.docx"
    rows = console.wrap(f"{INDENT}[tệp đã ghi: {path}]").split("\n")
    assert len(rows) > 1
    assert all(row.startswith(INDENT) and len(row) <= 60 for row in rows), rows
    assert "".join(rows).replace(" ", "") == f"[tệpđãghi:{path}]"
    # ordinary words are never cut, and "12/QĐ-UBND" stays whole
    text = "dondoc: Đã ghi nhận nhiệm vụ 1: Hoàn thành. Minh chứng: QĐ số 12/QĐ-UBND ngày 09/01/2026."
    assert "12/QĐ-UBND" in console.wrap(text)


async def test_strangers_and_help_ask_for_nothing_odd_to_type(bot: Harness) -> None:
    odd = re.compile(r"[A-ZĐ]+_[A-ZĐ]+|\[|\||\]")  # MÃ_MỜI, [ĐƠN_VỊ|quy1…quy4], vi|en
    for text in ("xin chào", "/viec", "/abc", "/viec 1", "/capnhat 1 xong"):
        answer = text_of(await bot.say("stranger", text))
        assert "/dangky" in answer and not odd.search(answer), answer
    assert "kèm mã mời do văn phòng cấp" in text_of(await bot.say("stranger", "/abc"))
    await bot.register("ha", "admin")
    for user in ("lan", "trinh", "ha"):
        help_text = text_of(await bot.say(user, "/trogiup"))
        assert not odd.search(help_text), help_text
    usage = text_of(await bot.say("ha", "/moi"))
    assert not odd.search(usage) and "ví dụ: /moi Phòng Kinh tế canbo" in usage
    assert not odd.search(text_of(await bot.say("lan", "/giahan 6")))


async def test_commune_named_inside_a_sentence_in_small_letters(bot: Harness) -> None:
    assert text_of(await bot.say("trinh", "/viec")).startswith("Toàn xã Nguyễn Bình Khiêm: ")
    code = await bot.invite("officer", "Phòng Kinh tế")
    assert text_of(await bot.say("minh", f"/dangky {code}")).startswith(
        "Đăng ký thành công: Phòng Kinh tế, xã Nguyễn Bình Khiêm, vai trò"
    )


async def test_a_request_says_its_time_and_day_as_people_write_them(bot: Harness) -> None:
    await bot.say("lan", "nhiệm vụ 6 xin gia hạn đến 30/4 vì chờ kinh phí")
    listed = text_of(await bot.say("trinh", "/duyet"))
    assert "; Lan gửi lúc 09:00 ngày 05/01/2026\n" in listed  # was "lúc 09:00 05/01/2026"


async def test_a_file_with_words_says_it_is_kept_before_the_advice(bot: Harness) -> None:
    answer = text_of(
        await bot.say(
            "lan", "nhiệm vụ 25 kế hoạch tuyên truyền", attachment=Attachment("kh.pdf", PDF_BYTES, "document")
        )
    )
    lines = answer.split("\n")
    kept = next(i for i, line in enumerate(lines) if line.startswith("Đã lưu tệp «kh.pdf»"))
    assert kept == 1, answer  # right under what was recorded, before "Anh/chị có thể trả lời…"


async def test_undoing_a_request_says_it_is_withdrawn_before_where_the_task_stands(bot: Harness) -> None:
    await bot.say("lan", "/giahan 25 thêm 1 tháng chờ hướng dẫn")
    assert text_of(await bot.say("lan", "/hoantac")) == (
        "Đã hoàn tác. Đề nghị gia hạn đã được rút lại. Nhiệm vụ 25 chưa có báo cáo nào."
    )


async def test_progress_of_a_fifth_quarter_or_an_unknown_unit_says_what_to_type(bot: Harness) -> None:
    # was "Không tìm thấy đơn vị «quy5»."
    assert text_of(await bot.say("trinh", "/tiendo quy5")) == (
        "Một năm có 4 quý: anh/chị nhắn /tiendo quy1, quy2, quy3 hoặc quy4."
    )
    assert text_of(await bot.say("trinh", "/tiendo Phòng Tư pháp")) == (
        "Không tìm thấy đơn vị «Phòng Tư pháp». Anh/chị nhắn tên đơn vị như trong kế hoạch,"
        " ví dụ: /tiendo Phòng Kinh tế."
    )


async def test_plans_list_names_the_commune_inside_its_sentence(bot: Harness) -> None:
    assert text_of(await bot.say("trinh", "/kehoach")).startswith(
        "Các kế hoạch năm 2026 của xã Nguyễn Bình Khiêm:"
    )


def test_the_demo_clock_moves_by_hours_and_minutes_too() -> None:
    now = datetime(2026, 1, 14, 7, 59)
    assert parse_jump("2 giờ", now) == now + timedelta(hours=2)  # was "Cách dùng: /tua …"
    assert parse_jump("1 tieng", now) == now + timedelta(hours=1)
    assert parse_jump("30 phút", now) == now + timedelta(minutes=30)


async def test_usage_lines_ask_for_nothing_odd_to_type(bot: Harness) -> None:
    odd = re.compile(r"[A-ZĐ]+_[A-ZĐ]+|\[|\||\]")
    await bot.register("ha", "admin")
    for user, command in (("trinh", "/giao"), ("ha", "/chamdiem"), ("ha", "/kehoach")):
        answer = text_of(await bot.say(user, command))
        assert not odd.search(answer), (command, answer)


def test_after_a_jump_the_officer_sees_the_reminder_to_answer(tmp_path) -> None:  # noqa: ANN001
    from tests.test_demo import run_script  # noqa: PLC0415 (a subprocess demo, as test_demo runs it)

    out = run_script(tmp_path, "/tua 2026-01-16 08:00\n1\n").stdout
    assert "Đã nhập kế hoạch mẫu «Kế hoạch CCHC năm 2026» của xã Nguyễn Bình Khiêm: 39 nhiệm vụ." in out
    after = out.split("Tin gần nhất dondoc gửi cho anh/chị trong lúc tua:\n", 1)
    assert len(after) == 2, out  # was only "• Nguyễn Thị Lan (Phòng VH-XH): nhắc NV 1; quá hạn NV 1"
    assert after[1].startswith("dondoc: Nhiệm vụ đã quá hạn:\n   Nhiệm vụ 1: Ban hành Kế hoạch")
    assert "Đã ghi nhận nhiệm vụ 1 «Ban hành Kế hoạch cải cách hành chính năm 2026»: Hoàn thành." in after[1]



async def test_not_started_without_a_reason_asks_for_one_once(bot: Harness) -> None:
    said = text_of(await bot.say("lan", "6 chưa thực hiện"))
    assert said.endswith(
        ": Chưa thực hiện.\nAnh/chị nhắn thêm lý do để ghi vào phụ lục, ví dụ «Chưa thực hiện, lý do: chờ hướng dẫn»."
        "\nTrả lời 1 = Hoàn tác"
    )
    given = text_of(await bot.say("lan", "Chưa thực hiện, lý do: chờ hướng dẫn của cấp trên"))
    assert "Lý do: chờ hướng dẫn của cấp trên" in given and "nhắn thêm lý do" not in given
    docx = next(r.document.data for r in await bot.say("lan", "/baocao quy1") if r.document)
    row = next(r for r in Document(BytesIO(docx)).tables[1].rows if r.cells[0].text == "6")
    assert row.cells[5].text == "Chưa thực hiện. Lý do: Chờ hướng dẫn của cấp trên"
