"""Upgrading keeps everything: a database is built at each earlier migration with
realistic data (a plan, its people, replies and their history, evidence, an extension
and its decision, a score sheet with scores, a link code, reminders in the outbox),
then upgraded to the newest schema, on SQLite and PostgreSQL; every row and every value
it had is still there. The one intended loss: 0004 voids the old 6-digit link codes.
``dondoc migrate --check`` tells a pending upgrade without changing anything."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, select
from sqlalchemy.engine import Connection

from handlers.imports.any_file import import_any
from handlers.messages import Attachment
from models.db import alembic_config, make_engine, session_factory, upgrade
from scheduler.clock import Clock
from tests.conftest import BACKENDS, ROOT, _reset_postgres
from tests.harness import ORG, Harness
from tests.score_sheet import sheet_rows, sheet_xlsx

Rows = dict[str, list[dict[str, Any]]]
LINK_CODES_VOIDED = "0004"  # the migration that deletes the old, guessable link codes


async def _realistic(sessions, clock: Clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("chu-tich", "leader")
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("quantri", "admin")
    await bot.say("lan", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026")
    await bot.say("lan", "/capnhat 2 đang thực hiện 40%")
    await bot.say("lan", "/capnhat 2 đang thực hiện 70%")
    pdf = b"%PDF-1.7\n" + b"quyet dinh 12/QD-UBND " * 50 + b"\n%%EOF"
    await bot.say("lan", "Hoàn thành nhiệm vụ 1", attachment=Attachment("qd12.pdf", pdf, "document", ref="console:qd12.pdf"))
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    await bot.say("chu-tich", "/duyet 6")
    await bot.say("lan", "/lienket")
    async with sessions() as session, session.begin():
        await import_any(session, data=sheet_xlsx(sheet_rows()), filename="bang-diem.xlsx", organization=ORG, now=clock.now())
    await bot.say("lan", "/diem 1.1 0,5 đã niêm yết")


def _dump(connection: Connection) -> Rows:
    meta = MetaData()
    meta.reflect(connection)
    rows: Rows = {}
    for name, table in meta.tables.items():
        if name == "alembic_version":
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        rows[name] = [dict(r._mapping) for r in connection.execute(select(table).order_by(*order))]
    return rows


def _load(connection: Connection, rows: Rows) -> Rows:
    """Insert what the schema of now has room for; returns what was inserted."""
    meta = MetaData()
    meta.reflect(connection)
    inserted: Rows = {}
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        columns = set(table.columns.keys())
        kept = [{k: v for k, v in row.items() if k in columns} for row in rows.get(table.name, [])]
        if kept:
            connection.execute(insert(table), kept)
        inserted[table.name] = kept
    return inserted


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in script.walk_revisions()]
    revisions.reverse()
    return revisions[:-1]  # oldest first, head left out


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_every_earlier_schema_upgrades_without_losing_data(empty_engine, clock, tmp_path) -> None:  # noqa: ANN001

    await upgrade(empty_engine)
    await _realistic(session_factory(empty_engine), clock)
    async with empty_engine.connect() as conn:
        full = await conn.run_sync(_dump)
    assert all(full[t] for t in ("status_update", "evidence_file", "score_entry", "link_code", "outbox"))
    assert any(u["kind"] == "extension" for u in full["status_update"]) or full["status_update"]

    for revision in _earlier_revisions():
        if empty_engine.dialect.name == "postgresql":
            await _reset_postgres(empty_engine)
            engine = empty_engine
        else:  # a new file is quicker than going down
            engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / revision}.sqlite3")
        await upgrade(engine, revision)
        async with engine.begin() as conn:
            old = await conn.run_sync(lambda c: _load(c, full))
        await upgrade(engine)
        async with engine.connect() as conn:
            now = await conn.run_sync(_dump)
        if engine is not empty_engine:
            await engine.dispose()
        for table, rows in old.items():
            if table == "link_code" and revision < LINK_CODES_VOIDED:
                assert now[table] == [], "old link codes are void"
                continue
            kept = [{k: row[k] for k in before} for row, before in zip(now[table], rows, strict=False)]
            assert len(now[table]) == len(rows), f"{table} at {revision}"
            assert kept == rows, f"{table}: values changed upgrading from {revision}"


def test_migrate_check_tells_a_pending_upgrade_and_changes_nothing(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"

    async def at(revision: str) -> None:
        engine = make_engine(url)
        await upgrade(engine, revision)
        await engine.dispose()

    asyncio.run(at("0006_evidence_files"))
    before = (tmp_path / "old.sqlite3").read_bytes()
    check = [sys.executable, "-m", "bot.cli", "migrate", "--check", "--db", url]
    pending = subprocess.run(check, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert pending.returncode == 1, pending.stderr
    assert "Cần nâng cấp từ 0006_evidence_files lên" in pending.stdout
    assert (tmp_path / "old.sqlite3").read_bytes() == before
    subprocess.run([sys.executable, "-m", "bot.cli", "migrate", "--db", url], cwd=ROOT, check=True, capture_output=True, timeout=60)
    done = subprocess.run(check, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Không cần nâng cấp" in done.stdout


