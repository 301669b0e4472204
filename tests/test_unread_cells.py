"""Deadline cells the grammar cannot read, at import (issue 26): the admin sees the
list and picks what each cell means with one tap (a number on the console), from
choices built from the numbers in it; the choice is put on the tasks at once, kept, and
applied without asking at the next import of the same text (in any spelling). On SQLite
and PostgreSQL, through the conversation on the console channel."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from handlers.messages import Attachment
from models.deadline_readings import DeadlineReading
from models.plans import Plan, Task
from tests.conftest import BACKENDS
from tests.harness import Harness, sample_harness, text_of

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)

TITLE = "KẾ HOẠCH Thử thời hạn năm 2026"
HEADER = "STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện/ hoàn thành\tSản phẩm"


def plan_text(cells: tuple[str, str, str, str] = (
    "30/9/2026 hoặc sớm hơn", "Đầu quý III/2026", "đầu  QUÝ III/2026", "Quý IV/2026",
)) -> bytes:  # fmt: skip
    rows = [
        f"{n}\tViệc thử số {n}\tPhòng Kinh tế\t\t{cell}\tBáo cáo" for n, cell in enumerate(cells, 1)
    ]
    return "\n".join([TITLE, HEADER, *rows]).encode("utf-8")


def attached(data: bytes) -> Attachment:
    return Attachment("thu-thoi-han.txt", data)


async def trial_task(bot: Harness, number: str) -> Task:
    async with bot.sessions() as session:
        task = await session.scalar(
            select(Task).join(Plan).where(Plan.title == TITLE, Task.number == number)
        )
        assert task is not None
        return task


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("ha", "admin"))


async def test_cells_asked_one_by_one_kept_and_not_asked_again(bot: Harness) -> None:
    replies = await bot.say("ha", "/nhap", attachment=attached(plan_text()))
    answer = text_of(replies)
    assert "Đã nhập kế hoạch mới" in answer
    assert "Có 2 ô thời hạn tôi chưa đọc được" in answer
    assert "• «Đầu quý III/2026» (nhiệm vụ 2, 3)" in answer  # one cell, two spellings
    asked = replies[-1].text
    assert "Ô thời hạn «30/9/2026 hoặc sớm hơn» (nhiệm vụ 1) nghĩa là gì?" in asked
    assert "1 = 30/09/2026 là hạn chót" in asked and "= Để sau" in asked
    assert (await trial_task(bot, "1")).deadline_kind == "unknown"

    second = text_of(await bot.say("ha", "1"))
    assert "Đã ghi: «30/9/2026 hoặc sớm hơn» — 30/09/2026 là hạn chót, cho 1 nhiệm vụ" in second
    assert "Ô thời hạn «Đầu quý III/2026» (nhiệm vụ 2, 3) nghĩa là gì?" in second
    assert "1 = Từ 01/07/2026 đến 30/09/2026" in second and "2 = 30/09/2026 là hạn chót" in second
    one = await trial_task(bot, "1")
    assert (one.deadline_kind, one.deadline_due, one.needs_review) == ("due", date(2026, 9, 30), False)

    last = text_of(await bot.say("ha", "1"))
    assert "cho 2 nhiệm vụ" in last and "Đã xong các ô thời hạn cần hỏi." in last
    for number in ("2", "3"):
        task = await trial_task(bot, number)
        assert (task.deadline_kind, task.deadline_start, task.deadline_due) == (
            "period", date(2026, 7, 1), date(2026, 9, 30)
        )
        assert task.review_reason is None
    async with bot.sessions() as session:
        kept = {r.text_key: r.phrase for r in await session.scalars(select(DeadlineReading))}
    assert kept == {"30/9/2026 hoac som hon": "Chậm nhất ngày 30/09/2026", "dau quy iii/2026": "Quý III/2026"}

    # The same file again: nothing changed, nothing asked.
    again = text_of(await bot.say("ha", "/nhap", attachment=attached(plan_text())))
    assert "không có gì thay đổi" in again and "ô thời hạn" not in again
    # Another spelling of the same cells, and a new cell: only the new one is asked.
    changed = plan_text(("30/9/2026 HOAC som hon", "dau quy III/2026", "Đầu quý III/2026", "Giữa tháng 11/2026"))
    preview = text_of(await bot.say("ha", "/nhap", attachment=attached(changed)))
    assert "1 = Cập nhật kế hoạch TTH" in preview and "Cần xem lại 1 nhiệm vụ" in preview
    replies = await bot.say("ha", "1")
    answer = text_of(replies)
    assert "Đã cập nhật kế hoạch" in answer
    assert "Có 1 ô thời hạn tôi chưa đọc được" in answer and "«Giữa tháng 11/2026» (nhiệm vụ 4)" in answer
    assert "hoặc sớm hơn" not in replies[-1].text and "2 = 30/11/2026 là hạn chót" in answer
    assert (await trial_task(bot, "1")).deadline_due == date(2026, 9, 30)


async def test_later_leaves_the_cell_for_review_and_asks_the_next(bot: Harness) -> None:
    await bot.say("ha", "/nhap", attachment=attached(plan_text()))
    answer = text_of(await bot.say("ha", str(len(bot.last["ha"][-1][1].text.split(" = ")) - 1)))
    assert "Để sau: ô «30/9/2026 hoặc sớm hơn» vẫn nằm trong danh sách cần xem lại." in answer
    assert "«Đầu quý III/2026»" in answer
    task = await trial_task(bot, "1")
    assert task.deadline_kind == "unknown" and task.needs_review


async def test_an_officer_cannot_answer_and_a_stale_tap_changes_nothing(bot: Harness) -> None:
    await bot.say("ha", "/nhap", attachment=attached(plan_text()))
    await bot.register("lan", "officer", "Phòng Kinh tế")
    async with bot.sessions() as session:
        row = await session.scalar(select(DeadlineReading).order_by(DeadlineReading.id))
    refused = text_of(await bot.say("lan", callback=f"dlc:{row.id}:0"))
    assert "chỉ dành cho quản trị" in refused
    stale = text_of(await bot.say("ha", callback=f"dlc:{row.id}:99"))
    assert "không còn đúng" in stale
    assert text_of(await bot.say("ha", callback="dlc:999999:0")).startswith("Câu hỏi này không còn")
    assert (await trial_task(bot, "1")).deadline_kind == "unknown"


def test_cli_import_asks_by_number_and_the_next_import_does_not(  # noqa: ANN001
    capsys, monkeypatch, tmp_path, database_url
) -> None:
    from bot.cli import main

    db = ("--db", database_url, "--org", "Xã Thử")
    plan = tmp_path / "thu.txt"
    plan.write_bytes(plan_text())
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n\n"))  # the first cell; the second later
    assert main(["import", str(plan), *db, "--ask"]) == 0
    out = capsys.readouterr().out
    assert "Có 2 ô thời hạn chưa đọc được:" in out
    assert "Ô thời hạn «30/9/2026 hoặc sớm hơn» (nhiệm vụ 1) nghĩa là gì?" in out
    assert "  1 = 30/09/2026 là hạn chót" in out and "Đã ghi: 30/09/2026 là hạn chót, cho 1 nhiệm vụ." in out
    assert "Để sau: ô này vẫn nằm trong danh sách cần xem lại." in out
    assert main(["import", str(plan), *db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["text"] for c in data["unread_cells"]] == ["Đầu quý III/2026"]  # asked once only
    assert data["unread_cells"][0]["tasks"] == ["2", "3"]
    assert data["unread_cells"][0]["choices"][0] == {"phrase": "Quý III/2026", "label": "Từ 01/07/2026 đến 30/09/2026"}
    assert [i["number"] for i in data["needs_review"]] == ["2", "3"]
