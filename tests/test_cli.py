"""The ``dondoc`` command line: JSON outputs, readable Vietnamese without --json,
config files, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT, SAMPLES

ORG = "Xã Nguyễn Bình Khiêm"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"


def test_import_tasks_invite_json(capsys, db) -> None:  # noqa: ANN001
    code, out, _ = run(
        capsys,
        "import",
        str(SAMPLES / "ke-hoach-cchc-2026-mau.docx"),
        "--org",
        ORG,
        "--db",
        db,
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["tasks"] == 39 and len(data["sections"]) == 7
    assert data["sections"][0] == {
        "numeral": "I",
        "title": "Chỉ đạo điều hành, kiểm tra và tuyên truyền",
        "tasks": 8,
    }
    assert data["needs_review"][0]["number"] == "4"

    code, out, _ = run(capsys, "tasks", "--org", ORG, "--unit", "phòng VH-XH", "--db", db, "--json")
    tasks = json.loads(out)
    assert code == 0 and {t["number"] for t in tasks} >= {"1", "2", "36"}
    first = tasks[0]
    assert set(first) >= {
        "number",
        "section",
        "content",
        "lead_units",
        "cooperating_units",
        "deadline",
        "status",
        "percent",
        "evidence",
    }
    assert first["deadline"] == {
        "text": "Trước ngày 15/01/2026",
        "kind": "due",
        "start": None,
        "due": "2026-01-14",
        "every": None,
    }

    code, out, _ = run(
        capsys,
        "invite",
        "--org",
        ORG,
        "--unit",
        "Phòng Kinh tế",
        "--role",
        "officer",
        "--db",
        db,
        "--json",
    )
    assert code == 0 and len(json.loads(out)["code"]) == 8


def test_readable_output_without_json(capsys, db) -> None:  # noqa: ANN001
    code, out, _ = run(
        capsys, "import", str(SAMPLES / "ke-hoach-cchc-2026-mau.txt"), "--org", ORG, "--db", db
    )
    assert code == 0 and "39 nhiệm vụ trong 7 mục" in out and "Cần xem lại 1 nhiệm vụ" in out
    code, out, _ = run(capsys, "tasks", "--org", ORG, "--db", db)
    assert "Chủ trì: Công an xã" in out and "Thời hạn: Quý IV/2026" in out


def test_parse_deadline_and_status_json(capsys) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "parse-deadline", "Quý III/2026", "--today", "2026-01-05", "--json")
    assert code == 0 and json.loads(out) == {
        "kind": "period",
        "start": "2026-07-01",
        "due": "2026-09-30",
        "every": None,
    }
    _, out, _ = run(
        capsys, "parse-deadline", "Trước ngày 15/01/2026", "--json", "--today", "2026-01-02"
    )
    assert json.loads(out)["due"] == "2026-01-14"
    code, out, _ = run(
        capsys,
        "parse-status",
        "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026",
        "--today",
        "2026-01-12",
        "--json",
    )
    assert json.loads(out) == {
        "status": "done",
        "percent": 100,
        "reason": None,
        "evidence": ["QĐ số 12/QĐ-UBND ngày 09/01/2026"],
        "until": None,
        "confidence": 0.95,
    }


def test_errors_are_clear_and_in_vietnamese(capsys, db, tmp_path) -> None:  # noqa: ANN001
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    code, _, err = run(capsys, "import", str(broken), "--org", ORG, "--db", db)
    assert code == 1 and err.startswith("Không nhập được:")
    code, _, err = run(capsys, "tasks", "--org", "Xã Không Có", "--db", db)
    assert code == 1 and "Không có xã/phường «Xã Không Có»" in err
    code, _, err = run(capsys, "--config", str(tmp_path / "none.toml"), "tasks", "--org", ORG)
    assert code == 2 and "Không tìm thấy tệp cấu hình" in err


def test_config_file_sets_database(capsys, tmp_path) -> None:  # noqa: ANN001
    config = tmp_path / "dondoc.toml"
    url = f"sqlite+aiosqlite:///{tmp_path / 'from-config.sqlite3'}"
    config.write_text(
        f'[database]\nurl = "{url}"\n[reminders]\nsend_time = "07:45"\n', encoding="utf-8"
    )
    code, _, _ = run(
        capsys,
        "--config",
        str(config),
        "import",
        str(SAMPLES / "ke-hoach-cchc-2026-mau.txt"),
        "--org",
        ORG,
    )
    assert code == 0 and (tmp_path / "from-config.sqlite3").exists()


def test_example_config_is_complete() -> None:
    """config.example.toml names every setting the program knows."""
    from dataclasses import fields

    from bot.config import Config, load_config

    loaded = load_config(ROOT / "config.example.toml")
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for section in fields(Config):
        if section.name == "path":
            continue
        assert f"[{section.name}]" in text
        for setting in fields(getattr(loaded, section.name)):
            assert f"\n{setting.name} =" in text, setting.name


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dondoc"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "parse-deadline" in result.stdout
