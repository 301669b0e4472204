"""``dondoc restore FILE --db URL``: put a backup (``bot.backup``) into a database.

It refuses a database that already holds data unless ``--force``, and a SQLite file a
running dondoc holds. Every file of the archive is checked against the manifest before
anything is touched; the restored database must then show the manifest's row counts
and checksums for every table (SQLite: checked on a copy before it replaces the file),
and is finally migrated to this dondoc's newest schema. Evidence files go into the
evidence folder, each checked by its SHA-256.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import text

from bot.backup import MANIFEST, PG_NAME, SQLITE_NAME
from bot.backup_db import BackupError, file_sha256, pg_restore_into, table_figures
from models.db import DatabaseInUse, SingleRunner, make_engine, sqlite_path, upgrade
from models.schema_state import table_names


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        assert member is not None
        return json.loads(member.read())
    except (KeyError, AssertionError, ValueError) as exc:
        raise BackupError("Tệp này không phải bản sao lưu của dondoc (thiếu manifest.json)") from exc


def _extract(archive: tarfile.TarFile, name: str, target: Path, expected: str) -> None:
    """One member to ``target``, refused unless its SHA-256 is the manifest's."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"Bản sao lưu có đường dẫn không hợp lệ «{name}»")
    try:
        member = archive.extractfile(name)
    except KeyError as exc:
        raise BackupError(f"Bản sao lưu thiếu tệp {name}") from exc
    if member is None:
        raise BackupError(f"Bản sao lưu có {name} không phải tệp")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for block in iter(lambda: member.read(1 << 20), b""):
            out.write(block)
    if file_sha256(target) != expected:
        target.unlink()
        raise BackupError(f"Tệp {name} trong bản sao lưu bị hỏng (sai SHA-256)")


async def _rows_present(url: str) -> int:
    """Rows in the database's tables (not counting Alembic's own); 0 for none."""
    engine = make_engine(url)
    try:
        total = 0
        names = await table_names(engine)
        async with engine.connect() as conn:
            for name in names:
                if name != "alembic_version":
                    total += await conn.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0
        return total
    finally:
        await engine.dispose()


def _compare(expected: dict[str, Any], found: dict[str, Any]) -> None:
    wrong = [
        name
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]
    if wrong:
        raise BackupError(
            "Dữ liệu khôi phục không khớp bản kê (số dòng hoặc tổng kiểm) ở bảng: " + ", ".join(wrong)
        )


async def _figures(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await table_figures(conn)
    finally:
        await engine.dispose()


async def _restore_sqlite(archive: tarfile.TarFile, db: dict[str, Any], target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=".dondoc-restore-", dir=target.parent) as work:
        copy = Path(work) / SQLITE_NAME
        _extract(archive, SQLITE_NAME, copy, db["sha256"])
        _compare(db["tables"], await _figures(f"sqlite+aiosqlite:///{copy}"))
        for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            stale.unlink(missing_ok=True)  # an old write-ahead log would be replayed over it
        os.replace(copy, target)


async def _restore_postgres(archive: tarfile.TarFile, db: dict[str, Any], url: str) -> None:
    with tempfile.TemporaryDirectory(prefix="dondoc-restore-") as work:
        dump = Path(work) / PG_NAME
        _extract(archive, PG_NAME, dump, db["sha256"])
        engine = make_engine(url)
        try:
            async with engine.begin() as conn:  # empty it (checked, or --force)
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()
        await pg_restore_into(url, dump)
    _compare(db["tables"], await _figures(url))


async def restore(source: Path, url: str, evidence: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``source`` into ``url`` and ``evidence``; returns what was done."""
    try:
        archive = tarfile.open(source, "r:*")
    except FileNotFoundError as exc:
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}") from exc
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"Không đọc được {source}: không phải bản sao lưu của dondoc") from exc
    with archive:
        manifest = _read_manifest(archive)
        db = manifest["database"]
        backend = "sqlite" if url.startswith("sqlite") else "postgresql"
        if db["backend"] != backend:
            raise BackupError(
                f"Bản sao lưu này của {db['backend']}, chỉ khôi phục được vào {db['backend']} "
                f"(địa chỉ đích là {backend})"
            )
        path = sqlite_path(url)
        # The lock is taken on the file itself (it would create it): a SQLite file that
        # does not exist yet has nobody running on it, and stays absent if refused.
        guard = SingleRunner(url) if path is None or path.exists() else None
        try:
            if guard is not None:
                guard.acquire()
        except DatabaseInUse as refused:
            raise BackupError(f"{refused} Hãy dừng nó trước khi khôi phục.") from None
        try:
            present = 0 if path is not None and not path.exists() else await _rows_present(url)
            if present and not force:
                raise BackupError(
                    f"Cơ sở dữ liệu đích đã có dữ liệu ({present} dòng); không ghi đè. "
                    "Chọn một cơ sở dữ liệu trống, hoặc thêm --force để thay toàn bộ bằng bản sao lưu"
                )
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                await _restore_sqlite(archive, db, path)
            else:
                await _restore_postgres(archive, db, url)
            engine = make_engine(url)
            try:
                await upgrade(engine)
            finally:
                await engine.dispose()
        finally:
            if guard is not None:
                guard.release()
        files = manifest["evidence"]["files"]
        written = 0
        for name, meta in files.items():
            target = evidence / name
            if target.exists() and file_sha256(target) == meta["sha256"]:
                continue
            _extract(archive, f"evidence/{name}", target, meta["sha256"])
            written += 1
    return {
        "database": {"backend": backend, "revision": db["revision"],
                     "tables": len(db["tables"]),
                     "rows": sum(t["rows"] for t in db["tables"].values())},
        "evidence": {"files": len(files), "written": written, "folder": str(evidence)},
        "replaced": bool(present),
    }  # fmt: skip
