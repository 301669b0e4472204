"""Issue 21 (items 1, 2, 3, 6, 7): a commune follows several plans a year as separate
things — the sample CCHC plan and a digital-transformation plan with lettered sections
and a two-line title — each re-imported with changes without touching the other, tasks
named by plan code, a bare number shared by two plans asked about, and the CLI."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from bot.cli import main
from handlers.imports.plans import import_plan_file
from handlers.messages import Attachment
from models.plans import Plan, StatusUpdate, Task
from tests.conftest import BACKENDS, SAMPLES
from tests.harness import ORG, Harness, text_of
from tests.plan_cds import TITLE, cds_docx, changed_rows

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


async def import_cds(bot: Harness, data: bytes | None = None) -> None:
    async with bot.sessions() as session, session.begin():
        await import_plan_file(
            session, data=data or cds_docx(), filename="ke-hoach-cds.docx", organization=ORG,
            now=bot.clock.now(),
        )  # fmt: skip


async def task_of(bot: Harness, code: str, number: str) -> Task:
    async with bot.sessions() as session:
        task = await session.scalar(
            select(Task).join(Plan).where(Plan.code == code, Task.number == number)
        )
        assert task is not None, (code, number)
        return task


async def history_count(bot: Harness, code: str) -> int:
    async with bot.sessions() as session:
        return await session.scalar(
            select(func.count()).select_from(StatusUpdate).join(Task).join(Plan).where(Plan.code == code)
        )


async def two_plans(sessions, clock, channel: str = "console") -> Harness:  # noqa: ANN001
    """The sample commune with two plans: the sample CCHC plan and the CĐS plan."""
    harness = Harness(sessions, clock, channel=channel)
    await harness.import_sample()
    await import_cds(harness)
    return harness


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await two_plans(sessions, clock)


async def test_two_plans_stay_apart(bot: Harness) -> None:
    async with bot.sessions() as session:
        plans = list(await session.scalars(select(Plan).order_by(Plan.id)))
        assert [(p.code, p.title, p.year) for p in plans] == [
            ("CCHC", "Kế hoạch cải cách hành chính năm 2026", 2026),
            ("CĐS", TITLE, 2026),
        ]
        counts = dict(
            (await session.execute(select(Task.plan_id, func.count()).group_by(Task.plan_id))).all()
        )
        assert counts == {plans[0].id: 39, plans[1].id: 12}
    cds = await task_of(bot, "CĐS", "4.1")  # under "B.", its heading row "4" is no task
    assert "mạng nội bộ" in cds.content
    with pytest.raises(AssertionError):
        await task_of(bot, "CĐS", "4")


async def test_bare_number_in_two_plans_is_asked_by_number_then_recorded(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    asked = text_of(await bot.say("lan", "6 hoàn thành"))
    assert "Có 2 nhiệm vụ số 6 trong các kế hoạch" in asked
    assert "1 = CCHC 6: Ban hành, triển khai" in asked and "2 = CĐS 6: Số hóa hồ sơ" in asked
    assert (await task_of(bot, "CĐS", "6")).status == "not_started"  # nothing guessed
    done = text_of(await bot.say("lan", "2"))
    assert "Đã ghi nhận nhiệm vụ" in done
    assert (await task_of(bot, "CĐS", "6")).status == "done"
    assert (await task_of(bot, "CCHC", "6")).status == "not_started"
    # Named with its code, in any of the ways people type it.
    await bot.say("lan", "cds3 đang thực hiện 50%")
    assert (await task_of(bot, "CĐS", "3")).percent == 50
    await bot.say("lan", "6 CCHC đang thực hiện 20%")
    assert (await task_of(bot, "CCHC", "6")).percent == 20
    # Now only one open task 6 is theirs: the bare number is enough.
    await bot.say("lan", "6 hoàn thành")
    assert (await task_of(bot, "CCHC", "6")).status == "done"


async def test_card_list_and_cooperating_units(bot: Harness) -> None:
    await bot.register("kt", "officer", "Phòng Kinh tế")
    card = text_of(await bot.say("kt", "/viec CĐS 7"))
    assert card.startswith("Nhiệm vụ CĐS 7: Vận động người dân")
    assert f"Kế hoạch: {TITLE} (CĐS)" in card
    assert "Chủ trì: Công an xã" in card and "Phối hợp: Phòng Kinh tế" in card
    listing = text_of(await bot.say("kt", "/viec"))
    own, _sep, helping = listing.partition("Đơn vị khác chủ trì, đơn vị anh/chị phối hợp")
    assert "CĐS 8." in own and "CĐS 9." in own and "CCHC 5." in own
    assert "CĐS 7." not in own and "CĐS 7." in helping and "Chủ trì: Công an xã" in helping


async def test_reimport_in_chat_shows_changes_and_applies_after_the_answer(bot: Harness) -> None:
    await bot.register("ha", "admin")
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("kt", "officer", "Phòng Kinh tế")
    await bot.say("kt", "CĐS 9 đang thực hiện 30%")  # history of a task the new file drops
    await bot.say("lan", "CĐS 2 hoàn thành")  # history of a task that stays
    cchc_history = await history_count(bot, "CCHC")
    sent = Attachment("ke-hoach-cds-sua.docx", cds_docx(changed_rows()), "document")
    preview = text_of(await bot.say("ha", "/nhap", attachment=sent))
    assert f"Tệp ghi kế hoạch «{TITLE}» (mã CĐS): 12 nhiệm vụ trong 3 mục." in preview
    assert "Thay đổi so với kế hoạch CĐS: thêm 1, bỏ 1, sửa 1, giữ nguyên 10." in preview
    assert "Thêm nhiệm vụ: 12" in preview and "Nhiệm vụ 3: sửa thời hạn" in preview
    assert "Bỏ nhiệm vụ (giữ lại cùng lịch sử, không nhắc nữa): 9" in preview
    assert "1 = Cập nhật kế hoạch CĐS, 2 = Nhập thành kế hoạch mới, 3 = Hủy" in preview
    assert (await task_of(bot, "CĐS", "3")).deadline_text == "Quý II/2026"  # not yet
    applied = text_of(await bot.say("ha", "1"))
    assert "Đã cập nhật kế hoạch" in applied
    assert (await task_of(bot, "CĐS", "3")).deadline_text == "Quý III/2026"
    dropped = await task_of(bot, "CĐS", "9")
    assert dropped.withdrawn and dropped.percent == 30  # kept, with its history
    assert (await task_of(bot, "CĐS", "2")).status == "done"
    assert await history_count(bot, "CCHC") == cchc_history  # the other plan untouched
    listing = text_of(await bot.say("kt", "/viec"))
    assert "CĐS 9." not in listing  # withdrawn: not listed
    # The same file again changes nothing; "Hủy" on another file leaves the plan as it is.
    again = text_of(await bot.say("ha", "/nhap", attachment=sent))
    assert "không có gì thay đổi" in again
    sent = Attachment("ke-hoach-cds.docx", cds_docx(), "document")
    await bot.say("ha", "/nhap", attachment=sent)
    cancelled = text_of(await bot.say("ha", "3"))
    assert "Đã hủy" in cancelled and (await task_of(bot, "CĐS", "9")).withdrawn


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))  # the CLI runs its own event loop
    out, err = capsys.readouterr()
    return code, out, err


async def test_cli_plans_progress_report_and_reimport(  # noqa: ANN001
    bot: Harness, database_url: str, capsys, tmp_path: Path
) -> None:
    db = ("--db", database_url)
    code, out, _ = await run(capsys, "plans", "--org", ORG, *db, "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["code"], r["kind"], r["tasks"], r["done"]) for r in rows] == [
        ("CCHC", "plan", 39, 0), ("CĐS", "plan", 12, 0)
    ]
    assert set(rows[0]) == {"id", "code", "title", "year", "kind", "tasks", "done"}
    code, out, _ = await run(capsys, "progress", "--org", ORG, *db, "--json")
    data = json.loads(out)
    assert [p["code"] for p in data["plans"]] == ["CCHC", "CĐS"] and data["total"]["total"] == 51
    code, out, _ = await run(capsys, "progress", "--org", ORG, "--plan", "cds", *db, "--json")
    assert json.loads(out)["total"] == 12
    code, out, err = await run(capsys, "report", "--org", ORG, "--out", str(tmp_path / "a.docx"), *db)
    assert code == 2 and "CCHC, CĐS" in err and len(err.strip().splitlines()) == 1
    code, out, _ = await run(
        capsys, "report", "--org", ORG, "--plan", "CĐS", "--out", str(tmp_path / "a.docx"), *db, "--json"
    )
    assert code == 0 and json.loads(out)["total"] == 12
    code, out, _ = await run(capsys, "tasks", "--org", ORG, "--plan", "CCHC", *db, "--json")
    assert len(json.loads(out)) == 39

    changed = tmp_path / "cds.docx"
    changed.write_bytes(cds_docx(changed_rows()))
    code, out, _ = await run(capsys, "import", str(changed), "--org", ORG, "--dry-run", *db, "--json")
    data = json.loads(out)
    assert data["plan"]["code"] == "CĐS" and data["plan"]["created"] is False
    assert data["counts"] == {"added": 1, "changed": 1, "removed": 1, "restored": 0, "unchanged": 10}
    assert not (await task_of(bot, "CĐS", "9")).withdrawn  # a dry run writes nothing
    code, out, _ = await run(capsys, "import", str(changed), "--org", ORG, *db)
    assert code == 0 and "Nhiệm vụ 3: đổi thời hạn" in out
    assert (await task_of(bot, "CĐS", "9")).withdrawn
    # The CCHC plan re-imported with a change, by code: the CĐS plan is not touched.
    text = (SAMPLES / "ke-hoach-cchc-2026-mau.txt").read_text(encoding="utf-8")
    cchc = tmp_path / "cchc.txt"
    cchc.write_text(text.replace("Trước ngày 15/01/2026", "Trước ngày 20/01/2026", 1), encoding="utf-8")
    cds_history = await history_count(bot, "CĐS")
    code, out, err = await run(capsys, "import", str(cchc), "--org", ORG, *db, "--json")
    assert code == 2 and "--plan" in err  # no title in a pasted table, two plans: say which
    code, out, _ = await run(capsys, "import", str(cchc), "--org", ORG, "--plan", "cchc", *db, "--json")
    data = json.loads(out)
    assert data["plan"]["code"] == "CCHC" and data["counts"]["changed"] == 1
    assert await history_count(bot, "CĐS") == cds_history
    code, out, _ = await run(capsys, "import", str(changed), "--org", ORG, "--new-plan", *db, "--json")
    data = json.loads(out)
    assert data["plan"]["created"] is True and data["plan"]["code"] == "CĐS2"
    assert data["plan"]["title"] == f"{TITLE} (2)"


async def test_progress_a_line_per_plan_and_one_plan_on_request(bot: Harness) -> None:
    await bot.register("trinh", "leader")
    both = text_of(await bot.say("trinh", "/tiendo"))
    assert both.startswith("Tiến độ các kế hoạch — Xã Nguyễn Bình Khiêm")
    assert "• CCHC — Kế hoạch cải cách hành chính năm 2026: " in both and "• CĐS — " in both
    assert "Cả 2 kế hoạch:" in both and "/tiendo CĐS" in both
    one = text_of(await bot.say("trinh", "/tiendo cds"))
    assert one.startswith(f"Tiến độ {TITLE} — ") and "Hoàn thành: 0/12" in one
    asked = text_of(await bot.say("trinh", "/baocao 6thang"))
    assert "đang theo dõi 2 kế hoạch; «/baocao 6thang» là cho kế hoạch nào?" in asked
    assert "1 = CCHC — " in asked and "«/baocao CĐS 6thang»" in asked
    appendix = await bot.say("trinh", "/baocao CĐS 6thang")
    assert any(r.document is not None for r in appendix)


async def test_the_appendix_of_another_plan_bears_its_title(bot: Harness) -> None:
    await bot.register("trinh", "leader")
    replies = await bot.say("trinh", "/baocao CĐS 6thang")
    document = next(r.document for r in replies if r.document is not None)
    text = "\n".join(p.text for p in Document(io.BytesIO(document.data)).paragraphs)
    assert f"Kết quả thực hiện {TITLE}" in " ".join(text.split())
    assert "thực hiện nhiệm vụ công tác cải cách hành chính" not in text.casefold()
    # named by the plan's code, so it never takes the CCHC appendix's name
    assert document.filename.startswith("ket-qua-cds-"), document.filename
    cchc = next(r.document for r in await bot.say("trinh", "/baocao CCHC 6thang") if r.document)
    assert cchc.filename.startswith("ket-qua-cchc-") and cchc.filename != document.filename


async def test_a_reminder_names_the_plan(bot: Harness) -> None:
    from handlers.reminders.texts import compose  # noqa: PLC0415
    from models.outbox import OutboxItem  # noqa: PLC0415
    from models.people import Person  # noqa: PLC0415
    from scheduler.workdays import WorkCalendar  # noqa: PLC0415

    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    task = await task_of(bot, "CĐS", "6")
    async with bot.sessions() as session:
        person = await session.scalar(select(Person))
        item = OutboxItem(
            organization_id=1, task_id=task.id, kind="before_due", occurrence="x",
            recipient_id=person.id, to_leaders=False, key="k", send_at=bot.clock.now(),
        )  # fmt: skip
        message = await compose(
            session, person, [item], today=bot.clock.today(), calendar=WorkCalendar(),
            offline_digest=False, has_buttons=False,
        )  # fmt: skip
    assert message.text.splitlines()[1].startswith("Nhiệm vụ CĐS 6: Số hóa hồ sơ")
    assert f"Kế hoạch: {TITLE} (CĐS)" in message.text


async def test_plans_listed_and_a_code_changed_by_the_admin(bot: Harness) -> None:
    await bot.register("ha", "admin")
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    listing = text_of(await bot.say("lan", "/kehoach"))
    assert "• CCHC — Kế hoạch cải cách hành chính năm 2026: 0/39" in listing
    assert f"• CĐS — {TITLE}: 0/12" in listing and "Đổi mã" not in listing
    assert "quản trị" in text_of(await bot.say("lan", "/kehoach CĐS SO"))
    assert "đã là mã của một kế hoạch khác" in text_of(await bot.say("ha", "/kehoach cds cchc"))
    assert "không dùng được" in text_of(await bot.say("ha", "/kehoach cds 9X"))
    assert (await task_of(bot, "CĐS", "6")).number == "6"
    assert "từ CĐS thành SO" in text_of(await bot.say("ha", "/kehoach cds so"))
    await bot.say("lan", "SO 6 hoàn thành")
    assert (await task_of(bot, "SO", "6")).status == "done"
