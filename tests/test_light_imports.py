"""Light processes (issue 24): ``dondoc parse-status``, ``parse-deadline`` and
``--help`` import only the readers — not SQLAlchemy, pydantic, the handlers or the
document libraries, nor dateparser, holidays or asyncio until a reply needs them — which
is what keeps them near the parser's own 0.1 s and 30 MB; ``dondoc run`` starts without
the file, migration and web-view libraries. Counted in a fresh interpreter's
``sys.modules``, not timed (``bench/bench_light.py`` times them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = (
    "sqlalchemy", "pydantic", "pydantic_settings", "alembic", "aiosqlite", "asyncpg",
    "telegram", "aiohttp", "openpyxl", "docx", "matplotlib", "numpy", "jinja2",
    "handlers", "models", "documents", "scheduler.planner", "bot.commands_cli", "bot.config",
)  # fmt: skip
# Loaded only by the replies that need them: a free date ("ngày mai") or working days.
LATER = ("dateparser", "holidays", "asyncio")
PROBE = """
import contextlib, io, json, sys
from bot.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""


def loaded(*argv: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [
        ("parse-status", "xong 80%"),
        ("parse-status", "xong 80%", "--json"),
        ("parse-deadline", "Quý III/2026"),
        ("--help",),
        ("parse-status", "--help"),
    ],
)
def test_the_readers_and_help_do_not_import_the_application(argv: tuple[str, ...]) -> None:
    modules = loaded(*argv)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == []
    assert sorted(m for m in modules if m.split(".")[0] in LATER) == []
    if "--json" in argv or "--help" in argv:  # babel formats the printed readings only
        assert sorted(m for m in modules if m.split(".")[0] == "babel") == []
    if argv[0].startswith("parse") and "--help" not in argv:
        assert "language.status_text" in modules or "language.deadlines" in modules


def test_a_free_date_still_reads_and_loads_dateparser_then() -> None:
    """The same reader, when the words need dateparser: imported there, read right."""
    probe = """
import contextlib, io, json, sys
from bot.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print(out.getvalue())
print(json.dumps(sorted(sys.modules)))
"""
    argv = ["parse-status", "xin gia hạn đến ngày mai", "--today", "2026-06-15", "--json"]
    result = subprocess.run(
        [sys.executable, "-c", probe, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    *printed, modules = result.stdout.strip().splitlines()
    reading = json.loads("\n".join(printed))
    assert (reading["status"], reading["until"]) == ("extension", "2026-06-16")
    assert "dateparser" in json.loads(modules)


def test_dondoc_run_starts_without_the_command_table_and_the_web_view() -> None:
    """``dondoc run`` through ``bot.cli.main``, as far as the bot's own start (here it
    stops at once: no token): no openpyxl, python-docx, numpy, Alembic (the backup and
    migrate commands), aiohttp or Jinja2 (the web view, off in this configuration)."""
    probe = """
import contextlib, io, json, os, sys, tempfile
from bot.cli import main
with tempfile.TemporaryDirectory() as folder:
    code = main(["run", "--db", f"sqlite+aiosqlite:///{folder}/d.sqlite3"])
print(code)
print(json.dumps(sorted(sys.modules)))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    code, modules = result.stdout.splitlines()[-2:]
    loaded_now = set(json.loads(modules))
    assert code == "2"  # "Chưa có token": the runner was reached, then stopped
    assert "bot.runner" in loaded_now and "bot.commands_cli" not in loaded_now
    heavy = ("openpyxl", "docx", "numpy", "matplotlib", "PIL", "alembic", "mako", "aiohttp",
             "jinja2", "dateparser")  # fmt: skip
    assert sorted(m for m in loaded_now if m.split(".")[0] in heavy) == []


def test_a_running_bot_loads_the_file_libraries_only_when_a_file_comes() -> None:
    """``dondoc run`` (its modules, and the database brought up to date when it already
    is: the modules loaded before the first upgrade count too) holds no openpyxl, python-docx, numpy, matplotlib or Alembic until used."""
    probe = """
import asyncio, json, sys, tempfile
import bot.runner, bot.wiring
from models.db import make_engine, upgrade
started = sorted(sys.modules)
async def main(url):
    engine = make_engine(url)
    await upgrade(engine)  # a new database: Alembic makes it
    for name in [m for m in sys.modules if m.split(".")[0] == "alembic"]:
        del sys.modules[name]
    await upgrade(engine)  # already at the newest: nothing to load
    await engine.dispose()
with tempfile.TemporaryDirectory() as folder:
    asyncio.run(main(f"sqlite+aiosqlite:///{folder}/d.sqlite3"))
print(json.dumps(started + sorted(sys.modules)))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = set(json.loads(result.stdout.splitlines()[-1]))
    heavy = ("openpyxl", "docx", "numpy", "matplotlib", "PIL", "alembic")
    assert sorted(m for m in modules if m.split(".")[0] in heavy) == []
