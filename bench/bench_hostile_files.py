"""Hostile plan files at the sizes of issues 12 and 25 (``make bench``; not a test).

Builds each file, then reads it with ``read_plan`` in a fresh process and prints the
wall time and the peak resident memory (VmHWM) of that process, interpreter and imports
included. Target: every file up to the 20 MB upload limit accepted or refused in under
10 s and 300 MB. Also times the same files through the import worker
(documents/worker.py, warm), which adds the trip to the worker process.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from documents.plan_file_error import PlanFileError  # noqa: E402
from documents.plan_reader import MAX_BYTES  # noqa: E402
from documents.worker import run_in_worker  # noqa: E402
from handlers.imports.plans import prepare_plan  # noqa: E402
from tests.security import hostile_files as hostile  # noqa: E402

SECONDS, PEAK_MB = 10.0, 300.0


def big_xlsx() -> bytes:
    """A plan at the row limit with many filled columns: accepted, and how fast."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KH")
    extra = [f"Ghi chú {i}" for i in range(15)]
    sheet.append(["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành", *extra])
    for n in range(1, 5000):
        sheet.append([n, f"Nhiệm vụ số {n} của kế hoạch", "Phòng Văn hóa - Xã hội",
                      "Quý IV/2026", *(f"nội dung {n}-{i}" for i in range(15))])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def files() -> list[tuple[str, str, object]]:
    mb = hostile.MB
    return [
        ("docx, 190 MB of empty paragraphs (honest sizes)", "bom.docx",
         lambda: hostile.docx_of_empty_paragraphs(190 * mb)),
        ("docx, 30 MB of empty paragraphs (under the byte limit)", "bom30.docx",
         lambda: hostile.docx_of_empty_paragraphs(30 * mb)),
        ("docx, 3.4 MB of empty paragraphs (just under the element limit)", "bom3.docx",
         lambda: hostile.docx_of_empty_paragraphs(int(3.4 * mb))),
        ("zip declaring 1,000 bytes, inflating to 2 GB", "lie.docx",
         lambda: hostile.lying_zip(real=2048 * mb, declared=1000)),
        ("xlsx, 1,000,000 rows (openpyxl write_only)", "rows.xlsx",
         lambda: hostile.xlsx_of_rows(1_000_000)),
        ("xlsx, 4,999 tasks x 19 columns (about the largest accepted)", "big.xlsx", big_xlsx),
        ("csv, 620,000 rows", "rows.csv", lambda: hostile.csv_of_rows(620_000)),
        ("csv, 4,989 tasks of 3,780 characters (accepted)", "long.csv",
         lambda: hostile.csv_of_rows(4989, pad=3780)),
        ("the sample plan (.docx, 39 tasks)", "sample.docx", hostile.SAMPLE_DOCX.read_bytes),
        # issue 25: read as an import reads them (score sheet first, then plan)
        ("xlsx, 300,000 merged ranges (import)", "gop.xlsx", lambda: hostile.xlsx_of_merges(300_000)),
        ("csv, 19 MB of separators (import)", "phan-cach.csv",
         lambda: hostile.csv_of_separators(19 * mb)),
        ("csv, a field of 140,000 characters (import)", "o-dai.csv",
         lambda: hostile.csv_with_a_long_field(140_000)),
    ]  # fmt: skip


def main() -> int:
    print("Hostile plan files (fresh process per file; time of read_plan, peak RSS)")
    failures = 0
    today = date(2026, 1, 5)
    asyncio.run(through_worker_at(hostile.SAMPLE_DOCX.read_bytes(), "warm-up.docx", today))
    for label, name, build in files():
        start = time.perf_counter()
        data = build()  # type: ignore[operator]
        built = time.perf_counter() - start
        result = hostile.measure(data, name, timeout=120, whole_import="(import)" in label)
        ok = result.outcome != "crashed" and result.seconds < SECONDS and result.peak_mb < PEAK_MB
        failures += not ok
        worker_s, worker_outcome = asyncio.run(through_worker_at(data, name, today))
        print(
            f"  {'ok ' if ok else 'BAD'} {label}: {len(data) / 1024:,.0f} KB (built in {built:.1f} s)"
            f"{' — over the upload limit' if len(data) > MAX_BYTES else ''}\n"
            f"      {result.outcome} in {result.seconds:.2f} s, peak {result.peak_mb:.0f} MB;"
            f" via the worker {worker_s:.2f} s ({worker_outcome})\n"
            f"      {result.message[:150]}"
        )
    return 1 if failures else 0


async def through_worker_at(data: bytes, name: str, today: date) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        _, _, inputs = await run_in_worker(prepare_plan, data, name, None, today, name=name)
        outcome = f"read, {len(inputs)} tasks"
    except PlanFileError as error:
        outcome = "refused: " + error.message[:60]
    return time.perf_counter() - start, outcome


if __name__ == "__main__":
    sys.exit(main())
