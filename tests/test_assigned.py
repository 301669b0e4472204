"""Tasks the city gives (/giao) and a leader's instructions, through the conversation:
each part of /giao missing in turn is asked for and what was typed is kept; the task
joins the list "Nhiệm vụ được giao năm 2026" with its source; the unit is told through
the outbox and its reply lands on the task; the tasks count in Biểu mẫu 1 rows 4.1–4.1.3
on time, late and overdue as the clock moves; a leader's text naming a task is sent to
the unit as an instruction after one answer. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.reminders import ReminderService
from documents.form_one import form_one
from documents.report_rows import Period, build_report
from models.outbox import OutboxItem
from models.plan_store import find_organization
from models.plans import Plan, StatusUpdate, Task
from scheduler.workdays import WorkCalendar
from tests.conftest import BACKENDS, TZ
from tests.harness import Harness, text_of
from tests.test_reminders import Inbox

VHXH = "Phòng Văn hóa - Xã hội"
SOURCE = "Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố"
EXAMPLE = f"/giao {VHXH}: Báo cáo kết quả tự kiểm tra CCHC trước 15/12/2026 ({SOURCE})"


async def setup(sessions, clock, channel: str = "console") -> tuple[Harness, ReminderService, Inbox]:  # noqa: ANN001
    clock.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))  # a Tuesday
    bot = Harness(sessions, clock, channel=channel)
    await bot.import_sample()
    await bot.register("lan", "officer", VHXH)
    await bot.register("an", "officer", "Trung tâm Phục vụ hành chính công")
    await bot.register("trinh", "leader")
    inbox = Inbox(clock)
    service = ReminderService(bot.conversation.services, {channel: inbox})
    await service.tick()  # the year's overdue reminders go now, before the story
    return bot, service, inbox


async def given(bot: Harness) -> list[Task]:
    async with bot.sessions() as session:
        return list(
            await session.scalars(
                select(Task).join(Plan, Task.plan_id == Plan.id).where(Plan.kind == "assigned").order_by(Task.id)
            )
        )


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_giao_in_one_message(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    assert "Chỉ lãnh đạo hoặc quản trị" in text_of(await bot.say("lan", EXAMPLE))
    answer = text_of(await bot.say("trinh", EXAMPLE))
    assert answer.startswith(
        f"Đã giao nhiệm vụ 1 «Báo cáo kết quả tự kiểm tra CCHC» cho {VHXH}, hạn 14/12/2026 — còn 9 ngày làm việc."
    )
    assert f"Theo: {SOURCE}." in answer and "Danh sách: Nhiệm vụ được giao năm 2026." in answer
    assert "Đã báo cho: Lan." in answer
    [task] = await given(bot)
    assert (task.number, task.source, task.deadline_text) == ("1", SOURCE, "trước 15/12/2026")
    async with bot.sessions() as session:
        plan = await session.get(Plan, task.plan_id)
        assert (plan.kind, plan.title, plan.year) == ("assigned", "Nhiệm vụ được giao năm 2026", 2026)
        history = list(await session.scalars(select(StatusUpdate.kind).where(StatusUpdate.task_id == task.id)))
    assert history == ["assigned"]

    mark = len(inbox.got)
    await service.tick()
    [(chat, _at, notice)] = inbox.got[mark:]
    assert chat == "lan" and notice.task_id == task.id
    assert notice.text.startswith(f"Trinh giao nhiệm vụ mới cho {VHXH}:\nNhiệm vụ 1: Báo cáo kết quả tự kiểm tra CCHC")
    assert f"Theo: {SOURCE}" in notice.text and "Trả lời 1 = Hoàn thành" in notice.text
    reply = text_of(await bot.say("lan", "Hoàn thành, BC số 5/BC-UBND ngày 30/11/2026", reply_to=str(len(inbox.got))))
    assert reply.startswith("Đã ghi nhận nhiệm vụ GIAO 1 «Báo cáo kết quả tự kiểm tra CCHC»: Hoàn thành.")
    assert (await given(bot))[0].status == "done"

    card = text_of(await bot.say("trinh", "/viec G.1"))
    assert f"Theo: {SOURCE}" in card and f"Trinh: Giao nhiệm vụ ({SOURCE})" in card
    # Only one open task is numbered 1 (G.1 is done): a bare number opens it (issue 21).
    assert "Nhiệm vụ CCHC 1:" in text_of(await bot.say("trinh", "/viec 1"))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_each_part_missing_in_turn(sessions, clock) -> None:  # noqa: ANN001
    bot, _service, _inbox = await setup(sessions, clock)

    # no unit: the units are offered, numbered on a text channel; a typed name answers too
    asked = text_of(await bot.say("trinh", f"/giao Báo cáo kết quả tự kiểm tra CCHC trước 15/12/2026 ({SOURCE})"))
    assert asked.startswith("Đã ghi nhận — Nội dung: Báo cáo kết quả tự kiểm tra CCHC; Hạn: trước 15/12/2026; Văn bản:")
    assert "Giao cho đơn vị nào?" in asked and f"1 = {VHXH}" in asked
    assert "Đã giao nhiệm vụ 1" in text_of(await bot.say("trinh", "VH-XH"))

    # an unknown unit is named back; the choice is a number
    asked = text_of(await bot.say("trinh", f"/giao Phòng Tư pháp: Rà soát văn bản, hạn 20/12/2026 ({SOURCE})"))
    assert "Không tìm thấy đơn vị «Phòng Tư pháp»." in asked
    assert "Đã giao nhiệm vụ 2 «Rà soát văn bản» cho Phòng Văn hóa - Xã hội" in text_of(await bot.say("trinh", "1"))

    # no content
    asked = text_of(await bot.say("trinh", f"/giao {VHXH}: hạn 20/12/2026 ({SOURCE})"))
    assert "Nhiệm vụ giao là gì?" in asked and "Đơn vị: Phòng Văn hóa - Xã hội; Hạn: hạn 20/12/2026" in asked
    assert "Đã giao nhiệm vụ 3 «Tổng hợp số liệu cải cách hành chính»" in text_of(
        await bot.say("trinh", "Tổng hợp số liệu cải cách hành chính")
    )

    # no deadline, then one that cannot be read, then one that has passed, then a good one
    asked = text_of(await bot.say("trinh", f"/giao {VHXH}: Rà soát thủ tục hành chính ({SOURCE})"))
    assert "Chưa có hạn hoàn thành." in asked and "Hạn hoàn thành là khi nào?" in asked
    again = text_of(await bot.say("trinh", "31/02/2026"))
    assert "Thời hạn «31/02/2026» có ngày không đúng hoặc không rõ" in again
    assert "Hạn «20/11/2026» đã qua." in text_of(await bot.say("trinh", "20/11/2026"))
    done = text_of(await bot.say("trinh", "Quý IV/2026"))
    assert done.startswith("Đã giao nhiệm vụ 4 «Rà soát thủ tục hành chính» cho Phòng Văn hóa - Xã hội, hạn 31/12/2026")

    # no source: asked, "Không có văn bản" is a choice, a typed document answers too
    asked = text_of(await bot.say("trinh", f"/giao {VHXH}: Báo cáo công tác dân vận trước 18/12/2026"))
    assert "Nhiệm vụ này theo văn bản nào?" in asked and "1 = Không có văn bản, 2 = Hủy" in asked
    assert "Không kèm văn bản." in text_of(await bot.say("trinh", "1"))
    await bot.say("trinh", f"/giao {VHXH}: Báo cáo công tác dân vận trước 18/12/2026")
    typed = text_of(await bot.say("trinh", "Thông báo số 77/TB-UBND ngày 30/11/2026 của UBND thành phố"))
    assert "Theo: Thông báo số 77/TB-UBND ngày 30/11/2026 của UBND thành phố." in typed

    # cancelled: nothing given; a command in the middle drops the question
    await bot.say("trinh", f"/giao {VHXH}: Việc không giao trước 18/12/2026")
    assert "Đã hủy, chưa giao nhiệm vụ nào." in text_of(await bot.say("trinh", "hủy"))
    await bot.say("trinh", f"/giao {VHXH}: Việc bỏ dở")
    await bot.say("trinh", "/quahan")
    tasks = await given(bot)
    assert [t.number for t in tasks] == ["1", "2", "3", "4", "5", "6"]
    assert [t.source for t in tasks][-2:] == [None, "Thông báo số 77/TB-UBND ngày 30/11/2026 của UBND thành phố"]
    assert text_of(await bot.say("trinh", "/giao")).startswith("Cách dùng: /giao tên đơn vị: nội dung")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_form_one_counts_on_time_late_overdue(sessions, clock) -> None:  # noqa: ANN001
    bot, service, _inbox = await setup(sessions, clock)
    for content, due in (("Việc A", "10/12/2026"), ("Việc B", "11/12/2026"), ("Việc C", "14/12/2026")):
        assert "Đã giao" in text_of(await bot.say("trinh", f"/giao {VHXH}: {content}, hạn {due} ({SOURCE})"))
    await bot.say("lan", "/capnhat G.1 hoàn thành, BC số 1/BC-UBND")  # on time
    clock.move_to(datetime(2026, 12, 15, 9, 0, tzinfo=TZ))
    await bot.say("lan", "/capnhat G.2 hoàn thành, BC số 2/BC-UBND")  # late; C is overdue
    calendar = WorkCalendar()
    async with bot.sessions() as session:
        org = await find_organization(session, "Xã Nguyễn Bình Khiêm")
        report = await build_report(
            session, org, period=Period("nam", 2026), as_of=clock.today(TZ), deadline_end=calendar.deadline_end
        )
    assert report is not None and report.plan_title == "Kế hoạch cải cách hành chính năm 2026"
    rows = {row.number: row.value for row in form_one(report)}
    assert (rows["4.1."], rows["4.1.1."], rows["4.1.2."], rows["4.1.3."]) == (3, 1, 1, 1)
    assert rows["2.1."] == 39  # the plan's own count is the plan's
    progress = text_of(await bot.say("trinh", "/tiendo"))
    assert "Nhiệm vụ UBND thành phố giao (năm 2026): hoàn thành 2/3 (66,7%): đúng hạn 1, trễ hạn 1; quá hạn chưa hoàn thành: 1" in progress
    overdue = text_of(await bot.say("trinh", "/quahan"))
    assert "Việc C" in overdue
    await service.tick()  # reminded like any task: before, on and after its due day
    late = (await given(bot))[2]
    async with bot.sessions() as session:
        kinds = set(await session.scalars(select(OutboxItem.kind).where(OutboxItem.task_id == late.id)))
    assert {"assigned", "before_due", "due_day", "overdue"} <= kinds


def test_cli_assign(capsys, tmp_path) -> None:  # noqa: ANN001
    import json

    from bot.cli import main
    from tests.conftest import SAMPLES

    db = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    org = "Xã Nguyễn Bình Khiêm"
    assert main(["import", str(SAMPLES / "ke-hoach-cchc-2026-mau.docx"), "--org", org, "--db", db]) == 0
    capsys.readouterr()
    code = main(["assign", "--org", org, "--unit", "VH-XH", "--text", "Báo cáo tự kiểm tra", "--due", "Quý II/2030",
                 "--source", SOURCE, "--db", db, "--json"])  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["number"] == "1" and data["source"] == SOURCE
    assert data["lead_units"] == [VHXH] and data["deadline"]["due"] == "2030-06-30"
    assert data["plan"]["kind"] == "assigned" and data["plan"]["title"].startswith("Nhiệm vụ được giao năm ")
    assert main(["assign", "--org", org, "--unit", "Phòng Tư pháp", "--text", "x", "--due", "1/1/2030", "--db", db]) == 1
    assert "Không tìm thấy đơn vị «Phòng Tư pháp»" in capsys.readouterr().err
    assert main(["assign", "--org", org, "--unit", "VH-XH", "--text", "x", "--due", "31/02/2030", "--db", db]) == 1
    assert "có ngày không đúng" in capsys.readouterr().err
