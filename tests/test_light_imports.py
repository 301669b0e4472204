"""Light processes (issue 24): ``dondoc parse-status``, ``parse-deadline`` and
``--help`` import only the readers — not SQLAlchemy, pydantic, the handlers or the
document libraries — which is what keeps them near the parser's own 0.1 s and 30 MB.
Counted in a fresh interpreter's ``sys.modules``, not timed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = (
    "sqlalchemy", "pydantic", "pydantic_settings", "alembic", "aiosqlite", "asyncpg",
    "telegram", "aiohttp", "openpyxl", "docx", "matplotlib", "numpy", "jinja2",
    "handlers", "models", "documents", "scheduler.planner", "bot.commands_cli", "bot.config",
)  # fmt: skip
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
        ("parse-deadline", "Quý III/2026"),
        ("--help",),
        ("parse-status", "--help"),
    ],
)
def test_the_readers_and_help_do_not_import_the_application(argv: tuple[str, ...]) -> None:
    modules = loaded(*argv)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == []
    if argv[0].startswith("parse") and argv[-1] != "--help":
        assert "language.status_text" in modules or "language.deadlines" in modules


def test_a_running_bot_loads_the_file_libraries_only_when_a_file_comes() -> None:
    """``dondoc run`` (its modules, and the database brought up to date when it already
    is) holds no openpyxl, python-docx, numpy, matplotlib or Alembic until used."""
    probe = """
import asyncio, json, sys, tempfile
import bot.runner, bot.wiring, bot.commands_cli
from models.db import make_engine, upgrade
async def main(url):
    engine = make_engine(url)
    await upgrade(engine)  # a new database: Alembic makes it
    for name in [m for m in sys.modules if m.split(".")[0] == "alembic"]:
        del sys.modules[name]
    await upgrade(engine)  # already at the newest: nothing to load
    await engine.dispose()
with tempfile.TemporaryDirectory() as folder:
    asyncio.run(main(f"sqlite+aiosqlite:///{folder}/d.sqlite3"))
print(json.dumps(sorted(sys.modules)))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = set(json.loads(result.stdout.splitlines()[-1]))
    heavy = ("openpyxl", "docx", "numpy", "matplotlib", "PIL", "alembic")
    assert sorted(m for m in modules if m.split(".")[0] in heavy) == []
