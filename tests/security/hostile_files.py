"""Hostile plan files, built on the fly, and a way to measure reading one.

Shared by the tests (small or quick-to-build sizes) and ``bench/bench_hostile_files.py``
(the full sizes of issue 12). :func:`measure` reads a file in a fresh Python process
and reports its wall time and peak resident memory, so one file's memory never hides
behind another's and a runaway read cannot take the test run with it.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DOCX = ROOT / "samples" / "ke-hoach-cchc-2026-mau.docx"
MB = 1024 * 1024

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_of_empty_paragraphs(inflated: int = 190 * MB) -> bytes:
    """The sample .docx with its body replaced by ``inflated`` bytes of ``<w:p/>``
    (about 330 KB compressed for 190 MB): honest sizes, absurd content."""
    out = io.BytesIO()
    with zipfile.ZipFile(SAMPLE_DOCX) as sample, zipfile.ZipFile(out, "w") as target:
        for info in sample.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, sample.read(info))
                continue
            body = zipfile.ZipInfo("word/document.xml", info.date_time)
            body.compress_type = zipfile.ZIP_DEFLATED
            with target.open(body, "w", force_zip64=True) as member:
                member.write(f"<w:document {_W}><w:body>".encode())
                block = b"<w:p/>" * (MB // 6)
                for _ in range(inflated // len(block)):
                    member.write(block)
                member.write(b"</w:body></w:document>")
    return out.getvalue()


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes, and their CRC."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk, parts, crc = bytes(4 * MB), [], 0
    left = size
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        parts.append(packer.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(packer.flush())
    return b"".join(parts), crc


def lying_zip(real: int = 2048 * MB, declared: int = 1000) -> bytes:
    """A .docx-looking zip whose ``word/document.xml`` says it inflates to ``declared``
    bytes (with a matching-looking CRC slot) and really inflates to ``real`` bytes."""
    with zipfile.ZipFile(SAMPLE_DOCX) as sample:
        parts = {i.filename: sample.read(i) for i in sample.infolist()}
    stream, crc = _deflated_zeros(real)
    out = io.BytesIO()
    central = []
    for name, content in parts.items():
        if name == "word/document.xml":
            data, size, method, check = stream, declared, zipfile.ZIP_DEFLATED, crc
        else:
            data, size, method, check = (
                content,
                len(content),
                zipfile.ZIP_STORED,
                zlib.crc32(content),
            )
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                0x21,
                check,
                len(data),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded + data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                check,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            len(central),
            len(central),
            out.tell() - start,
            start,
            0,
        )
    )
    return out.getvalue()


def xlsx_of_rows(rows: int = 1_000_000) -> bytes:
    """A plan header and ``rows`` task rows, written with openpyxl's write-only mode
    (short ASCII texts: 1,000,000 rows make about 17.6 MB, under the 20 MB limit)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kế hoạch")
    sheet.append(["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"])
    for number in range(1, rows + 1):
        sheet.append([number, "Ra soat", "VH-XH", "Quy IV/2026"])  # ASCII: no &#NNNN;
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_of_rows(rows: int = 620_000, pad: int = 0) -> bytes:
    """A csv plan of ``rows`` rows (620,000 short ones make 19.4 MB), each content cell
    padded with ``pad`` characters."""
    lines = ["STT,Nội dung công việc,Cơ quan chủ trì,Thời gian hoàn thành"]
    filler = ("nhiem vu " * (pad // 9 + 1))[:pad]
    lines += [f"{n},Ra soat {filler},VH-XH,Quy IV/2026" for n in range(1, rows + 1)]
    return "\n".join(lines).encode()


def xlsx_of_merges(merges: int = 300_000) -> bytes:
    """A small plan whose sheet declares ``merges`` merged ranges (300,000 make a
    file of about 1.4 MB; issue 25's 34 KB file repeated one range)."""
    plain = xlsx_of_rows(3)
    cells = "".join(f'<mergeCell ref="A{n}:B{n + 1}"/>' for n in range(5, merges + 5))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(
                    b"</sheetData>", f'</sheetData><mergeCells count="{merges}">{cells}</mergeCells>'.encode()
                )
            target.writestr(info.filename, data)
    return out.getvalue()


def csv_of_separators(size: int = 19 * MB) -> bytes:
    """A csv file of nothing but ";" (19 MB: 19 million empty cells on one line)."""
    return b";" * size


def csv_with_a_long_field(length: int = 140_000) -> bytes:
    """A plan with one cell longer than the csv module's field limit (131,072)."""
    lines = ["STT;Nội dung công việc;Cơ quan chủ trì;Thời gian hoàn thành", f"1;{'x' * length};VH-XH;Quý IV/2026"]
    return "\n".join(lines).encode()


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    outcome: str  # "refused" | "read" | "crashed"
    message: str


_CHILD = """
import json, sys, time
from datetime import date
from documents.plan_reader import PlanFileError, read_plan
from handlers.imports.any_file import prepare_any
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    if sys.argv[3] == "import":  # what an import runs: a score sheet first, then a plan
        kind, _read = prepare_any(data, sys.argv[2], None, date(2026, 1, 5))
        outcome, message = "read", kind
    else:
        plan = read_plan(data, sys.argv[2])
        outcome, message = "read", f"{len(plan.tasks)} tasks"
except PlanFileError as error:
    outcome, message = "refused", error.message
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome, "message": message}))
"""


def measure(data: bytes, name: str, *, timeout: float = 60.0, whole_import: bool = False) -> Measured:
    """Read ``data`` with ``read_plan`` (or, ``whole_import``, as an import reads it:
    score sheet first, then plan) in a fresh process: time, peak memory, outcome.
    A child that runs past ``timeout`` or dies counts as "crashed"."""
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as file:
        file.write(data)
        file.flush()
        try:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, file.name, name, "import" if whole_import else "plan"],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired:
            return Measured(timeout, 0.0, "crashed", f"still reading after {timeout:.0f} s")
    if done.returncode != 0:
        return Measured(0.0, 0.0, "crashed", done.stderr.strip()[-500:])
    return Measured(**json.loads(done.stdout.strip().splitlines()[-1]))
