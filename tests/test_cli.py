"""The ``dondoc`` command line: JSON outputs, readable Vietnamese without --json,
config files, and clear errors."""

from __future__ import annotations

import json
import os
import sqlite3
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
    assert code == 0 and len(json.loads(out)["code"]) >= 10  # invite codes are credentials (issue 12)


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
    data = json.loads(out)
    assert {k: data[k] for k in ("status", "percent", "reason", "evidence", "until")} == {
        "status": "done",
        "percent": 100,
        "reason": None,
        "evidence": ["QĐ số 12/QĐ-UBND ngày 09/01/2026"],
        "until": None,
    }
    assert data["tasks"] == [] and data["confidence"] >= 0.75
    _, out, _ = run(capsys, "parse-status", "31 hoàn thành, 32 đang thực hiện 20%", "--json")
    data = json.loads(out)
    assert [(t["number"], t["status"], t["percent"]) for t in data["tasks"]] == [
        ("31", "done", 100),
        ("32", "in_progress", 20),
    ]


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
    from bot.config import Config

    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for name, section in Config.model_fields.items():
        assert f"[{name}]" in text
        for setting in section.annotation.model_fields:
            assert f"\n{setting} =" in text, setting


IMPORT = ["import", str(SAMPLES / "ke-hoach-cchc-2026-mau.txt"), "--org", ORG]


@pytest.mark.parametrize(
    "order",
    [
        "--config C --db D --json CMD",
        "CMD --config C --db D --json",
        "--json CMD --db D --config C",
        "--db D CMD --json --config C",
        "--config C CMD --db D --json",
    ],
)
def test_global_options_go_before_or_after_the_command(capsys, tmp_path, order: str) -> None:  # noqa: ANN001
    """``dondoc --config C import …`` and ``dondoc import FILE --org X --config C`` alike:
    the file is read (its [organization] timezone reaches the imported organization)
    and --db and --json are obeyed wherever they stand."""
    config = tmp_path / "c.toml"
    config.write_text('[organization]\ntimezone = "Asia/Bangkok"\n', encoding="utf-8")
    db = tmp_path / "d.sqlite3"
    argv: list[str] = []
    for word in order.split():
        argv += {"C": [str(config)], "D": [f"sqlite+aiosqlite:///{db}"], "CMD": IMPORT}.get(word, [word])
    code, out, _ = run(capsys, *argv)
    assert code == 0 and json.loads(out)["tasks"] == 39 and db.exists()
    with sqlite3.connect(db) as con:
        assert con.execute("select timezone from organization").fetchall() == [("Asia/Bangkok",)]


def test_db_and_json_after_or_before_give_the_same(capsys, db) -> None:  # noqa: ANN001
    assert run(capsys, *IMPORT, "--db", db)[0] == 0
    after = run(capsys, "tasks", "--org", ORG, "--db", db, "--json")
    before = run(capsys, "--db", db, "--json", "tasks", "--org", ORG)
    assert after == before and after[0] == 0 and len(json.loads(after[1])) == 39
    # Given twice, the one after the command name wins.
    code, _, err = run(capsys, "--db", db, "tasks", "--org", ORG, "--db", "mysql://x/y")
    assert code == 2 and "--db: [database] url" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_run_reads_the_config_either_way(capsys, tmp_path, where: str) -> None:  # noqa: ANN001
    bad = tmp_path / "c.toml"
    bad.write_text('[reminders]\nescalate_after = "ba"\n', encoding="utf-8")
    argv = ["--config", str(bad), "run"] if where == "before" else ["run", "--config", str(bad)]
    code, _, err = run(capsys, *argv)
    assert code == 2 and "[reminders] escalate_after phải là một số nguyên" in err


def test_console_script_reads_options_anywhere(tmp_path) -> None:  # noqa: ANN001
    """The installed ``dondoc`` script, as an operator types it."""
    script = str(Path(sys.executable).parent / "dondoc")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    good = subprocess.run(
        [script, "parse-deadline", "Quý III/2026", "--today", "2026-01-05",
         "--config", str(ROOT / "config.example.toml"), "--json"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert good.returncode == 0 and json.loads(good.stdout)["due"] == "2026-09-30", good.stderr
    bad = tmp_path / "c.toml"
    bad.write_text('[telegram]\nglobal_rate = "nhanh"\n[reminders]\nescalate_after = "ba"\n', encoding="utf-8")
    for argv in (["--config", str(bad), "run"], ["run", "--config", str(bad)]):
        result = subprocess.run([script, *argv], capture_output=True, text=True, check=False, env=env)
        assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [
            "Lỗi cấu hình: c.toml: [telegram] global_rate phải là một số, ví dụ 30 hoặc 1.5, không phải «nhanh»",
            "Lỗi cấu hình: c.toml: [reminders] escalate_after phải là một số nguyên, ví dụ 3, không phải «ba»",
        ]


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dondoc"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "parse-deadline" in result.stdout


def test_cli_roles_are_the_models_roles() -> None:
    from bot.cli import ROLES
    from models.people import ROLES as MODEL_ROLES

    assert ROLES == MODEL_ROLES
