"""Importing real plans into the database, on SQLite and PostgreSQL: the seed appendix
as pasted text and as .docx gives 39 tasks in 7 sections with the right lead units;
importing again changes nothing; a changed file updates in place and keeps history;
a bad file leaves the database as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from documents.plan_file_error import PlanFileError
from handlers.imports.plans import import_plan_file
from models.plan_store import find_organization
from models.plans import Section, StatusUpdate, Task
from models.queries import list_tasks
from tests.conftest import BACKENDS, SAMPLES

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)

ORG = "Xã Nguyễn Bình Khiêm"
TEXT = SAMPLES / "ke-hoach-cchc-2026-mau.txt"
DOCX = SAMPLES / "ke-hoach-cchc-2026-mau.docx"
LEADS = {
    "1": ["Phòng Văn hóa - Xã hội"],
    "5": ["Phòng Kinh tế"],
    "8": ["Trung tâm Dịch vụ sự nghiệp công"],
    "9": ["Văn phòng HĐND và UBND"],
    "16": ["Trung tâm Phục vụ hành chính công"],
    "31": ["Phòng Kinh tế"],
    "33": ["Công an xã"],
    "36": ["Phòng Văn hóa - Xã hội"],
    "4": [],
}


async def _import(sessions, path, clock, **kw):  # noqa: ANN001, ANN202
    async with sessions() as session, session.begin():
        return await import_plan_file(
            session,
            data=path.read_bytes() if hasattr(path, "read_bytes") else path,
            filename=kw.pop("filename", getattr(path, "name", "plan.txt")),
            organization=ORG,
            now=clock.now(),
            **kw,
        )


async def _counts(sessions) -> tuple[int, int, int]:  # noqa: ANN001
    async with sessions() as session:
        return (
            await session.scalar(select(func.count(Task.id))),
            await session.scalar(select(func.count(Section.id))),
            await session.scalar(select(func.count(StatusUpdate.id))),
        )


@pytest.mark.parametrize("path", [TEXT, DOCX], ids=["pasted-text", "docx"])
async def test_seed_plan_imports_39_tasks_in_7_sections(sessions, clock, path) -> None:  # noqa: ANN001
    summary = await _import(sessions, path, clock)
    assert summary.tasks == 39
    assert [s["numeral"] for s in summary.sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert [s["tasks"] for s in summary.sections] == [8, 7, 8, 3, 4, 2, 7]
    assert [r["number"] for r in summary.needs_review] == ["4"]
    async with sessions() as session:
        org = await find_organization(session, ORG)
        tasks = {t.number: t for t in await list_tasks(session, org)}
        for number, leads in LEADS.items():
            assert [u.name for u in tasks[number].units("lead")] == leads, number
        assert tasks["4"].lead_note == "Các cơ quan chuyên môn liên quan"
        assert tasks["1"].cooperating_note == "Các cơ quan chuyên môn liên quan"
        assert (tasks["1"].deadline_kind, str(tasks["1"].deadline_due)) == ("due", "2026-01-14")
        assert (
            tasks["37"].deadline_kind,
            str(tasks["37"].deadline_start),
            str(tasks["37"].deadline_due),
        ) == ("period", "2026-07-01", "2026-09-30")
        assert tasks["18"].deadline_kind == "continuous"
        assert tasks["24"].deadline_kind == "on_request"
        assert tasks["36"].content.endswith("theo kế hoạch và hướng dẫn của cấp trên.")
    units = set(summary.units)
    assert units == {
        "Phòng Văn hóa - Xã hội",
        "Phòng Kinh tế",
        "Trung tâm Dịch vụ sự nghiệp công",
        "Văn phòng HĐND và UBND",
        "Trung tâm Phục vụ hành chính công",
        "Công an xã",
    }


async def test_importing_twice_changes_nothing_and_formats_agree(sessions, clock) -> None:  # noqa: ANN001
    await _import(sessions, TEXT, clock)
    before = await _counts(sessions)
    again = await _import(sessions, TEXT, clock)
    assert (again.added, again.changed, again.unchanged) == ([], [], 39)
    other_format = await _import(sessions, DOCX, clock)
    assert (other_format.added, other_format.changed, other_format.missing) == ([], [], [])
    assert await _counts(sessions) == before


async def test_changed_file_updates_in_place_and_keeps_history(sessions, clock) -> None:  # noqa: ANN001
    await _import(sessions, TEXT, clock)
    async with sessions() as session, session.begin():
        task = await session.scalar(select(Task).where(Task.number == "6"))
        session.add(
            StatusUpdate(
                task_id=task.id,
                created_at=clock.now(),
                kind="status",
                status="in_progress",
                text="đang làm",
                evidence=[],
            )
        )
    changed = TEXT.read_text(encoding="utf-8").replace(
        "Quý I/2026\tKế hoạch, Báo cáo", "Quý II/2026\tKế hoạch, Báo cáo"
    )
    lines = [line for line in changed.splitlines() if not line.startswith("34\t")]
    summary = await _import(sessions, "\n".join(lines).encode(), clock, filename="ke-hoach.txt")
    assert [c["number"] for c in summary.changed] == ["6"]
    assert "deadline_text" in summary.changed[0]["fields"]
    assert summary.missing == ["34"]
    async with sessions() as session:
        task = await session.scalar(select(Task).where(Task.number == "6"))
        assert str(task.deadline_due) == "2026-06-30"
        kinds = list(
            await session.scalars(select(StatusUpdate.kind).where(StatusUpdate.task_id == task.id))
        )
        assert sorted(kinds) == ["import", "status"]
        gone = await session.scalar(select(Task).where(Task.number == "34"))
        assert gone is not None and gone.withdrawn  # kept with its history, not listed


@pytest.mark.parametrize(
    "data, filename",
    [
        (b"PK\x03\x04garbage", "hong.docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "cu.doc"),
        (b"%PDF-1.7\n...", "ke-hoach.pdf"),
        (
            "STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\n".encode(),
            "rong.txt",
        ),
        (b"", "trong.csv"),
    ],
)
async def test_bad_file_leaves_database_unchanged(sessions, clock, data, filename) -> None:  # noqa: ANN001
    await _import(sessions, TEXT, clock)
    before = await _counts(sessions)
    with pytest.raises(PlanFileError) as error:
        await _import(sessions, data, clock, filename=filename)
    assert error.value.message
    assert await _counts(sessions) == before
