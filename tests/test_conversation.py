"""The conversation, driven without a network: registration, roles, /viec, buttons and
numbered choices, free-text replies, undo, /tiendo, and refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from handlers.features import build_router
from handlers.messages import Attachment
from models.plans import StatusUpdate, Task
from tests.conftest import BACKENDS
from tests.harness import SAMPLE_DOCX, Harness, sample_harness, task_row, text_of


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram")


def test_parse_command() -> None:
    parse_command = build_router().parse_command
    assert parse_command("/viec@dondoc_bot 12") == ("viec", "12")
    assert parse_command("/CapNhat 3 Hoàn thành") == ("capnhat", "3 Hoàn thành")
    assert parse_command("Hoàn thành") is None


async def test_stranger_gets_one_line_and_no_tasks(bot: Harness) -> None:
    for text in ("/viec", "/tiendo", "/viec 1", "/capnhat 1 Hoàn thành", "Hoàn thành", "/quahan"):
        replies = await bot.say("stranger", text)
        assert len(replies) == 1
        assert "/dangky" in replies[0].text
        assert "Ban hành Kế hoạch" not in replies[0].text
    assert (await task_row(bot, "1")).status == "not_started"


async def test_start_and_unknown_command(bot: Harness) -> None:
    assert "/dangky" in text_of(await bot.say("newcomer", "/start"))
    replies = await bot.say("newcomer", "/khongco")
    assert "chưa hiểu lệnh /khongco" in replies[0].text


async def test_register_says_org_unit_and_role(bot: Harness) -> None:
    code = await bot.invite("officer", "Phòng VH-XH")
    replies = await bot.say("lan", f"/dangky {code}")
    assert "Phòng Văn hóa - Xã hội" in replies[0].text or "Phòng Văn hoá" in replies[0].text
    assert "Phòng Văn hóa - Xã hội, xã Nguyễn Bình Khiêm" in replies[0].text and "cán bộ phụ trách" in replies[0].text
    again = await bot.say("other", f"/dangky {code}")
    assert "hết lượt" in again[0].text
    assert "không đúng" in (await bot.say("other", "/dangky ZZZZZZZZ"))[0].text


async def test_a_second_code_says_the_new_role_and_the_ones_kept(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    code = await bot.invite("leader")
    text = text_of(await bot.say("lan", f"/dangky {code}"))
    assert "vai trò lãnh đạo" in text
    assert "vẫn giữ các vai trò đã có: cán bộ phụ trách (Phòng Văn hóa - Xã hội" in text
    first = await bot.invite("officer", "Phòng Kinh tế")
    alone = text_of(await bot.say("minh", f"/dangky {first}"))
    assert "vẫn giữ" not in alone


async def test_officer_sees_own_unit_tasks_nearest_first(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    replies = await bot.say("lan", "/viec")
    assert len(replies) == 1 and "nhiệm vụ đang mở" in replies[0].text
    first = replies[0].text.split("\n")[1:3]  # due 14/01/2026, the nearest
    assert first == ["1. Ban hành Kế hoạch cải cách hành chính năm 2026", "   hạn 14/01 — còn 7 ngày làm việc · Chưa thực hiện"]
    card = await bot.say("lan", callback=replies[0].buttons[0][0].data)  # the clock says 05/01/2026
    assert card[0].text.startswith("Nhiệm vụ 1:")
    assert "\nHạn 14/01/2026 — còn 7 ngày làm việc\n" in card[0].text
    labels = [b.label for row in card[0].buttons for b in row]
    assert labels == ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Xin gia hạn"]
    everything = text_of(replies)
    assert "Công an" not in everything and "\n33." not in everything


async def test_button_then_free_text_reply_records_and_undo(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/viec 1")
    task = await task_row(bot, "1")
    pressed = await bot.say("lan", callback=f"st:{task.id}:in_progress", reply_to=bot.message_about("lan", "1"))
    assert "Đã ghi nhận nhiệm vụ 1" in pressed[0].text and "Đang thực hiện" in pressed[0].text
    assert (await task_row(bot, "1")).status == "in_progress"

    await bot.say("lan", "/viec 1")
    reply = await bot.say(
        "lan", "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026", reply_to=bot.message_about("lan", "1")
    )
    assert "Hoàn thành" in reply[0].text and "QĐ số 12/QĐ-UBND ngày 09/01/2026" in reply[0].text
    assert reply[0].buttons[0][0].label == "Hoàn tác"
    assert (await task_row(bot, "1")).status == "done"

    undone = await bot.say("lan", callback=reply[0].buttons[0][0].data)
    assert "Đã hoàn tác" in undone[0].text
    assert (await task_row(bot, "1")).status == "in_progress"
    async with bot.sessions() as session:  # nothing deleted: 3 statuses/undo rows kept
        kinds = list(await session.scalars(select(StatusUpdate.kind).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id)))
    assert kinds == ["status", "status", "undo"]


async def test_unknown_text_is_kept_as_note(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/viec 6")
    replies = await bot.say("lan", "để em hỏi lại chị trưởng phòng", reply_to=bot.message_about("lan", "6"))
    assert "ghi chú" in replies[0].text and "Hoàn thành" in replies[0].text
    async with bot.sessions() as session:
        note = await session.scalar(select(StatusUpdate).where(StatusUpdate.kind == "note"))
    assert note is not None and note.text == "để em hỏi lại chị trưởng phòng"
    assert (await task_row(bot, "6")).status == "not_started"
    card = (await bot.say("lan", "/viec 6"))[0].text
    assert "Lan: (ghi chú) để em hỏi lại chị trưởng phòng" in card  # never read as a status


async def test_a_document_dated_after_today_is_not_taken_as_done(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    typed = "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 20/02/2026"
    answer = text_of(await bot.say("lan", typed))
    assert "ghi ngày sau hôm nay nên tôi chưa ghi là hoàn thành" in answer, answer
    assert "QĐ số 12/QĐ-UBND ngày 20/02/2026" in answer
    assert (await task_row(bot, "1")).status != "done"
    async with bot.sessions() as session:  # what was typed is kept
        note = await session.scalar(select(StatusUpdate).where(StatusUpdate.kind == "note"))
    assert note is not None and "20/02/2026" in note.text
    done = text_of(await bot.say("lan", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 02/01/2026"))
    assert "Đã ghi nhận nhiệm vụ 1" in done and (await task_row(bot, "1")).status == "done"


async def test_other_units_officer_is_refused(bot: Harness) -> None:
    await bot.register("minh", "officer", "Phòng Kinh tế")
    replies = await bot.say("minh", "/viec 1")
    # /tim shows the commune's tasks, so the refusal says whose the task is
    assert replies[0].text.startswith("Nhiệm vụ 1 do Phòng Văn hóa - Xã hội chủ trì, không thuộc")
    replies = await bot.say("minh", "/capnhat 1 Hoàn thành")
    assert "không mở hoặc báo cáo được" in replies[0].text
    assert text_of(await bot.say("minh", "/viec 99")).startswith("Không có nhiệm vụ số 99")
    assert (await task_row(bot, "1")).status == "not_started"


async def test_capnhat_and_extension_and_progress(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("trinh", "leader")
    done = await bot.say("lan", "/capnhat 1 Đã ban hành Kế hoạch số 22/KH-UBND ngày 02/01/2026")
    assert "Hoàn thành" in done[0].text
    ext = await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    assert "Xin gia hạn đến 20/04/2026" in ext[0].text
    progress = await bot.say("trinh", "/tiendo")
    assert "Hoàn thành: 1/39 (2,6%)" in progress[0].text
    officer_view = await bot.say("lan", "/tiendo")
    assert "Hoàn thành: 1/" in officer_view[0].text and "/39" not in officer_view[0].text


async def test_leader_can_update_any_task(bot: Harness) -> None:
    await bot.register("trinh", "leader")
    replies = await bot.say("trinh", "/capnhat 33 đang thực hiện 60%")
    assert "Đang thực hiện 60%" in replies[0].text
    task = await task_row(bot, "33")
    assert (task.status, task.percent) == ("in_progress", 60)


async def test_text_channel_numbered_choices(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    shown = await bot.say("lan", "/viec 2")
    assert "Trả lời 1 = Hoàn thành, 2 = Đang thực hiện" in shown[-1].text
    assert not shown[-1].buttons
    chosen = await bot.say("lan", "1")
    assert "Đã ghi nhận nhiệm vụ 2" in chosen[0].text
    assert (await task_row(bot, "2")).status == "done"
    # a bare reply goes to the task in focus; done → not started is asked first
    reply = await bot.say("lan", "chưa thực hiện vì chưa có kinh phí")
    assert "Nhiệm vụ 2" in reply[0].text and "đang ghi «Hoàn thành»" in reply[0].text
    assert "1 = Ghi: Chưa thực hiện, 2 = Không phải" in reply[0].text
    assert (await task_row(bot, "2")).status == "done"
    confirmed = await bot.say("lan", "1")
    assert "nhiệm vụ 2" in confirmed[0].text and "chưa có kinh phí" in confirmed[0].text
    assert (await task_row(bot, "2")).status == "not_started"
    undo = await bot.say("lan", "/hoantac")
    assert "Đã hoàn tác" in undo[0].text and "Hoàn thành" in undo[0].text


async def test_admin_import_by_chat_keeps_data_on_bad_file(bot: Harness) -> None:
    await bot.register("ha", "admin")
    ask = await bot.say("ha", "/nhap")
    assert "gửi tệp kế hoạch" in ask[0].text
    bad = await bot.say("ha", attachment=Attachment("hong.docx", b"PK\x03\x04 broken", "document"))
    assert "Không nhập được" in bad[0].text and "giữ nguyên" in bad[0].text
    async with bot.sessions() as session:
        assert await session.scalar(select(func.count(Task.id))) == 39
    again = await bot.say("ha", "/nhap", attachment=Attachment("kh.docx", SAMPLE_DOCX.read_bytes(), "document"))
    assert "39 nhiệm vụ" in again[0].text and "giữ nguyên 39" in again[0].text
    refused = await bot.say("lan", "/nhap")
    assert "/dangky" in refused[0].text


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_story_on_both_databases(bot: Harness) -> None:
    await bot.register("lan", "officer", "phòng VH-XH")
    await bot.say("lan", "/viec 1")
    await bot.say("lan", "hoan thanh", reply_to=bot.message_about("lan", "1"))
    assert (await task_row(bot, "1")).status == "done"


async def test_extension_dates_are_checked(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")  # today is 05/01/2026
    past = await bot.say("lan", "/giahan 6 2/1 chờ hướng dẫn")
    assert "ghi rõ cả năm" in past[0].text
    past = await bot.say("lan", "/giahan 6 2/1/2026 chờ hướng dẫn")
    assert "đã qua" in past[0].text
    earlier = await bot.say("lan", "/giahan 6 20/3 chờ hướng dẫn")  # task 6 is due 31/03
    assert "phải sau hạn hiện tại 31/03/2026" in earlier[0].text
    bad = await bot.say("lan", "/capnhat 6 xin gia hạn đến 30/2")
    assert "chưa đọc được ngày" in bad[0].text
    more = await bot.say("lan", "/capnhat 6 đề nghị gia hạn thêm 10 ngày vì chờ kinh phí")
    assert "Xin gia hạn đến 10/04/2026" in more[0].text  # counted from the deadline
    await bot.say("lan", "/capnhat 1 Hoàn thành")
    done = await bot.say("lan", "/giahan 1 20/1 chờ")
    assert "đã hoàn thành nên không cần gia hạn" in done[0].text


async def test_extension_button_then_date_and_reason(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/viec 6")
    asked = await bot.say("lan", "4")  # 4 = Xin gia hạn
    assert "ngày xin gia hạn và lý do" in asked[0].text
    reply = await bot.say("lan", "15/4 vì chờ ý kiến của Sở Nội vụ")
    assert "Xin gia hạn đến 15/04/2026" in reply[0].text and "chờ ý kiến của Sở Nội vụ" in reply[0].text
    # the marker is good for one message only
    after = await bot.say("lan", "20/4")
    assert "chưa hiểu tình trạng" in after[0].text


async def test_percent_over_100_is_asked_again(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    replies = await bot.say("lan", "/capnhat 6 đang thực hiện 150%")
    assert "chưa hiểu tình trạng" in replies[0].text
    assert (await task_row(bot, "6")).status == "not_started"


async def test_undone_evidence_is_not_evidence(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026")
    await bot.say("lan", "/hoantac")
    await bot.say("lan", "/capnhat 1 xong")
    shown = await bot.say("lan", "/viec 1")
    assert "Minh chứng" not in shown[0].text


async def test_units_and_roles_as_people_type_them(bot: Harness) -> None:
    await bot.register("ha", "admin")
    for text, unit, role in (
        ("/moi Phong kinh te cán bộ", "Phòng Kinh tế", "cán bộ phụ trách"),
        ("/moi phòng VH-XH lãnh đạo", "Phòng Văn hóa - Xã hội", "lãnh đạo"),
        ("/moi Văn phòng HĐND&UBND", "Văn phòng HĐND và UBND", "cán bộ phụ trách"),
    ):
        reply = (await bot.say("ha", text))[0].text
        assert unit in reply and role in reply, (text, reply)
    unknown = (await bot.say("ha", "/moi Phòng Tư pháp"))[0].text
    assert "Không tìm thấy đơn vị «Phòng Tư pháp»" in unknown and "Phòng Kinh tế" in unknown
    await bot.register("trinh", "leader")
    narrowed = (await bot.say("trinh", "/tiendo VH-XH"))[0].text
    assert "Phòng Văn hóa - Xã hội" in narrowed


async def test_pending_extension_shows_on_the_task(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    assert "Đang chờ lãnh đạo duyệt gia hạn đến 20/04/2026." in (await bot.say("lan", "/viec 6"))[0].text
    await bot.register("trinh", "leader")
    await bot.say("trinh", "/tuchoi 6 chưa đủ lý do")
    assert "Đang chờ lãnh đạo duyệt" not in (await bot.say("lan", "/viec 6"))[0].text


async def test_no_unit_is_named_behind_before_anything_is_due(bot: Harness) -> None:
    await bot.register("trinh", "leader")
    reply = (await bot.say("trinh", "/tiendo"))[0].text  # 05/01/2026: nothing due yet
    assert "Hoàn thành: 0/39 (0%)" in reply and "Đơn vị chậm nhất" not in reply


async def history_rows(bot: Harness, number: str) -> list[StatusUpdate]:
    task = await task_row(bot, number)
    async with bot.sessions() as session:
        return list(await session.scalars(select(StatusUpdate).where(StatusUpdate.task_id == task.id)))


async def test_a_task_named_with_nothing_said_opens_its_card_and_records_nothing(sessions, clock) -> None:  # noqa: ANN001
    """After a list that offered no numbered choice, "1", "1.", "nv 1", "01" name task 1
    and say nothing about it: its card (whose choices ask what is meant), never a status
    or a note "nv 1" kept on task 1 without asking."""
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    for typed in ("1", "1.", "nv 1", "nhiệm vụ 1 ạ", "#1", "01"):
        await bot.say("lan", "/tiendo")  # no numbered choices
        reply = text_of(await bot.say("lan", typed))
        assert reply.startswith("Nhiệm vụ 1: Ban hành Kế hoạch"), typed
        assert "Trả lời 1 = Hoàn thành, 2 = Đang thực hiện" in reply, typed
    both = text_of(await bot.say("lan", "nv 1, 25"))
    assert both.startswith("Anh/chị muốn báo cáo gì về nhiệm vụ 1, 25?") and "Chưa có gì được ghi." in both
    assert await history_rows(bot, "1") == [] and await history_rows(bot, "25") == []
    assert (await task_row(bot, "1")).status == "not_started"
    await bot.say("lan", "/viec 1")
    chose = text_of(await bot.say("lan", "1."))  # a choice on offer: "1." is "1 = Hoàn thành"
    assert chose.startswith("Đã ghi nhận nhiệm vụ 1") and (await task_row(bot, "1")).status == "done"


async def test_a_leaders_card_offers_what_a_leader_can_do(bot: Harness) -> None:
    """A leader decides extensions (no «Xin gia hạn» of himself), and his words are notes:
    a finished task says /capnhat, not "send a new status or /hoantac"."""
    await bot.register("trinh", "leader")
    card = (await bot.say("trinh", "/viec 1"))[0]
    assert [b.label for row in card.buttons for b in row] == ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
    assert "Để cập nhật tình trạng, nhắn /capnhat 1 nội dung." in card.text
    await bot.say("trinh", "/capnhat 1 Hoàn thành, KH số 05/KH-UBND ngày 10/01/2026")
    done = text_of(await bot.say("trinh", "/viec 1"))
    assert done.endswith("Nhiệm vụ đã xong. Nếu cần sửa tình trạng, nhắn /capnhat 1 nội dung.")
    assert "/hoantac" not in done
