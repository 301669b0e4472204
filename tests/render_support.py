"""Printing dondoc's files as a compiler does, through LibreOffice (skipped where it or
poppler-utils is missing; ``.ci/run`` installs them): a .docx or .xlsx to PDF, and the
PDF's pages as text and sizes. ``DONDOC_KEEP_RENDER`` names a folder to keep the files
in, to look at."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
KEEP = os.environ.get("DONDOC_KEEP_RENDER")

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils (pdfinfo, pdftotext) are needed; .ci/run installs them",
)


def squeeze(text: str) -> str:
    """``text`` without any white space (cells wrap anywhere)."""
    return re.sub(r"\s+", "", text)


async def to_pdf(path: Path, tmp_path: Path) -> Path:
    """``path`` printed to PDF by LibreOffice (a profile of its own under ``tmp_path``);
    skips the test where LibreOffice Calc is missing for an .xlsx."""
    assert SOFFICE is not None
    out = tmp_path / "pdf" / path.suffix.lstrip(".")
    command = [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out), str(path)]  # fmt: skip
    done = await asyncio.to_thread(subprocess.run, command, capture_output=True, timeout=240)
    pdf = out / f"{path.stem}.pdf"
    if path.suffix == ".xlsx" and b"could not be loaded" in done.stderr:
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    if KEEP:
        shutil.copy(pdf, Path(KEEP) / f"{path.name}.pdf")
        shutil.copy(path, Path(KEEP) / path.name)
    return pdf


def page_texts(pdf: Path) -> list[str]:
    """Every printed page's text, squeezed (an empty page is ``""``)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(info.split("Pages:", 1)[1].split()[0])
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    texts = [squeeze(page) for page in text.split("\f")][:count]
    assert len(texts) == count
    return texts


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]
