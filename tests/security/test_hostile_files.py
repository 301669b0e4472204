"""Issue 12, item 2: files that eat memory and time.

Each hostile file is read in a fresh process (``hostile_files.measure``) so its time and
peak memory are its own: any file up to the 20 MB upload limit must be accepted or
refused in under 10 s and 300 MB. The full-size 1,000,000-row workbook is measured by
``bench/bench_hostile_files.py`` (``make bench``); here a smaller one proves the row limit.
"""

from __future__ import annotations

import asyncio
import io

import pytest
from openpyxl import Workbook

from documents.plan_file_error import PlanFileError
from documents.plan_reader import MAX_BYTES, read_plan
from handlers.imports.plans import import_plan_file
from tests.conftest import SAMPLES
from tests.security import hostile_files as hostile

SECONDS, PEAK_MB = 10.0, 300.0
HEADER = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"]


def _refused_quickly(data: bytes, name: str, expected: str) -> None:
    assert len(data) <= MAX_BYTES  # it would reach the reader
    result = hostile.measure(data, name, timeout=30)
    assert result.outcome == "refused", result
    assert expected in result.message
    assert result.seconds < SECONDS and result.peak_mb < PEAK_MB, result


def test_docx_of_190_mb_empty_paragraphs() -> None:
    data = hostile.docx_of_empty_paragraphs(190 * hostile.MB)
    assert len(data) < 400_000  # the 333 KB file of the review
    _refused_quickly(data, "bom.docx", "quá lớn khi giải nén")


def test_docx_under_the_size_limit_with_too_many_elements() -> None:
    data = hostile.docx_of_empty_paragraphs(30 * hostile.MB)  # honest, below 40 MB inflated
    _refused_quickly(data, "bom.docx", "cấu trúc quá lớn")


def test_zip_that_lies_about_its_sizes() -> None:
    data = hostile.lying_zip(real=400 * hostile.MB, declared=1000)
    _refused_quickly(data, "ke-hoach.docx", "bị hỏng")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KH")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _tasks(count: int, width: int = 4) -> list[list[object]]:
    extra = [f"ghi chú {i}" for i in range(width - 4)]
    return [HEADER + [f"Cột {i}" for i in range(width - 4)]] + [
        [n, f"Nhiệm vụ {n}", "Phòng Văn hóa - Xã hội", "Quý IV/2026", *extra]
        for n in range(1, count + 1)
    ]


def test_xlsx_with_more_rows_than_a_plan_is_refused_with_the_limit() -> None:
    data = hostile.xlsx_of_rows(6000)
    _refused_quickly(data, "rows.xlsx", "hơn 5.000 dòng")


def test_csv_of_19_mb_rows_is_refused_before_parsing() -> None:
    _refused_quickly(hostile.csv_of_rows(620_000), "rows.csv", "hơn 5.000 dòng")


def test_xlsx_with_too_many_cells() -> None:
    with pytest.raises(PlanFileError, match="hơn 100.000 ô có nội dung"):
        read_plan(_xlsx(_tasks(4900, width=22)), "o.xlsx")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_too_long_is_named(kind: str) -> None:
    rows = _tasks(3)
    rows[2][1] = "Nhiệm vụ " + "rất dài " * 2500
    if kind == "xlsx":
        data = _xlsx(rows)
    else:
        data = "\n".join(",".join(str(c) for c in row) for row in rows).encode()
    with pytest.raises(PlanFileError, match=r"Ô ở dòng 3, cột 2 .* dài 20\.009 ký tự"):
        read_plan(data, f"dai.{kind}")


@pytest.fixture
def sample_docx() -> bytes:
    return (SAMPLES / "ke-hoach-cchc-2026-mau.docx").read_bytes()


async def _import(sessions, clock, data: bytes, name: str):  # noqa: ANN001, ANN202
    async with sessions() as session, session.begin():
        return await import_plan_file(
            session, data=data, filename=name, organization="Xã Thử", now=clock.now()
        )


async def test_reading_a_file_does_not_stall_the_event_loop(sessions, clock) -> None:  # noqa: ANN001
    slow = hostile.docx_of_empty_paragraphs(2 * hostile.MB)  # ~350,000 empty paragraphs
    ticks = 0
    running = True

    async def other_people() -> None:
        nonlocal ticks
        while running:
            await asyncio.sleep(0.005)
            ticks += 1

    ticker = asyncio.create_task(other_people())
    await asyncio.sleep(0)
    before = ticks
    with pytest.raises(PlanFileError):
        await _import(sessions, clock, slow, "cham.docx")
    running = False
    await ticker
    assert ticks - before >= 5  # the loop went on while the file was read


async def test_a_read_past_the_time_limit_is_stopped_and_the_next_one_works(
    sessions,
    clock,
    sample_docx: bytes,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    from documents import worker

    monkeypatch.setattr(worker, "TIMEOUT", 0.0001)
    with pytest.raises(PlanFileError, match="quá 0,0001 giây nên đã dừng"):
        await _import(sessions, clock, sample_docx, "ke-hoach.docx")
    monkeypatch.setattr(worker, "TIMEOUT", 60.0)
    summary = await _import(sessions, clock, sample_docx, "ke-hoach.docx")
    assert summary.tasks == 39


# --- issue 25, point 7: three files that went past the limits they promise -------------


@pytest.mark.parametrize(
    ("build", "name", "expected"),
    [
        (lambda: hostile.xlsx_of_merges(300_000), "gop.xlsx", "vùng ô gộp"),
        (lambda: hostile.csv_of_separators(19 * hostile.MB), "phan-cach.csv", "dấu phân cách «;»"),
        (lambda: hostile.csv_with_a_long_field(140_000), "o-dai.csv", "quá giới hạn 10.000 ký tự"),
    ],
)
@pytest.mark.parametrize("whole_import", [False, True])
def test_files_past_the_promised_limits_are_refused_early(build, name: str, expected: str, whole_import: bool) -> None:  # noqa: ANN001
    data = build()
    assert len(data) <= MAX_BYTES
    result = hostile.measure(data, name, timeout=30, whole_import=whole_import)
    assert result.outcome == "refused", result
    assert expected in result.message, result
    assert result.seconds < 3 and result.peak_mb < PEAK_MB, result
