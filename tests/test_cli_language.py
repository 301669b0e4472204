"""`dondoc parse-deadline` and `parse-status` print in the person's language (issue 26):
``--lang``, else the terminal's locale; ``--json`` keeps its fields whatever the language."""

from __future__ import annotations

import json

import pytest

from bot.cli_readings import terminal_language
from tests.conftest import SAMPLES
from tests.test_cli import ORG, run


@pytest.mark.parametrize(
    ("env", "chosen", "want"),
    [
        ({}, None, "vi"),
        ({"LANG": "en_US.UTF-8"}, None, "en"),
        ({"LANG": "vi_VN.UTF-8"}, None, "vi"),
        ({"LANG": "C.UTF-8"}, None, "vi"),
        ({"LANG": "fr_FR.UTF-8"}, None, "vi"),
        ({"LANGUAGE": "en:vi", "LANG": "vi_VN.UTF-8"}, None, "en"),
        ({"LANG": "en_GB.UTF-8"}, "vi", "vi"),
    ],
)
def test_terminal_language(env: dict[str, str], chosen: str | None, want: str) -> None:
    assert terminal_language(chosen, env) == want


def test_parse_deadline_in_english_and_vietnamese(capsys) -> None:  # noqa: ANN001
    argv = ("parse-deadline", "Tháng 3 và tháng 9/2026", "--today", "2026-05-20")
    _code, out, _ = run(capsys, *argv, "--lang", "en")
    assert out.splitlines() == [
        "Kind: recurring",
        "Start: 1 Sep 2026",
        "Due: 30 Sep 2026",
        "Repeats: in the listed windows",
    ]
    _code, out, _ = run(capsys, *argv, "--lang", "vi")
    assert "Loại: lặp lại" in out and "Hạn: 30/09/2026" in out
    _code, out, _ = run(capsys, *argv, "--lang", "en", "--json")
    assert json.loads(out) == {
        "kind": "recurring",
        "start": "2026-09-01",
        "due": "2026-09-30",
        "every": "list",
    }


def test_unread_deadline_is_explained_in_english(capsys) -> None:  # noqa: ANN001
    _code, out, _ = run(capsys, "parse-deadline", "Đầu quý III/2026", "--lang", "en")
    assert "Kind: not read" in out and "hoặc" not in out and "«" not in out


def test_parse_status_in_english(capsys) -> None:  # noqa: ANN001
    text = "31 hoàn thành, 32 đang thực hiện 20%"
    _code, out, _ = run(capsys, "parse-status", text, "--lang", "en", "--today", "2026-06-15")
    assert "Status: In progress" in out and "Confidence: 0.90" in out
    assert "Task 31: Done" in out and "Task 32: In progress 20%" in out
    _code, out, _ = run(capsys, "parse-status", text, "--lang", "vi", "--today", "2026-06-15")
    assert "Tình trạng: Đang thực hiện" in out and "Độ chắc chắn: 0,90" in out
    _code, out, _ = run(capsys, "parse-status", text, "--lang", "en", "--json")
    assert json.loads(out)["status"] == "in_progress"


SAMPLE_PLAN = str(SAMPLES / "ke-hoach-cchc-2026-mau.txt")


def test_the_commands_people_run_print_english(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """import, plans, tasks, progress, report, invite and migrate --check in English with
    --lang en (or LANG=en_US), Vietnamese by default; only the plan's own words (titles,
    task contents, unit names, deadline cells) stay as written."""
    db = ("--db", f"sqlite+aiosqlite:///{tmp_path / 'en.sqlite3'}")
    org = ("--org", ORG)
    code, out, _ = run(capsys, "import", SAMPLE_PLAN, *org, *db, "--lang", "en")
    assert code == 0 and out.startswith('Imported "') and "39 tasks in 7 sections" in out
    assert "Lead/cooperating units:" in out and "Tasks to review (" in out
    code, out, _ = run(capsys, "import", SAMPLE_PLAN, *org, *db, "--dry-run")
    assert "Sẽ nhập «" in out and "Chạy thử (--dry-run): chưa ghi gì." in out  # the default
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, out, _ = run(capsys, "plans", *org, *db)
    assert code == 0 and "0/39 tasks done" in out
    code, out, _ = run(capsys, "progress", *org, *db, "--as-of", "2026-03-31")
    assert out.startswith("Progress of ") and "as of 31/03/2026" in out and "Done: 0/39" in out
    code, out, _ = run(capsys, "report", *org, *db, "--out", str(tmp_path / "a.docx"))
    assert code == 0 and out.startswith(f"Wrote {tmp_path / 'a.docx'} (") and " bytes)." in out
    code, out, _ = run(capsys, "invite", *org, *db, "--role", "admin")
    assert out.startswith("Invite code: ")
    code, out, _ = run(capsys, "tasks", *org, *db, "--unit", "VH-XH")
    assert "Lead: " in out and "| Deadline: " in out and "Chủ trì" not in out
    code, _out, err = run(capsys, "tasks", "--org", "Xã Không Có", *db)
    assert code == 1 and err.startswith('There is no commune/ward "Xã Không Có"')
    code, out, _ = run(capsys, "migrate", "--check", *db)
    assert out.startswith("No upgrade needed")
