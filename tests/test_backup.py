"""Back up while a storm is being sent, restore into a new database: every table's
counts equal the manifest's and the restored bot answers ``/tiendo`` with the same
figures; a non-empty database is refused unless --force; a damaged archive is refused
before anything is touched. On SQLite, and on PostgreSQL with pg_dump."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import tarfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import make_url

from bot.backup import make_backup
from bot.backup_db import BackupError, pg_tool
from bot.config import Config
from bot.restore import restore
from bot.runner import run_bot
from models.db import make_engine, session_factory, upgrade
from models.outbox import OutboxItem, ReplanRequest
from models.schema_state import table_names
from scheduler.clock import Clock
from tests.conftest import BACKENDS, ROOT, TZ
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness, text_of
from tests.storm_seed import AT, OCCURRENCE, seed_storm
from tests.test_runner import config_for

pytestmark = [
    pytest.mark.parametrize("database_url", BACKENDS, indirect=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture(autouse=True)
def _pg_tools(database_url: str) -> None:
    if database_url.startswith("postgresql") and not (pg_tool("pg_dump") and pg_tool("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")


async def _sent(sessions) -> int:  # noqa: ANN001
    async with sessions() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxItem).where(
                OutboxItem.state == "sent", OutboxItem.occurrence == OCCURRENCE
            )
        )


async def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        counts = {}
        names = await table_names(engine)
        async with engine.connect() as conn:
            for name in names:
                counts[name] = await conn.scalar(text(f'SELECT count(*) FROM "{name}"'))
        return counts
    finally:
        await engine.dispose()


async def _fresh_database(database_url: str, tmp_path: Path, name: str) -> str:
    """Another, empty database beside the test's own."""
    if database_url.startswith("sqlite"):
        return f"sqlite+aiosqlite:///{tmp_path / name}.sqlite3"
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            await conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        await admin.dispose()
    return make_url(database_url).set(database=name).render_as_string(hide_password=False)


async def _progress(url: str, clock: Clock) -> str:
    engine = make_engine(url)
    try:
        harness = Harness(session_factory(engine), clock)
        return text_of(await harness.say("chu-tich", "/tiendo"))
    finally:
        await engine.dispose()


async def test_backup_during_a_storm_restores_equal(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    clock = Clock.starting_at(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), frozen=True)
    harness = Harness(sessions, clock)
    await harness.import_sample()
    await harness.register("chu-tich", "leader")
    await harness.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await harness.say("lan", "/capnhat 1 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026")
    await harness.say("lan", "/capnhat 2 đang thực hiện 60%")
    people = 300  # at 10 a second: half a minute of storm, stopped after the backup
    await seed_storm(sessions, people)
    async with sessions() as session, session.begin():  # planned already: the storm goes out at once
        await session.execute(delete(ReplanRequest))
    evidence = tmp_path / "evidence"
    (evidence / "1" / "ab").mkdir(parents=True)
    (evidence / "1" / "ab" / "ab12.pdf").write_bytes(b"%PDF-1.4 quyet dinh 12")
    out = tmp_path / "backup.tar.gz"

    async with FakeTelegram() as tg:
        config = config_for(tg, database_url, global_rate=10.0)
        config.evidence.folder = str(evidence)
        stop = asyncio.Event()
        runner = asyncio.create_task(run_bot(config, Clock.starting_at(AT + timedelta(minutes=1)), stop=stop))
        try:
            for _ in range(300):  # the storm has begun
                if await _sent(sessions) >= 20:
                    break
                await asyncio.sleep(0.05)
            # `dondoc backup` in a process of its own, as an operator runs it
            env = {**os.environ, "DONDOC_EVIDENCE_FOLDER": str(evidence), "DONDOC_TELEGRAM_TOKEN": tg.token}
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "backup", "--out", str(out), "--db", database_url, "--json",
                cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            stdout, stderr = await process.communicate()
            assert process.returncode == 0, stderr.decode()
            during = await _sent(sessions)
        finally:
            stop.set()
            assert await asyncio.wait_for(runner, 30) == 0
    manifest = json.loads(stdout)["manifest"]
    tables = manifest["database"]["tables"]
    in_backup = tables["outbox"]["rows"]
    assert 20 <= during < people, "the backup was taken while the storm was being sent"
    assert in_backup >= people
    with tarfile.open(out) as archive:
        config_text = archive.extractfile("config.toml").read().decode()
    assert tg.token not in config_text and "[telegram]" in config_text

    target = await _fresh_database(database_url, tmp_path, "dondoc_restored")
    restored_evidence = tmp_path / "restored-evidence"
    done = await restore(out, target, restored_evidence)
    assert done["evidence"]["written"] == 1
    assert (restored_evidence / "1" / "ab" / "ab12.pdf").read_bytes() == b"%PDF-1.4 quyet dinh 12"
    counts = await _counts(target)
    assert counts == {name: figures["rows"] for name, figures in tables.items()}
    assert 20 <= len(await _storm_sent(target)) < people  # the copy is of one moment of the storm
    assert await _progress(target, clock) == await _progress(database_url, clock)
    assert "Hoàn thành: 0/39" not in await _progress(target, clock)  # the replies are there


async def _storm_sent(url: str) -> list[int]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return list(await conn.scalars(
                select(OutboxItem.id).where(OutboxItem.state == "sent", OutboxItem.occurrence == OCCURRENCE)
            ))
    finally:
        await engine.dispose()


async def test_restore_refuses_a_database_with_data(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    clock = Clock.starting_at(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), frozen=True)
    harness = Harness(sessions, clock)
    await harness.import_sample()
    config = Config()
    config.database.url = database_url
    config.evidence.folder = str(tmp_path / "evidence")
    out = tmp_path / "b.tar.gz"
    await make_backup(config, out, clock.now())
    other = await _fresh_database(database_url, tmp_path, "dondoc_other")
    engine = make_engine(other)  # a database of its own, with data: a storm org only
    await upgrade(engine)
    await seed_storm(session_factory(engine), 3)
    await engine.dispose()
    before = await _counts(other)
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        await restore(out, other, tmp_path / "ev2")
    assert await _counts(other) == before  # untouched
    # --force replaces it with the backup
    await restore(out, other, tmp_path / "ev2", force=True)
    assert await _progress(other, clock) == await _progress(database_url, clock)


async def test_a_damaged_archive_is_refused_before_anything_changes(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    clock = Clock.starting_at(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), frozen=True)
    await Harness(sessions, clock).import_sample()
    config = Config()
    config.database.url = database_url
    config.evidence.folder = str(tmp_path / "evidence")
    good = tmp_path / "b.tar.gz"
    manifest = await make_backup(config, good, clock.now())
    manifest["database"]["tables"]["task"]["rows"] += 1  # the manifest no longer agrees
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(good) as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    target = await _fresh_database(database_url, tmp_path, "dondoc_damaged")
    with pytest.raises(BackupError, match="không khớp bản kê.*task"):
        await restore(bad, target, tmp_path / "ev")
    if target.startswith("sqlite"):
        assert not Path(make_url(target).database).exists()
