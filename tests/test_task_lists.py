"""One message, not seven: /viec lists the open tasks in one message (number, short
content, deadline in words, status, marks for overdue and pending extensions), with a
button per task on Telegram that opens its card and /viec SỐ elsewhere; pages for long
lists stay under the channels' limits and 60 columns; bundled reminders likewise."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from handlers.tasks.listing import OPEN, ListArgs, compact_deadline, page_of, parse_list_args
from models.plans import Task
from scheduler.workdays import WorkCalendar
from tests.conftest import TZ
from tests.harness import Harness, sample_harness, task_row, text_of

VHXH = "Phòng Văn hóa - Xã hội"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram")


def labels(message) -> list[str]:  # noqa: ANN001
    return [b.label for row in message.buttons for b in row]


def lines_fit(text: str) -> None:
    """The task lines (not the prose around them, which a phone wraps) fit 60 columns."""
    listed = [line for line in text.split("\n") if line[:1].isdigit() or line[:1] in "❗⏳ "]
    assert len(listed) >= 4
    too_wide = [line for line in listed if len(line) > 60]
    assert not too_wide, too_wide


async def test_viec_is_one_message_with_a_button_per_task(bot: Harness) -> None:
    await bot.register("lan", "officer", VHXH)
    replies = await bot.say("lan", "/viec")
    assert len(replies) == 1
    listing = replies[0]
    assert listing.text.startswith("Anh/chị có 16 nhiệm vụ đang mở")
    assert "\n1. Ban hành Kế hoạch cải cách hành chính năm 2026\n" in listing.text
    assert "\n   hạn 14/01 — còn 7 ngày làm việc · Chưa thực hiện\n" in listing.text
    assert "26. Rà soát" in listing.text and "thường xuyên · Chưa thực hiện" in listing.text
    assert "Công an" not in listing.text and "\n33." not in listing.text
    lines_fit(listing.text)
    assert labels(listing)[:3] == ["1", "25", "6"] and len(labels(listing)) == 16
    assert len(listing.task_ids) == 16 and listing.task_id is None
    task = await task_row(bot, "25")
    data = {b.label: b.data for row in listing.buttons for b in row}
    assert data["25"] == f"{OPEN}:{task.id}"

    card = await bot.say("lan", callback=data["25"])
    assert card[0].text.startswith("Nhiệm vụ 25:") and card[0].task_id == task.id
    assert labels(card[0]) == ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Xin gia hạn"]
    done = await bot.say("lan", "Hoàn thành, QĐ số 5/QĐ-UBND ngày 02/01/2026")
    assert "Đã ghi nhận nhiệm vụ 25" in done[0].text  # the opened card is in focus
    assert (await task_row(bot, "25")).status == "done"
    assert "25. Giao" not in (await bot.say("lan", "/viec"))[0].text


async def test_a_bare_reply_to_the_list_is_asked_about(bot: Harness) -> None:
    await bot.register("lan", "officer", VHXH)
    await bot.say("lan", "/viec")
    asked = await bot.say("lan", "Hoàn thành")
    assert "nhiệm vụ nào" in text_of(asked)
    assert (await task_row(bot, "1")).status == "not_started"


async def test_marks_for_overdue_and_pending_extension(bot: Harness, clock) -> None:  # noqa: ANN001
    await bot.register("lan", "officer", VHXH)
    await bot.say("lan", "/giahan 6 20/4 chờ kinh phí")
    await bot.say("lan", "/capnhat 25 đang thực hiện 60%")
    clock.move_to(datetime(2026, 1, 20, 9, 0, tzinfo=TZ))
    text = (await bot.say("lan", "/viec"))[0].text
    assert "\n❗1. Ban hành Kế hoạch" in text
    assert "   hạn 14/01 — quá hạn 4 ngày làm việc · Chưa thực hiện\n" in text
    assert "\n⏳6. Ban hành, triển khai" in text
    assert "· Chưa thực hiện\n   chờ duyệt gia hạn đến 20/04\n" in text
    assert "hạn 31/01 — còn 9 ngày làm việc · Đang thực hiện 60%" in text
    assert "❗ quá hạn · ⏳ đang chờ duyệt gia hạn" in text
    lines_fit(text)
    overdue = (await bot.say("lan", "/viec quá hạn"))[0].text
    assert overdue.startswith("1 nhiệm vụ quá hạn:") and "\n6." not in overdue
    assert "❗1." in overdue


async def test_text_channels_say_how_to_open_and_page_long_lists(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("trinh", "leader")
    first = await bot.say("trinh", "/viec")
    assert len(first) == 1 and first[0].buttons == []
    text = first[0].text
    assert text.startswith("Toàn xã Nguyễn Bình Khiêm: 39 nhiệm vụ đang mở.\nGồm: 39 chưa thực hiện\n")
    assert "\nHạn gần nhất trước (trang 1/5):\n" in text
    assert "Còn 31 nhiệm vụ: /viec trang 2" in text and "/viec quahan" not in text  # none overdue
    assert text.endswith("Nhắn /viec SỐ để mở một nhiệm vụ.")
    assert len(text) < 2000 and "Trả lời 1 =" not in text
    lines_fit(text)
    second = (await bot.say("trinh", "/viec trang 2"))[0].text
    assert second.startswith("Toàn xã Nguyễn Bình Khiêm: 39 nhiệm vụ đang mở, trang 2/5:")
    assert "Theo đơn vị chủ trì" not in second and "Còn 23 nhiệm vụ: /viec trang 3" in second
    numbers = lambda t: {line.split(".")[0].lstrip("❗⏳") for line in t.split("\n")[1:] if line[:1].isdigit()}  # noqa: E731
    assert len(numbers(text)) == 8 and not numbers(text) & numbers(second)
    last = (await bot.say("trinh", "/viec trang 5"))[0].text
    assert "trang 5/5:" in last and "Còn" not in last
    past = text_of(await bot.say("trinh", "/viec trang 9"))
    assert past.startswith("Danh sách chỉ có 5 trang (39 nhiệm vụ), anh/chị đã xem hết.")
    assert "\n1." not in past  # not the last page again
    card = await bot.say("trinh", "/viec 1")
    assert card[0].text.startswith("Nhiệm vụ 1:") and "Ban hành Kế hoạch" in card[0].text


async def test_a_leaders_list_counts_first_and_puts_overdue_first(bot: Harness) -> None:
    """75 lines on a phone was unreadable: the counts by status and by unit, then eight
    tasks, the overdue ones first."""
    await bot.register("trinh", "leader")
    await bot.say("trinh", "/capnhat 6 đang thực hiện 60%")
    bot.clock.move_to(datetime(2026, 2, 3, 9, 0, tzinfo=TZ))  # 1 and 25 are overdue
    listing = (await bot.say("trinh", "/viec"))[0]
    text = listing.text
    assert "\nGồm: ❗ 2 quá hạn · 1 đang thực hiện · 36 chưa thực hiện\n" in text
    units = text.split("Theo đơn vị chủ trì:\n")[1].split("\n\n")[0].split("\n")
    assert units[0] == "• Phòng Văn hóa - Xã hội: 16 (❗ 2 quá hạn)"
    assert len(units) <= 7 and all(u.startswith("• ") for u in units)
    assert "\nQuá hạn trước, rồi hạn gần nhất (trang 1/5):\n❗1. " in text
    assert "\n❗25. " in text and text.index("❗25.") < text.index("\n6. ")
    assert "· chỉ việc quá hạn: /viec quahan" in text
    assert labels(listing)[:3] == ["1", "25", "6"] and len(labels(listing)) == 8
    assert text.endswith("Bấm số nhiệm vụ bên dưới để mở.")
    assert len(text.split("\n")) <= 32  # was 75
    lines_fit(text)


async def test_a_page_past_the_last_says_so(bot: Harness) -> None:
    await bot.register("lan", "officer", VHXH)
    listing = text_of(await bot.say("lan", "/viec"))
    assert "trang" not in listing  # 16 tasks: one page
    again = text_of(await bot.say("lan", "/viec trang 2"))
    assert again == (
        "Danh sách chỉ có 1 trang (16 nhiệm vụ), anh/chị đã xem hết. Nhắn /viec để xem lại từ đầu."
    )
    bot.clock.move_to(datetime(2026, 1, 20, 9, 0, tzinfo=TZ))  # task 1 is overdue
    late = text_of(await bot.say("lan", "/viec quahan trang 2"))
    assert late.startswith("Danh sách chỉ có 1 trang (1 nhiệm vụ)") and "Nhắn /viec quahan để" in late


async def test_one_open_task_comes_as_its_card(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("an", "officer", "Công an xã")
    tasks = (await bot.say("an", "/viec"))[0].text
    assert tasks.startswith("Anh/chị có")
    numbers = [line.split(".")[0] for line in tasks.split("\n")[1:] if line[:1].isdigit()]
    for number in numbers[1:]:
        await bot.say("an", f"/capnhat {number} Hoàn thành")
    card = await bot.say("an", "/viec")
    assert card[0].text.startswith(f"Nhiệm vụ {numbers[0]}:") and card[0].task_id is not None


def test_list_arguments() -> None:
    assert parse_list_args("") == ListArgs()
    assert parse_list_args("quahan") == ListArgs(overdue_only=True)
    assert parse_list_args("quá hạn trang 2") == ListArgs(True, 2)
    assert parse_list_args("Trang 3") == ListArgs(page=3)
    assert parse_list_args("12") is None and parse_list_args("II.3") is None
    assert parse_list_args("trang") is None
    assert page_of(list(range(25)), 3, 12) == ([24], 3, 3)
    assert page_of(list(range(25)), 9, 12)[1] == 3 and page_of([], 1, 12) == ([], 1, 1)


def test_compact_deadline_words() -> None:
    calendar = WorkCalendar()
    task = Task(number="1", content="x", deadline_kind="due", deadline_due=date(2026, 1, 14), status="not_started")
    assert compact_deadline(task, date(2026, 1, 14), calendar) == "hạn hôm nay 14/01"
    assert compact_deadline(task, date(2026, 1, 16), calendar) == "hạn 14/01 — quá hạn 2 ngày làm việc"
    assert compact_deadline(task, date(2025, 12, 31), calendar) == "hạn 14/01/2026 — còn 9 ngày làm việc"
    saturday = Task(number="25", content="x", deadline_kind="due", deadline_due=date(2026, 1, 31), status="in_progress")
    assert compact_deadline(saturday, date(2026, 1, 30), calendar) == "hạn 31/01 — còn 1 ngày làm việc"
    assert compact_deadline(saturday, date(2026, 2, 2), calendar) == "hạn hôm nay 02/02"  # the next working day


async def test_leaders_and_admins_see_the_organization_and_the_nudge(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("ha", "admin", "Văn phòng HĐND và UBND")
    assert (await bot.say("ha", "/viec"))[0].text.startswith("Toàn xã Nguyễn Bình Khiêm: 39 nhiệm vụ đang mở.")
    clock.move_to(datetime(2026, 1, 20, 9, 0, tzinfo=TZ))
    overdue = (await bot.say("ha", "/viec quahan"))[0].text
    assert overdue.startswith("1 nhiệm vụ quá hạn:") and "Nhắc lại cán bộ phụ trách: /nhac SỐ." in overdue
    assert "báo cáo tình trạng" in overdue  # an admin of a unit reports that unit's tasks
    await bot.register("trinh", "leader")
    led = (await bot.say("trinh", "/viec quahan"))[0].text
    assert led.endswith("Nhắn /viec SỐ để mở một nhiệm vụ.")  # a leader reports nothing
    assert "Nhắc lại cán bộ phụ trách: /nhac SỐ." in text_of(await bot.say("ha", "/quahan"))


async def test_quahan_has_a_button_per_overdue_task(bot: Harness) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    await bot.register("trinh", "leader")
    bot.clock.move_to(datetime(2026, 2, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    listing = (await bot.say("trinh", "/quahan"))[0]
    assert "quá hạn" in listing.text and "1. Ban hành Kế hoạch" in listing.text
    assert "1" in labels(listing) and len(labels(listing)) == len(listing.task_ids)
    opened = await bot.say("trinh", callback=next(b.data for row in listing.buttons for b in row if b.label == "1"))
    assert opened[0].text.startswith("Nhiệm vụ 1:")
    text_only = Harness(bot.sessions, bot.clock, channel="console")
    await text_only.register("minh", "leader")
    said = (await text_only.say("minh", "/quahan"))[0]
    assert not said.buttons and "Xem một nhiệm vụ: /viec SỐ." in said.text
