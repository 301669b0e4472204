"""Records people can trust (issue 10), through the real conversation on the console
channel: a leader's words after a decision, a task named in the text beating the focus,
several tasks in one message, "cả 2 đều xong" on a reminder of several tasks, backward
moves asked first, thanks left out of the history, accented commands. Each case checks
the database afterwards, not only the answer."""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime
from types import FrameType
from typing import Any

import pytest
from sqlalchemy import func, select

from handlers.replies.rules import CONFIRM, NOTE, RECORD, Current, moves_backward, outcome
from language import task_refs
from language.status_text import StatusReading
from language.task_refs import split_by_task
from models.conversation import Question
from models.outbox import OutboxItem
from models.plans import StatusUpdate, Task
from scheduler.clock import Clock
from tests.harness import Harness, sample_harness, task_row, text_of
from tests.harness import status_rows as history

VHXH = "Phòng Văn hóa - Xã hội"


@pytest.fixture
async def bot(sessions, clock: Clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("lan", "officer", VHXH), ("trinh", "leader"))


# --- pure rules ---------------------------------------------------------------------


def reading(status: str, percent: int | None = None, confidence: float = 1.0) -> StatusReading:
    return StatusReading(status, percent, None, (), None, status, confidence)


@pytest.mark.parametrize(
    ("current", "new", "backward"),
    [
        (Current("done", 100), reading("in_progress", 50), True),
        (Current("done", 100), reading("not_started"), True),
        (Current("done", 100), reading("done"), False),
        (Current("in_progress", 70), reading("in_progress", 20), True),
        (Current("in_progress", 20), reading("in_progress", 70), False),
        (Current("in_progress", None), reading("in_progress", 20), False),
        (Current("in_progress", 30), reading("not_started"), True),
        (Current("not_started", None), reading("in_progress", 10), False),
        (Current("done", 100), reading("extension"), False),
    ],
)
def test_moves_backward(current: Current, new: StatusReading, backward: bool) -> None:
    assert moves_backward(current, new) is backward


def test_outcome_asks_when_unsure_or_backward_and_notes_what_is_not_theirs() -> None:
    fresh = Current("not_started", None)
    assert outcome(reading("done"), fresh, may_report=True) == RECORD
    assert outcome(reading("done", confidence=0.5), fresh, may_report=True) == CONFIRM
    assert outcome(reading("not_started"), Current("done", 100), may_report=True) == CONFIRM
    assert outcome(reading("done"), fresh, may_report=False) == NOTE
    assert outcome(reading("unknown", confidence=0.0), fresh, may_report=True) == NOTE


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("nhiệm vụ 32 đang thực hiện 30%", ["32"]),
        ("NV32 xong", ["32"]),
        ("nv 32: xong", ["32"]),
        ("việc 32 chưa làm", ["32"]),
        ("#32 xong", ["32"]),
        ("32. Hoàn thành", ["32"]),
        ("32 - đang làm", ["32"]),
        ("31 hoàn thành, 32 đang thực hiện 20%", ["31", "32"]),
        ("31 xong\n32 đang làm 50%", ["31", "32"]),
        ("Hoàn thành, 3 văn bản đã ban hành", [None]),
        ("Hoàn thành, QĐ số 12/QĐ-UBND ngày 02/01/2026", [None]),
        ("15/01 đã xong", [None]),
        ("50% rồi", [None]),
        ("cả 2 đều xong", [None]),
    ],
)
def test_split_by_task(text: str, numbers: list[str | None]) -> None:
    assert [p.number for p in split_by_task(text)] == numbers


class _CountingPattern:
    """A compiled pattern that counts the characters it is handed to scan: a search
    from ``pos`` scans up to its match's end (or to the end), a whole-string scan the
    whole string, so a loop that searches again and again from each position shows."""

    def __init__(self, pattern: re.Pattern[str], tally: list[int]) -> None:
        self.pattern, self.tally = pattern, tally

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.pattern, name)
        if name in ("search", "match", "fullmatch"):

            def scan(text: str, pos: int = 0, endpos: int | None = None) -> Any:
                stop = len(text) if endpos is None else endpos
                found = method(text, pos, stop)
                self.tally[0] += (found.end() if found else stop) - pos + 1
                return found

            return scan
        if name in ("finditer", "findall", "sub", "split"):

            def whole(*args: Any, **kwargs: Any) -> Any:
                text = args[1] if name == "sub" else args[0]
                self.tally[0] += len(text) + 1
                return method(*args, **kwargs)

            return whole
        return method


def _steps_of_split(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Steps ``split_by_task`` takes on ``text``: lines of Python run in ``language/``
    plus characters its patterns scan. Counted, not timed: the same on a loaded machine."""
    tally = [0]
    for name, value in vars(task_refs).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(task_refs, name, _CountingPattern(value, tally))

    def local(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            tally[0] += 1
        return local

    def calls(frame: FrameType, event: str, arg: object) -> Any:
        return local if f"{os.sep}language{os.sep}" in frame.f_code.co_filename else None

    sys.settrace(calls)
    try:
        split_by_task(text)
    finally:
        sys.settrace(None)
        monkeypatch.undo()
    return tally[0]


@pytest.mark.parametrize(
    "chunk", ["nv 1 ", "1. ", "#1 ", "1, 2 xong ", "nhiem vu ", "1 xong, 2 a, "]
)
def test_split_by_task_is_linear_on_long_input(chunk: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten times the text takes at most about ten times the steps (a quadratic reader
    would take a hundred times)."""
    small = _steps_of_split(chunk * 200, monkeypatch)
    large = _steps_of_split(chunk * 2000, monkeypatch)
    assert large <= 12 * small, (chunk, small, large)


# --- which task ---------------------------------------------------------------------


async def test_task_named_in_text_beats_the_focus(bot: Harness) -> None:
    await bot.say("lan", "/viec 2")  # task 2 in focus
    answer = text_of(await bot.say("lan", "nhiệm vụ 3 đang thực hiện 30%"))
    assert "nhiệm vụ 3" in answer
    assert ((await task_row(bot, "3")).status, (await task_row(bot, "3")).percent) == (
        "in_progress",
        30,
    )
    assert (await task_row(bot, "2")).status == "not_started"
    assert not [u for u in await history(bot, "2") if u.kind != "import"]


async def test_two_tasks_in_one_message_each_recorded(bot: Harness) -> None:
    await bot.say("lan", "/capnhat 1 đang thực hiện 70%")
    answer = text_of(await bot.say("lan", "1 hoàn thành, 2 đang thực hiện 20%"))
    assert "nhiệm vụ 1" in answer and "nhiệm vụ 2" in answer
    assert (await task_row(bot, "1")).status == "done"
    two = await task_row(bot, "2")
    assert (two.status, two.percent) == ("in_progress", 20)


async def test_task_named_with_nothing_in_focus(bot: Harness) -> None:
    answer = text_of(await bot.say("lan", "nhiệm vụ 6 đã hoàn thành"))
    assert "Đã ghi nhận nhiệm vụ 6" in answer
    assert (await task_row(bot, "6")).status == "done"


async def test_a_number_not_theirs_records_nothing(bot: Harness) -> None:
    before = len(await history(bot, "5"))
    answer = text_of(await bot.say("lan", "1 hoàn thành, 5 hoàn thành"))  # 5 is Phòng Kinh tế's
    assert "Nhiệm vụ 5 do Phòng Kinh tế" in answer and "Chưa có gì được ghi" in answer
    assert "1, 2, 3" in answer  # their own tasks are named
    assert (await task_row(bot, "1")).status == "not_started"
    assert len(await history(bot, "5")) == before


async def test_bare_text_with_nothing_in_focus_is_kept_and_asked(bot: Harness) -> None:
    asked = await bot.say("lan", "Hoàn thành, QĐ số 12/QĐ-UBND ngày 02/01/2026")
    assert "nhiệm vụ nào" in asked[0].text and "• 1. Ban hành" in asked[0].text
    assert "• 25." in asked[0].text  # the tasks' own numbers, not "1 = …" (no clash)
    async with bot.sessions() as session:
        question = await session.scalar(select(Question).where(Question.kind == "which"))
    assert question is not None and "12/QĐ-UBND" in question.text
    done = await bot.say("lan", "1")  # task number 1
    assert "Đã ghi nhận nhiệm vụ 1" in done[0].text and "12/QĐ-UBND" in done[0].text
    assert (await task_row(bot, "1")).status == "done"


async def test_all_done_on_a_reminder_of_several_tasks_asks_which(bot: Harness) -> None:
    from handlers.choices import save_focus
    from models.conversation import Focus
    from models.invites import person_id_of

    one, two = await task_row(bot, "1"), await task_row(bot, "2")
    async with bot.sessions() as session, session.begin():  # as a reminder of two tasks leaves it
        person = await person_id_of(session, "console", "lan")
        await save_focus(session, person, "console", focus=Focus(task_ids=(one.id, two.id)),
                         choices=None, text_only=True, now=bot.clock.now())  # fmt: skip
    asked = await bot.say("lan", "cả 2 đều xong")
    assert "nhiệm vụ nào" in asked[0].text and "«tất cả»" in asked[0].text
    assert (await task_row(bot, "1")).status == "not_started"
    done = text_of(await bot.say("lan", "tất cả"))
    assert "nhiệm vụ 1" in done and "nhiệm vụ 2" in done
    assert (await task_row(bot, "1")).status == "done" and (
        await task_row(bot, "2")
    ).status == "done"


async def focus_on_tasks(bot: Harness, numbers: list[str]) -> list[Task]:
    """Leave the chat focused on several tasks, as a reminder listing them does."""
    from handlers.choices import save_focus
    from models.conversation import Focus
    from models.invites import person_id_of

    tasks = [await task_row(bot, n) for n in numbers]
    async with bot.sessions() as session, session.begin():
        person = await person_id_of(session, "console", "lan")
        await save_focus(session, person, "console", focus=Focus(task_ids=tuple(t.id for t in tasks)),
                         choices=None, text_only=True, now=bot.clock.now())  # fmt: skip
    return tasks


async def test_both_done_under_a_reminder_of_more_tasks_never_records_them_all(
    bot: Harness,
) -> None:
    await focus_on_tasks(bot, ["1", "2", "6"])
    asked = text_of(await bot.say("lan", "cả 2 đều xong"))
    assert "nhiệm vụ nào" in asked and "«tất cả»" not in asked
    assert "«2 nhiệm vụ»" in asked and "có 3 nhiệm vụ" in asked
    refused = text_of(await bot.say("lan", "tất cả"))
    assert "chưa ghi cho tất cả" in refused
    assert [(await task_row(bot, n)).status for n in ("1", "2", "6")] == ["not_started"] * 3
    done = text_of(await bot.say("lan", "1 và 6"))
    assert "nhiệm vụ 1" in done and "nhiệm vụ 6" in done
    statuses = [(await task_row(bot, n)).status for n in ("1", "2", "6")]
    assert statuses == ["done", "not_started", "done"]


async def test_a_forged_all_button_is_refused_when_the_count_differs(bot: Harness) -> None:
    await focus_on_tasks(bot, ["1", "2", "6"])
    await bot.say("lan", "cả 2 việc đã xong")
    async with bot.sessions() as session:
        question = await session.scalar(select(Question).where(Question.kind == "which"))
    assert question is not None
    refused = text_of(await bot.say("lan", callback=f"qt:{question.id}:all"))
    assert "chưa ghi cho tất cả" in refused
    mixed = text_of(await bot.say("lan", callback=f"qt:{question.id}:{question.candidates[0]}+999"))
    assert "Đã ghi nhận" not in mixed
    assert (await task_row(bot, "1")).status == "not_started"


def test_named_count() -> None:
    from language.task_refs import named_count

    assert named_count("cả 2 đều xong") == 2
    assert named_count("Cả hai việc đã hoàn thành") == 2
    assert named_count("3 nhiệm vụ trên đã xong") == 3
    assert named_count("both done") == 2
    assert named_count("tất cả đã xong") is None
    assert named_count("hoàn thành, QĐ số 12/QĐ-UBND") is None


# --- who ----------------------------------------------------------------------------


async def test_leader_words_after_a_refusal_are_the_reason_not_a_status(bot: Harness) -> None:
    bot.clock.move_to(datetime(2026, 1, 5, 9, 0).astimezone())
    await bot.say("lan", "/giahan 1 20/1 chờ Sở Nội vụ góp ý")
    rows = await history(bot, "1")
    request = next(r for r in rows if r.kind == "extension_request")
    await bot.say("trinh", callback=f"extno:{request.id}")
    answer = text_of(await bot.say("trinh", "Đề nghị hoàn thành trước 10/5, không gia hạn"))
    assert "Đã ghi kèm quyết định" in answer and "Đã ghi nhận" not in answer
    task = await task_row(bot, "1")
    assert task.status == "not_started"
    decision = next(r for r in await history(bot, "1") if r.kind == "extension_rejected")
    assert decision.reason == "Đề nghị hoàn thành trước 10/5, không gia hạn"
    async with bot.sessions() as session:
        notice = await session.scalar(
            select(OutboxItem).where(OutboxItem.kind == "extension_decision")
        )
    assert (
        notice is not None and notice.state == "pending"
    )  # sent with the reason, composed at send time


async def test_leader_free_text_is_a_note_and_capnhat_names_the_leader(bot: Harness) -> None:
    await bot.say("trinh", "/viec 1")
    answer = text_of(await bot.say("trinh", "Hoàn thành gấp trong tuần này"))
    assert "ghi chú" in answer and "/capnhat 1" in answer
    assert (await task_row(bot, "1")).status == "not_started"
    said = text_of(await bot.say("trinh", "/capnhat 1 Hoàn thành, KH số 03/KH-UBND"))
    assert "Đã ghi nhận nhiệm vụ 1" in said
    assert (await task_row(bot, "1")).status == "done"
    card = text_of(await bot.say("lan", "/viec 1"))
    assert "Trinh: Hoàn thành, KH số 03/KH-UBND" in card


async def test_nobody_decides_their_own_extension(bot: Harness) -> None:
    await bot.register("an", "admin", VHXH)
    await bot.say("an", "/giahan 1 20/1 chờ kinh phí")
    request = next(r for r in await history(bot, "1") if r.kind == "extension_request")
    refused = text_of(await bot.say("an", "/duyet 1"))
    assert "chính mình" in refused
    assert not [r for r in await history(bot, "1") if r.kind == "extension_approved"]
    assert request.until is not None


# --- doubt is asked -----------------------------------------------------------------


async def test_backward_move_asked_and_kept_as_note_when_refused(bot: Harness) -> None:
    await bot.say("lan", "/capnhat 1 hoàn thành")
    asked = await bot.say("lan", "nhiệm vụ 1 đang thực hiện 50%")
    assert "đang ghi «Hoàn thành»" in asked[0].text and "2 = Không phải" in asked[0].text
    assert (await task_row(bot, "1")).status == "done"
    kept = await bot.say("lan", "2")
    assert "ghi chú" in kept[0].text
    rows = await history(bot, "1")
    assert rows[-1].kind == "note" and rows[-1].text == "đang thực hiện 50%"
    assert (await task_row(bot, "1")).status == "done"
    again = await bot.say("lan", "1")  # the question was answered: "1" now is not "Ghi"
    assert (await task_row(bot, "1")).status == "done", again[0].text


async def test_typed_yes_confirms_the_one_open_question(bot: Harness) -> None:
    await bot.say("lan", "/capnhat 1 đang thực hiện 70%")
    await bot.say("lan", "nv 1 đang thực hiện 40%")
    assert (await task_row(bot, "1")).percent == 70
    await bot.say("lan", "đúng")
    task = await task_row(bot, "1")
    assert (task.status, task.percent) == ("in_progress", 40)
    async with bot.sessions() as session:  # one row for what was typed, not a note and a status
        assert (
            await session.scalar(
                select(func.count(StatusUpdate.id)).where(StatusUpdate.text == "đang thực hiện 40%")
            )
            == 1
        )


async def test_forged_or_foreign_question_buttons_record_nothing(bot: Harness) -> None:
    await bot.say("lan", "/capnhat 1 hoàn thành")
    await bot.say("lan", "nv 1 chưa thực hiện")
    async with bot.sessions() as session:
        question = await session.scalar(select(Question).where(Question.kind == "confirm"))
    assert question is not None
    for user, data in [
        ("trinh", f"qy:{question.id}"),
        ("lan", "qy:99999999999999999999"),
        ("lan", "qt:x:1"),
        ("lan", "undo:99999999999999999999"),
    ]:
        answer = text_of(await bot.say(user, callback=data))
        assert "không còn dùng được" in answer or "Không tìm thấy" in answer, (user, data, answer)
    assert (await task_row(bot, "1")).status == "done"


async def test_unanswered_question_lapses_and_the_text_stays(bot: Harness) -> None:
    from datetime import timedelta

    await bot.say("lan", "/capnhat 1 hoàn thành")
    await bot.say("lan", "nv 1 chưa thực hiện")
    bot.clock.move_to(bot.clock.now() + timedelta(days=3))
    late = text_of(await bot.say("lan", "1"))
    assert (await task_row(bot, "1")).status == "done", late
    assert any(r.kind == "note" and r.text == "chưa thực hiện" for r in await history(bot, "1"))


# --- not every message is a report --------------------------------------------------


@pytest.mark.parametrize("text", ["ok", "cảm ơn", "👍", "không", "hủy", "Dạ", "vâng ạ", "cam on"])
async def test_thanks_stay_out_of_the_history(bot: Harness, text: str) -> None:
    await bot.say("lan", "/viec 1")
    before = len(await history(bot, "1"))
    answer = await bot.say("lan", text)
    assert len(answer) == 1 and len(answer[0].text) < 60 and not answer[0].buttons
    assert len(await history(bot, "1")) == before


# --- commands as people type them ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/việc", "nhiệm vụ đang mở"),
        ("/Tiến độ", "Hoàn thành"),
        ("/tiến độ quý 1", "Hoàn thành"),
        ("/viec@dondoc_bot 1", "Nhiệm vụ 1:"),
        ("/Quá hạn", "quá hạn"),
    ],
)
async def test_accented_commands(bot: Harness, typed: str, expected: str) -> None:
    answer = text_of(await bot.say("lan", typed))
    assert expected in answer and "chưa hiểu lệnh" not in answer


async def test_accented_undo_command(bot: Harness) -> None:
    await bot.say("lan", "/capnhat 1 hoàn thành")
    assert "Đã hoàn tác" in text_of(await bot.say("lan", "/hoàn tác"))
    assert (await task_row(bot, "1")).status == "not_started"


async def test_unknown_command_gets_the_nearest_one(bot: Harness) -> None:
    answer = text_of(await bot.say("lan", "/tiendoo"))
    assert "Ý anh/chị là /tiendo?" in answer and len(answer) < 200


async def test_a_finished_task_card_offers_no_status_taps(bot: Harness) -> None:
    await bot.say("lan", "/viec 1")
    await bot.say("lan", "Hoàn thành, QĐ số 12/QĐ-UBND ngày 02/01/2026")
    card = await bot.say("lan", "/viec 1")
    assert "Nhiệm vụ đã xong" in card[0].text and "Để báo cáo" not in card[0].text
    assert not any(b.data.startswith("st:") for row in card[0].buttons for b in row)


async def test_the_nearest_command_is_one_the_person_may_use(bot: Harness) -> None:
    assert "/nhap?" not in text_of(await bot.say("trinh", "/nhaf"))  # a leader: not admin's
    assert "/nhac?" in text_of(await bot.say("trinh", "/nhacc"))
    assert "/nhac?" not in text_of(await bot.say("lan", "/nhacc"))  # an officer: no nudges


# --- English mode -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status", "percent"),
    [
        ("done", "done", 100),
        ("finished, decision 12/QĐ-UBND", "done", 100),
        ("in progress 40%", "in_progress", 40),
        ("not yet, waiting for the city guidance", "not_started", None),
        ("not applicable", "not_applicable", None),
    ],
)
async def test_english_replies_are_understood(
    bot: Harness, text: str, status: str, percent: int | None
) -> None:
    await bot.say("lan", "/ngonngu en")
    await bot.say("lan", "/viec 6")
    answer = text_of(await bot.say("lan", text))
    task = await task_row(bot, "6")
    assert (task.status, task.percent) == (status, percent), answer
    assert "Recorded for task 6" in answer


async def test_english_extension_request(bot: Harness) -> None:
    await bot.say("lan", "/ngonngu en")
    await bot.say("lan", "/viec 6")
    answer = text_of(await bot.say("lan", "extend to 30/6 because no budget"))
    rows = await history(bot, "6")
    request = rows[-1]
    assert request.kind == "extension_request" and str(request.until) == "2026-06-30", answer
    assert request.reason == "no budget"


async def test_a_typed_task_number_answers_which_task(bot: Harness) -> None:
    from handlers.choices import save_focus
    from models.conversation import Focus
    from models.invites import person_id_of

    two, six = await task_row(bot, "2"), await task_row(bot, "6")
    async with bot.sessions() as session, session.begin():
        person = await person_id_of(session, "console", "lan")
        await save_focus(session, person, "console", focus=Focus(task_ids=(two.id, six.id)),
                         choices=None, text_only=True, now=bot.clock.now())  # fmt: skip
    await bot.say("lan", "đã xong ạ")
    answer = text_of(await bot.say("lan", "6"))  # task 6, not the 6th choice
    assert "Đã ghi nhận nhiệm vụ 6" in answer
    assert (await task_row(bot, "6")).status == "done" and (
        await task_row(bot, "2")
    ).status == "not_started"
    # "2 = Bỏ qua" came with the done (task 6's product was not named): offered, so taken
    assert text_of(await bot.say("lan", "2")).startswith("Vâng, tôi không hỏi thêm.")
    card = text_of(await bot.say("lan", "2"))  # the question was answered: "2" opens task 2
    assert card.startswith("Nhiệm vụ 2:") and (await task_row(bot, "2")).status == "not_started"


async def test_evidence_after_the_done_tap_is_recorded_not_asked(bot: Harness) -> None:
    await bot.say("lan", "/viec 1")
    await bot.say("lan", "1")  # Hoàn thành
    answer = text_of(await bot.say("lan", "QĐ số 12/QĐ-UBND ngày 02/01/2026"))
    assert "Đã ghi nhận nhiệm vụ 1" in answer and "12/QĐ-UBND" in answer
    rows = await history(bot, "1")
    assert rows[-1].kind == "status" and rows[-1].evidence == ["QĐ số 12/QĐ-UBND ngày 02/01/2026"]


async def test_leader_types_agreement_to_an_extension_request(bot: Harness) -> None:
    from handlers.choices import save_focus
    from models.conversation import Focus
    from models.invites import person_id_of

    await bot.say("lan", "/giahan 1 20/1 chờ kinh phí")
    request = next(r for r in await history(bot, "1") if r.kind == "extension_request")
    async with bot.sessions() as session, session.begin():  # as the delivered notice leaves it
        person = await person_id_of(session, "console", "trinh")
        await save_focus(session, person, "console", focus=Focus(), text_only=True, now=bot.clock.now(),
                         choices=[f"extok:{request.id}", f"extno:{request.id}"])  # fmt: skip
    answer = text_of(await bot.say("trinh", "đồng ý"))
    assert "Đã duyệt gia hạn nhiệm vụ 1" in answer
    assert str((await task_row(bot, "1")).deadline_due) == "2026-01-20"


async def test_undo_alias_and_two_tasks_in_one_list(bot: Harness) -> None:
    answer = text_of(await bot.say("lan", "Đã hoàn thành nhiệm vụ 2 và 6"))
    assert "nhiệm vụ 2" in answer and "nhiệm vụ 6" in answer
    assert (await task_row(bot, "2")).status == "done" and (
        await task_row(bot, "6")
    ).status == "done"
    text_of(await bot.say("lan", "/undo"))
    assert (await task_row(bot, "6")).status == "not_started"


async def test_a_reply_to_a_message_without_record_is_asked_not_guessed(bot: Harness) -> None:
    await bot.say("lan", "/viec 2")  # task 2 in focus
    asked = text_of(
        await bot.say("lan", "Hoàn thành", reply_to="999999")
    )  # dondoc has no record of it
    assert "nhiệm vụ nào" in asked
    assert (await task_row(bot, "2")).status == "not_started"
    async with bot.sessions() as session:
        question = await session.scalar(select(Question).where(Question.kind == "which"))
    assert question is not None and question.text == "Hoàn thành"


async def test_a_bare_number_inside_a_line_is_asked_not_swallowed(bot: Harness) -> None:
    answer = text_of(
        await bot.say("lan", "1 chưa thực hiện vì chưa có kinh phí, 3 theo yêu cầu chưa phát sinh")
    )
    one = (await history(bot, "1"))[-1]
    assert (one.kind, one.status, one.reason) == ("status", "not_started", "chưa có kinh phí")
    three = await history(bot, "3")
    assert three[-1].kind == "note" and (await task_row(bot, "3")).status == "not_started"
    assert "Nhiệm vụ 3" in answer and "Chưa phát sinh" in answer  # asked, one tap to record


def test_a_count_after_a_comma_is_not_a_task() -> None:
    assert [p.number for p in split_by_task("31 hoàn thành, 3 văn bản đã ban hành")] == ["31"]


async def test_greetings_and_help_are_answered_and_never_kept_as_notes(bot: Harness) -> None:
    """From the demo walk: "alo" was thanked and "em không hiểu" became a note of a task."""
    async with bot.sessions() as session:
        before = await session.scalar(select(func.count()).select_from(StatusUpdate))
    greeting = text_of(await bot.say("lan", "alo"))
    lost = text_of(await bot.say("lan", "em không hiểu"))
    mark = text_of(await bot.say("lan", "?"))
    assert "Chào anh/chị" in greeting and "/viec" in greeting
    assert "giúp gì" in lost and "/trogiup" in lost
    assert "giúp gì" in mark
    async with bot.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(StatusUpdate)) == before
