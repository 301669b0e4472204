"""Issue 25, point 10, on the command line: a broken pipe ends quietly, a bad database
URL and a read-only database are one line each (no traceback, no password)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT


def test_a_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'd.db'}"
    sample = ROOT / "samples" / "ke-hoach-cchc-2026-mau.docx"
    assert main(["--db", db, "import", str(sample), "--org", "Xã A"]) == 0
    run = subprocess.run(
        f"{sys.executable} -m bot.cli --db {db} tasks --org 'Xã A' | head -n 1",
        shell=True, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert run.stdout.count("\n") == 1
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr, run.stderr


@pytest.mark.parametrize(
    "url", ["postgresql+asyncpg://dondoc:mat-khau@may chu:5432/dondoc", "postgresql+asyncpg://dondoc:mat-khau@127.0.0.1:1/dondoc"]
)
def test_a_bad_database_is_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", url, "tasks", "--org", "Xã A"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Lỗi cơ sở dữ liệu" in err and "mat-khau" not in err, err


def test_a_read_only_database_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "d.db").touch()  # opened read-only: the migration at start cannot write
    url = f"sqlite+aiosqlite:///file:{tmp_path / 'd.db'}?mode=ro&uri=true"
    assert main(["--db", url, "tasks", "--org", "Xã A"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "chỉ đọc" in err, err
