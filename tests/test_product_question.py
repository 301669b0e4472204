"""A task reported done with no document: recorded as said, and the plan's product
("Sản phẩm") asked for once, with one tap to skip; never asked when the words or a file
already name it, for a task already done, or of a leader's /capnhat."""

from __future__ import annotations

import pytest

from handlers.replies.product_ask import SKIP, example_of, names_product, product_kinds, should_ask
from tests.harness import Harness, sample_harness, status_rows, task_row, text_of

VHXH = "Phòng Văn hóa - Xã hội"
ASKED = "Sản phẩm của nhiệm vụ là «Kế hoạch của UBND xã»"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram", ("lan", "officer", VHXH), ("trinh", "leader"))

def labels(message) -> list[str]:  # noqa: ANN001
    return [b.label for row in message.buttons for b in row]


def test_the_products_kinds_and_whether_words_name_them() -> None:
    assert product_kinds("Kế hoạch của UBND xã") == ["ke hoach"]
    assert product_kinds("Kế hoạch, Báo cáo") == ["ke hoach", "bao cao"]
    assert product_kinds("Nghị quyết HĐND, Quyết định của UBND xã") == ["nghi quyet", "quyet dinh"]
    assert names_product("xong, đã ban hành quyết định giao biên chế", "Nghị quyết HĐND, Quyết định")
    assert names_product("da xong bao cao", "Kế hoạch, Báo cáo")  # typed without marks
    assert not names_product("xong rồi", "Kế hoạch của UBND xã")
    assert should_ask("Kế hoạch của UBND xã", "xong rồi", (), was_done=False)
    assert not should_ask("Kế hoạch của UBND xã", "xong rồi", (), was_done=True)  # asked before
    assert not should_ask("Kế hoạch", "Hoàn thành", ("QĐ số 12/QĐ-UBND",), was_done=False)
    assert not should_ask(None, "xong rồi", (), was_done=False) and not should_ask("", "xong", (), False)
    assert example_of("Biểu mẫu rà soát; Báo cáo phương án đơn giản") == "Báo cáo số 05/BC-UBND ngày 10/01/2026"
    assert example_of("Quyết định của UBND xã") == "Quyết định số 05/QĐ-UBND ngày 10/01/2026"
    assert example_of("Sổ theo dõi") == "Kế hoạch số 05/KH-UBND ngày 10/01/2026"


async def test_done_without_a_document_is_recorded_and_the_product_asked_once(bot: Harness) -> None:
    await bot.say("lan", "/viec 1")
    reply = await bot.say("lan", "xong rồi", reply_to=bot.message_about("lan", "1"))
    assert reply[0].text.startswith("Đã ghi nhận nhiệm vụ 1 «Ban hành Kế hoạch cải cách hành chính năm 2026»: Hoàn thành.\n")
    assert ASKED in reply[0].text and "hoặc gửi tệp" in reply[0].text
    assert labels(reply[0]) == ["Hoàn tác", "Bỏ qua"]
    assert (await task_row(bot, "1")).status == "done"
    assert [(r.kind, r.text) for r in await status_rows(bot, "1")] == [("status", "xong rồi")]  # kept

    skip = next(b.data for row in reply[0].buttons for b in row if b.label == "Bỏ qua")
    assert skip.startswith(f"{SKIP}:")
    skipped = text_of(await bot.say("lan", callback=skip))
    assert skipped == (
        "Vâng, tôi không hỏi thêm. Khi có văn bản, anh/chị nhắn /capnhat 1 kèm số, ngày văn bản hoặc gửi tệp."
    )
    assert len(await status_rows(bot, "1")) == 1 and (await task_row(bot, "1")).status == "done"

    again = text_of(await bot.say("lan", "nhiệm vụ 1 xong"))  # already done: not asked twice
    assert "Sản phẩm của nhiệm vụ" not in again


async def test_the_document_typed_after_the_question_is_its_evidence(bot: Harness) -> None:
    await bot.say("lan", "/viec 1")
    await bot.say("lan", "xong rồi", reply_to=bot.message_about("lan", "1"))
    answer = text_of(await bot.say("lan", "Kế hoạch số 05/KH-UBND ngày 10/01/2026"))
    assert "Minh chứng: Kế hoạch số 05/KH-UBND ngày 10/01/2026." in answer
    assert "Sản phẩm của nhiệm vụ" not in answer
    assert (await status_rows(bot, "1"))[-1].evidence == ["Kế hoạch số 05/KH-UBND ngày 10/01/2026"]


async def test_not_asked_when_the_words_name_it_or_a_leader_updates(bot: Harness) -> None:
    with_document = text_of(await bot.say("lan", "/capnhat 1 Hoàn thành, KH số 05/KH-UBND ngày 10/01/2026"))
    assert "Đã ghi nhận nhiệm vụ 1" in with_document and "Sản phẩm của nhiệm vụ" not in with_document
    named = text_of(await bot.say("lan", "/capnhat 25 xong, đã ban hành quyết định giao biên chế"))
    assert "Đã ghi nhận nhiệm vụ 25" in named and "Sản phẩm của nhiệm vụ" not in named
    leader = await bot.say("trinh", "/capnhat 6 Hoàn thành")
    assert "Đã ghi nhận nhiệm vụ 6" in leader[0].text and "Sản phẩm" not in leader[0].text
    assert labels(leader[0]) == ["Hoàn tác"]


async def test_the_done_tap_asks_one_question_not_two(bot: Harness) -> None:
    await bot.say("lan", "/viec 6")
    task = await task_row(bot, "6")
    pressed = await bot.say("lan", callback=f"st:{task.id}:done", reply_to=bot.message_about("lan", "6"))
    text = text_of(pressed)
    assert "Sản phẩm của nhiệm vụ là «Kế hoạch, Báo cáo»" in text and "(ví dụ «Kế hoạch số 05/KH-UBND" in text
    assert "Nếu có văn bản minh chứng" not in text  # the older hint said the same again


async def test_on_zalo_the_skip_is_a_number(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.say("lan", "/viec 1")
    reply = text_of(await bot.say("lan", "xong rồi"))
    assert ASKED in reply and reply.endswith("Trả lời 1 = Hoàn tác, 2 = Bỏ qua")
    assert text_of(await bot.say("lan", "2")).startswith("Vâng, tôi không hỏi thêm.")
    assert (await task_row(bot, "1")).status == "done"


async def test_several_done_at_once_get_one_line_not_a_question_each(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    reply = text_of(await bot.say("lan", "1 xong, 6 xong"))
    assert "Sản phẩm của nhiệm vụ là" not in reply
    assert (
        "Nhiệm vụ 1, 6 chưa có số, ngày văn bản của sản phẩm; khi có, anh/chị nhắn kèm số nhiệm vụ, "
        "ví dụ «nhiệm vụ 1: Kế hoạch số 05/KH-UBND ngày 10/01/2026», hoặc gửi tệp."
    ) in reply
    assert reply.endswith("Trả lời 1 = Hoàn tác NV 1, 2 = Hoàn tác NV 6")  # no skip to tap
    later = text_of(await bot.say("lan", "nhiệm vụ 1: Kế hoạch số 05/KH-UBND ngày 10/01/2026"))
    assert "Minh chứng: Kế hoạch số 05/KH-UBND ngày 10/01/2026." in later
    assert (await status_rows(bot, "1"))[-1].evidence == ["Kế hoạch số 05/KH-UBND ngày 10/01/2026"]
