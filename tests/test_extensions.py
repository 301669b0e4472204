"""Extensions decided cleanly (issue 14, items 1–4): /duyet alone lists what waits, with
buttons on Telegram and numbered choices elsewhere, and the weekly digest lists it too;
a rejection asks for its reason; a request that no longer stands (the task was done,
the officer undid it, a new request replaced it) is withdrawn and the leaders who saw
it are told once; a repeated request is not sent twice; the appendix shows only approved
extensions; extension dates as people write them, with a configurable longest one.
Through the real conversation and the real dispatcher; the database is checked after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import ConfigError, load_config
from bot.wiring import build_services
from handlers.reminders.texts import weekly_digest
from language.extension_dates import check_extension, how_asked
from language.status_text import understand_status
from models.outbox import OutboxItem
from models.plan_store import find_organization
from models.plans import StatusUpdate, Task
from scheduler.clock import Clock
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import ORG, Harness, sample_harness, task_row, text_of
from tests.test_reminders import Inbox, setup
from tests.test_reports import docx_rows

VHXH = "Phòng Văn hóa - Xã hội"
MONDAY = datetime(2026, 1, 5, 9, 0, tzinfo=TZ)  # office hours: notices go at once


# --- dates as people write them (pure) ----------------------------------------------


@dataclass(frozen=True)
class Ask:
    text: str
    today: date
    due: date | None
    until: date | None  # the date that stands, or None when refused
    refused: str = ""  # words of the refusal
    max_months: int = 6


DEC = date(2026, 12, 2)
DUE = date(2026, 12, 15)
ASKS = [
    Ask("xin gia hạn sang quý 1 năm 2027", DEC, DUE, date(2027, 3, 31)),
    Ask("xin gia hạn thêm 1 tháng", DEC, DUE, date(2027, 1, 15)),  # from the deadline
    Ask("xin gia hạn đến hết tháng 1/2027", DEC, DUE, date(2027, 1, 31)),
    Ask("xin gia hạn đến 15/1 năm sau", DEC, DUE, date(2027, 1, 15)),
    Ask("xin gia hạn đến 20/12 chờ kinh phí", DEC, DUE, date(2026, 12, 20)),
    Ask("xin gia hạn đến ngày 15 tháng 1 năm 2027", DEC, DUE, date(2027, 1, 15)),
    Ask("xin gia hạn đến 15/01/27", DEC, DUE, date(2027, 1, 15)),
    Ask("xin gia hạn thêm 2 tuần", DEC, DUE, date(2026, 12, 29)),
    Ask("xin gia hạn 10 ngày làm việc", DEC, DUE, date(2026, 12, 29)),
    Ask("xin gia hạn đến hết tháng sau", DEC, DUE, date(2027, 1, 31)),
    Ask("xin gia hạn đến cuối tháng 2 năm sau", DEC, DUE, date(2027, 2, 28)),
    # the year written: the date stands, and the longest extension decides
    Ask("xin gia hạn đến 30/6/2027", DEC, DUE, None, "tối đa 6 tháng (muộn nhất 15/06/2027)"),
    Ask("xin gia hạn đến 30/6/2027", DEC, DUE, date(2027, 6, 30), max_months=12),
    Ask("xin gia hạn đến 30/9/2027", DEC, DUE, None, "tối đa 6 tháng"),
    Ask("xin gia hạn thêm 8 tháng", DEC, DUE, None, "tối đa 6 tháng"),
    Ask("xin gia hạn đến cuối năm sau", DEC, DUE, None, "tối đa 6 tháng"),
    # without a year, far away: asked, whatever the longest extension
    Ask("xin gia hạn đến quý III", DEC, DUE, None, "ghi rõ cả năm, ví dụ 30/09/2027"),
    Ask("xin gia hạn đến quý III", DEC, DUE, None, "ghi rõ cả năm", max_months=12),
    Ask("xin gia hạn đến 2/1", date(2026, 1, 5), date(2026, 1, 14), None, "ghi rõ cả năm"),
    # past, or not after the deadline
    Ask("xin gia hạn đến 2/1/2026", date(2026, 1, 5), date(2026, 1, 14), None, "đã qua"),
    Ask("xin gia hạn đến 10/12", DEC, DUE, None, "phải sau hạn hiện tại 15/12/2026"),
    Ask("xin gia hạn đến 1/12/2026", DEC, DUE, None, "đã qua"),
    # "năm sau" in January is the year after this one
    Ask("xin gia hạn đến 15/1", date(2027, 1, 10), date(2027, 1, 12), date(2027, 1, 15)),
    Ask("xin gia hạn đến 15/1 năm sau", date(2027, 1, 10), date(2027, 1, 12), None, "tối đa"),
    # a deadline long passed: a length and the limit count from today
    Ask("xin gia hạn thêm 10 ngày", DEC, date(2026, 10, 1), date(2026, 12, 12)),
    Ask("xin gia hạn đến 30/5/2027", DEC, date(2026, 10, 1), date(2027, 5, 30)),
    # relative to today: no year is missing
    Ask("xin gia hạn đến cuối năm", date(2026, 1, 5), date(2026, 9, 30), date(2026, 12, 31)),
    Ask("xin gia hạn", DEC, DUE, None, "chưa đọc được ngày"),
]


@pytest.mark.parametrize("ask", ASKS, ids=lambda a: f"{a.text}@{a.today}")
def test_extension_dates_as_people_write_them(ask: Ask) -> None:
    reading = understand_status(ask.text, ask.today)
    assert reading.status == "extension"
    until, problem = check_extension(
        ask.due, "in_progress", reading.until, ask.text, ask.today, ask.max_months
    )
    assert until == ask.until, problem
    if ask.refused:
        assert problem is not None and ask.refused in problem
    else:
        assert problem is None


def test_reason_after_a_year_in_words_is_not_the_year() -> None:
    reading = understand_status("xin gia hạn đến 15/1 năm sau vì chờ kinh phí", DEC)
    assert reading.until == date(2027, 1, 15) and reading.reason == "chờ kinh phí"
    assert understand_status("xin gia hạn đến 15/1 năm sau", DEC).reason is None


def test_a_day_in_words_is_no_length() -> None:
    # "15 tháng 1" is a day, not fifteen months
    asked = how_asked("gia hạn đến 15 tháng 1", date(2027, 1, 15), DEC, DUE)
    assert (asked.until, asked.form) == (date(2027, 1, 15), "no_year")


def test_done_task_needs_no_extension() -> None:
    until, problem = check_extension(DUE, "done", date(2027, 1, 1), "đến 1/1/2027", DEC)
    assert until is None and problem is not None and "đã hoàn thành" in problem


def test_longest_extension_is_configured(tmp_path) -> None:  # noqa: ANN001
    file = tmp_path / "dondoc.toml"
    file.write_text("[extensions]\nmax_months = 3\n", encoding="utf-8")
    config = load_config(file)
    assert config.extensions.max_months == 3
    services = build_services(config, Clock.starting_at(MONDAY, frozen=True), None)  # type: ignore[arg-type]
    assert services.extension_max_months == 3
    assert load_config().extensions.max_months == 6
    file.write_text("[extensions]\nmax_months = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(file)


# --- helpers ------------------------------------------------------------------------


async def rows(bot: Harness, number: str, kind: str | None = None) -> list[StatusUpdate]:
    task = await task_row(bot, number)
    async with bot.sessions() as session:
        query = (
            select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id)
        )
        if kind:
            query = query.where(StatusUpdate.kind == kind)
        return list(await session.scalars(query))


async def outbox(bot: Harness, kind: str) -> list[OutboxItem]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(OutboxItem).where(OutboxItem.kind == kind)))


def said(inbox: Inbox, who: str, words: str) -> list[str]:
    return [o.text for o in inbox.to(who) if words in o.text]


@pytest.fixture
async def bot(sessions, clock: Clock) -> Harness:  # noqa: ANN001
    harness = await sample_harness(sessions, clock, "console", ("lan", "officer", VHXH), ("trinh", "leader"))
    clock.move_to(MONDAY)
    return harness


# --- item 1: the list ---------------------------------------------------------------


async def test_nothing_pending_is_one_clear_line(bot: Harness) -> None:
    assert (
        text_of(await bot.say("trinh", "/duyet"))
        == "Hiện không có đề nghị gia hạn nào đang chờ duyệt."
    )
    assert "Chỉ lãnh đạo" in text_of(await bot.say("lan", "/duyet"))


async def test_duyet_lists_pending_requests_with_numbered_choices(bot: Harness) -> None:
    await bot.say("lan", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    bot.clock.move_to(datetime(2026, 1, 5, 10, 30, tzinfo=TZ))
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    listing = (await bot.say("trinh", "/duyet"))[0]
    text = listing.text
    assert text.startswith("Đề nghị gia hạn đang chờ duyệt (2):")
    assert "• NV 1 «Ban hành Kế hoạch cải cách hành chính năm 2026»\n" in text
    assert f"  {VHXH}; Lan gửi lúc 09:00 ngày 05/01/2026\n" in text
    assert "  Xin đến 20/01/2026 (hạn hiện tại 14/01/2026)\n  Lý do: chờ Sở Nội vụ góp ý." in text
    assert (
        f"  {VHXH}; Lan gửi lúc 10:30 ngày 05/01/2026\n  Xin đến 20/04/2026 (hạn hiện tại 31/03/2026)"
        in text
    )
    assert text.index("NV 1 ") < text.index("NV 6 ")  # the longest waiting first
    assert "Trả lời 1 = Duyệt NV 1, 2 = Từ chối NV 1, 3 = Duyệt NV 6, 4 = Từ chối NV 6" in text
    assert "/tuchoi SỐ lý do" in text
    assert all(len(line) <= 60 for line in text.splitlines()[:-1]), text  # but the choices
    # "2" rejects task 1 and asks for the reason; the next text is that reason
    asked = text_of(await bot.say("trinh", "2"))
    assert "Đã từ chối đề nghị gia hạn nhiệm vụ 1" in asked and "lý do" in asked
    await bot.say("trinh", "Đề nghị hoàn thành đúng hạn")
    rejected = await rows(bot, "1", "extension_rejected")
    assert [r.reason for r in rejected] == ["Đề nghị hoàn thành đúng hạn"]
    assert (await task_row(bot, "1")).status == "not_started"  # a leader's words are no status
    left = text_of(await bot.say("trinh", "/duyet"))
    assert "(1):" in left and "NV 6" in left and "NV 1 " not in left


async def test_duyet_list_on_telegram_has_buttons_that_keep_the_list(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.register("trinh", "leader")
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    listing = (await bot.say("trinh", "/duyet"))[0]
    labels = [[b.label for b in row] for row in listing.buttons]
    assert labels == [["Duyệt NV 6", "Từ chối NV 6"]]
    assert "Trả lời" not in listing.text and "/tuchoi SỐ" not in listing.text
    approved = (await bot.say("trinh", callback=listing.buttons[0][0].data))[0]
    assert "Đã duyệt gia hạn nhiệm vụ 6 đến 20/04/2026" in approved.text
    assert approved.edit is False  # the list stays; the answer comes apart
    assert str((await task_row(bot, "6")).deadline_due) == "2026-04-20"


async def test_a_day_off_asked_for_is_flagged_to_both(bot: Harness) -> None:
    # 30/4 and 1/5 are public holidays (Thursday, Friday): met until Monday 04/05/2026
    asked = text_of(await bot.say("lan", "/giahan 6 30/4 chờ hướng dẫn của Sở"))
    assert "30/04/2026 là ngày nghỉ" in asked and "04/05/2026" in asked
    approved = text_of(await bot.say("trinh", "/duyet 6"))
    assert "Đã duyệt gia hạn nhiệm vụ 6 đến 30/04/2026" in approved
    assert "hết ngày làm việc tiếp theo, 04/05/2026" in approved
    # a working day asked for says nothing of the kind
    assert "ngày nghỉ" not in text_of(await bot.say("lan", "/giahan 1 22/1 chờ Sở góp ý"))


async def test_weekly_digest_lists_pending_requests(bot: Harness) -> None:
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    async with bot.sessions() as session:
        org = await find_organization(session, ORG)
        digest = await weekly_digest(session, org, date(2026, 1, 5), WorkCalendar())
    assert "Đề nghị gia hạn chờ duyệt: 1" in digest
    assert f"NV 6 – {VHXH} – Lan xin đến 20/04/2026" in digest
    assert "/duyet" in digest


# --- item 2: a rejection's reason ---------------------------------------------------


async def test_tuchoi_without_reason_asks_it_and_the_officer_gets_it(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    asked = text_of(await bot.say("leader", "/tuchoi 1"))
    assert "nhắn lý do" in asked
    await bot.say("leader", "Cần hoàn thành đúng hạn vì đã báo cáo huyện")
    await service.tick()  # the words are in: the notice goes without waiting out the grace
    told = said(inbox, "u0", "chưa được chấp thuận")
    assert len(told) == 1
    assert "nhiệm vụ 1 «Ban hành Kế hoạch cải cách hành chính năm 2026" in told[0]
    assert "Lý do: Cần hoàn thành đúng hạn vì đã báo cáo huyện." in told[0]
    assert "Hạn vẫn là 14/01/2026." in told[0]


async def test_a_reason_not_lost_when_another_command_comes_first(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    assert "nhắn lý do" in text_of(await bot.say("leader", "/tuchoi 1"))
    # another command first: its answer says how to give the reason later
    other = text_of(await bot.say("leader", "/viec"))
    assert "chưa có lý do" in other and "/tuchoi 1" in other
    # "/tuchoi 1 <reason>" again adds the words to that decision (no second decision)
    added = text_of(await bot.say("leader", "/tuchoi 1 Cần hoàn thành đúng hạn"))
    assert "Đã ghi kèm quyết định về nhiệm vụ 1" in added
    rejected = await rows(bot, "1", "extension_rejected")
    assert [r.reason for r in rejected] == ["Cần hoàn thành đúng hạn"]
    assert "chưa có lý do" not in text_of(await bot.say("leader", "/viec"))
    clock.move_to(MONDAY + timedelta(minutes=5))
    await service.tick()
    told = said(inbox, "u0", "chưa được chấp thuận")
    assert len(told) == 1 and "Lý do: Cần hoàn thành đúng hạn." in told[0]


# --- item 3: withdrawn requests -------------------------------------------------------


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_done_task_withdraws_its_request_and_leaders_are_told_once(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    assert len(said(inbox, "leader", "xin gia hạn nhiệm vụ 1")) == 1
    request = (await rows(bot, "1", "extension_request"))[0]
    answer = text_of(await bot.say("u0", "/capnhat 1 Hoàn thành, KH số 03/KH-UBND"))
    assert "Đề nghị gia hạn đến 20/01/2026 đang chờ duyệt đã được rút lại." in answer
    await service.tick()
    await service.tick()
    for leader in ("leader", "admin"):
        told = said(inbox, leader, "đã được rút lại")
        assert told == [
            "Đề nghị gia hạn nhiệm vụ 1 «Ban hành Kế hoạch cải cách hành chính năm 2026 của UBND xã» "
            "đến 20/01/2026 của U0 đã được rút lại: nhiệm vụ đã được ghi nhận hoàn thành. "
            "Anh/chị không cần xem xét nữa."
        ] or (len(told) == 1 and "nhiệm vụ đã được ghi nhận hoàn thành" in told[0]), told
    # the request row stays; a withdrawal row says why
    withdrawn = await rows(bot, "1", "extension_withdrawn")
    assert [(w.text, w.reason) for w in withdrawn] == [(f"#{request.id}", "done")]
    assert (await rows(bot, "1", "extension_request"))[0].until == date(2026, 1, 20)
    # the old notice's button and /duyet SỐ decide nothing, with a clear line
    pressed = text_of(await bot.say("leader", callback=f"extok:{request.id}"))
    assert "đã được rút lại (nhiệm vụ đã được ghi nhận hoàn thành)" in pressed
    typed = text_of(await bot.say("leader", "/duyet 1"))
    assert "đã hoàn thành nên không cần gia hạn" in typed
    assert not await rows(bot, "1", "extension_approved")
    assert str((await task_row(bot, "1")).deadline_due) == "2026-01-14"
    assert "Hiện không có đề nghị" in text_of(await bot.say("leader", "/duyet"))


async def test_undo_withdraws_the_request(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    undone = text_of(await bot.say("u0", "/hoantac"))
    assert "Đã hoàn tác" in undone and "Đề nghị gia hạn đã được rút lại." in undone
    await service.tick()
    told = said(inbox, "leader", "đã được rút lại")
    assert len(told) == 1 and "người đề nghị không xin gia hạn nữa" in told[0]
    assert [w.reason for w in await rows(bot, "1", "extension_withdrawn")] == ["undone"]
    assert "Hiện không có đề nghị" in text_of(await bot.say("leader", "/duyet"))
    card = text_of(await bot.say("u0", "/viec 1"))
    assert "Rút đề nghị gia hạn đến 20/01/2026 (người xin đã hoàn tác)" in card


async def test_a_request_withdrawn_before_leaders_saw_it_is_never_shown(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(datetime(2026, 1, 6, 21, 30, tzinfo=TZ))  # at night: the notice waits
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await bot.say("u0", "/hoantac")
    clock.move_to(datetime(2026, 1, 7, 8, 30, tzinfo=TZ))
    await service.tick()
    assert not said(inbox, "leader", "gia hạn nhiệm vụ 1")
    assert {n.state for n in await outbox(bot, "extension_request")} == {"cancelled"}
    assert not await outbox(bot, "extension_withdrawn")


async def test_a_new_request_replaces_the_old_one_in_one_notice(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    old = (await rows(bot, "1", "extension_request"))[0]
    answer = text_of(await bot.say("u0", "/giahan 1 25/1 chờ Sở Nội vụ góp ý lần 2"))
    assert "Xin gia hạn đến 25/01/2026" in answer and "thay cho đề nghị gia hạn trước đó" in answer
    await service.tick()
    new = said(inbox, "leader", "đến 25/01/2026")
    assert len(new) == 1 and "Đề nghị này thay cho đề nghị trước (đến 20/01/2026)." in new[0]
    assert not said(inbox, "leader", "đã được rút lại")  # one message, not two
    assert [w.reason for w in await rows(bot, "1", "extension_withdrawn")] == ["replaced"]
    listing = text_of(await bot.say("leader", "/duyet"))
    assert "(1):" in listing and "đến 25/01/2026" in listing and "20/01/2026" not in listing
    pressed = text_of(await bot.say("leader", callback=f"extok:{old.id}"))
    assert "đã được thay bằng đề nghị mới" in pressed
    assert not await rows(bot, "1", "extension_approved")
    approved = text_of(await bot.say("leader", "/duyet 1"))
    assert "Đã duyệt gia hạn nhiệm vụ 1 đến 25/01/2026" in approved


async def test_repeating_the_same_request_sends_no_second_notice(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()
    clock.move_to(datetime(2026, 1, 5, 14, 0, tzinfo=TZ))
    again = text_of(await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý"))
    assert (
        "đã được gửi lúc 09:00 ngày 05/01/2026 và đang chờ lãnh đạo xem xét; tôi không gửi lại" in again
    )
    await bot.say("u0", "xin gia hạn nhiệm vụ 1 đến 20/01 vì chờ Sở Nội vụ góp ý")
    await service.tick()
    assert len(said(inbox, "leader", "xin gia hạn nhiệm vụ 1")) == 1
    assert len(await rows(bot, "1", "extension_request")) == 1
    assert len(await outbox(bot, "extension_request")) == 2  # leader and admin, once each
    assert not await rows(bot, "1", "extension_withdrawn")


async def test_a_decided_request_is_not_decided_twice(bot: Harness) -> None:
    await bot.register("ha", "leader")
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    request = (await rows(bot, "6", "extension_request"))[0]
    await bot.say("trinh", "/tuchoi 6 chưa đủ lý do")
    late = text_of(await bot.say("ha", callback=f"extok:{request.id}"))
    assert "đã được Trinh từ chối" in late
    assert not await rows(bot, "6", "extension_approved")


async def test_appendix_prints_only_approved_extensions(bot: Harness) -> None:
    await bot.say("lan", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await bot.say("lan", "/capnhat 1 Hoàn thành, KH số 03/KH-UBND")  # withdrawn
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn")
    await bot.say("trinh", "/tuchoi 6 chưa đủ lý do")  # rejected
    await bot.say("lan", "/giahan 25 20/2 chờ kinh phí")
    await bot.say("trinh", "/duyet 25")  # approved
    await bot.say("lan", "/giahan 37 30/10/2026 chờ kinh phí")  # still pending
    replies = await bot.say("trinh", "/baocao")
    document = next(
        r.document for r in replies if r.document and r.document.filename.endswith(".docx")
    )
    deadlines = {row[0]: row[4] for row in docx_rows(document.data) if len(row) > 4}
    assert deadlines["25"] == "Tháng 1 năm 2026\n(Gia hạn đến 20/02/2026)"
    assert len(await rows(bot, "37", "extension_request")) == 1
    for number in ("1", "6", "37"):
        assert "Gia hạn" not in deadlines[number], (number, deadlines[number])


async def test_leaders_who_saw_a_replaced_request_hear_when_its_successor_goes(
    sessions, clock
) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await service.tick()  # the leader sees 20/01
    await bot.say("u0", "/giahan 1 25/1 chờ Sở Nội vụ góp ý lần 2")
    await bot.say("u0", "/hoantac")  # before its notice went out
    await service.tick()
    assert not said(inbox, "leader", "đến 25/01/2026")
    told = said(inbox, "leader", "đã được rút lại")
    assert len(told) == 1 and "đến 20/01/2026" in told[0] and "không xin gia hạn nữa" in told[0]
    assert "Hiện không có đề nghị" in text_of(await bot.say("leader", "/duyet"))


async def test_notices_sent_together_name_their_tasks_on_the_choices(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    await bot.say("u0", "/giahan 6 sang quý 2 năm 2026 vì chờ hướng dẫn của Sở")
    await service.tick()
    both = said(inbox, "leader", "xin gia hạn nhiệm vụ 6")
    assert len(both) == 1 and "xin gia hạn nhiệm vụ 1" in both[0]
    assert "1 = Duyệt NV 1, 2 = Từ chối NV 1, 3 = Duyệt NV 6, 4 = Từ chối NV 6" in both[0]
    approved = text_of(await bot.say("leader", "3"))
    assert "Đã duyệt gia hạn nhiệm vụ 6 đến 30/06/2026" in approved


async def test_done_in_free_text_withdraws_and_tuchoi_alone_lists(bot: Harness) -> None:
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    assert "NV 6" in text_of(await bot.say("trinh", "/tuchoi"))
    await bot.say("lan", "/viec 6")
    answer = text_of(await bot.say("lan", "Đã hoàn thành, KH số 05/KH-UBND ngày 05/01/2026"))
    assert "đã được rút lại" in answer
    assert [w.reason for w in await rows(bot, "6", "extension_withdrawn")] == ["done"]
    assert "Đang chờ lãnh đạo duyệt" not in text_of(await bot.say("lan", "/viec 6"))


async def test_pending_requests_read_in_one_go_agree_with_one_by_one(sessions, clock) -> None:  # noqa: ANN001
    from models import status_store

    bot, service, _inbox = await setup(sessions, clock)
    clock.move_to(MONDAY)
    await bot.say("u0", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")  # pending
    await bot.say("u0", "/giahan 6 30/4 chờ kinh phí")
    await bot.say("u0", "/hoantac")  # task 6's request undone
    await bot.say("u0", "/giahan 2 thêm 1 tháng")
    await bot.say("leader", "/duyet 2")  # decided
    async with sessions() as session:
        tasks = list(await session.scalars(select(Task).order_by(Task.id)))
        batched = await status_store.pending_extensions(session, tasks)
        one_by_one = {}
        for task in tasks:
            if (row := await status_store.pending_extension(session, task)) is not None:
                one_by_one[task.id] = row
    numbers = {t.id: t.number for t in tasks}
    assert {numbers[i]: r.id for i, r in batched.items()} == {numbers[i]: r.id for i, r in one_by_one.items()}
    assert sorted(numbers[i] for i in batched) == ["1"]
