"""``dondoc backup --out FILE``: one archive (.tar.gz) with a consistent copy of the
database (``bot.backup_db``), the evidence files, the config with its secrets removed,
and ``manifest.json``: dondoc's version, the schema revision, each table's row count
and checksum, and each file's size and SHA-256. It may run while ``dondoc run`` sends.
"""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy.engine import make_url

from bot.backup_db import (
    BackupError,
    file_sha256,
    pg_dump_consistent,
    sqlite_copy,
    table_figures,
)
from bot.config import Config
from bot.health import version
from models.db import make_engine, sqlite_path
from models.schema_state import schema_state

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME, PG_NAME = "database.sqlite3", "database.pgdump"
SECRETS = {("telegram", "token"), ("telegram", "webhook_secret"), ("zalo", "token"),
           ("zalo", "webhook_secret"), ("downloads", "secret")}  # fmt: skip


def config_without_secrets(config: Config) -> str:
    """The settings in force (file and environment), as TOML, secrets emptied and the
    database password hidden."""
    data = config.model_dump()
    for section, key in SECRETS:
        if data[section][key]:
            data[section][key] = ""
    data["database"]["url"] = make_url(config.database.url).render_as_string(hide_password=True)
    note = "# dondoc: the settings of this backup; tokens and secrets removed (set them again)\n"
    return note + tomli_w.dumps(data)


def _evidence_files(folder: Path) -> dict[str, dict[str, Any]]:
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found[path.relative_to(folder).as_posix()] = {
            "size": path.stat().st_size,
            "sha256": file_sha256(path),
        }
    return found


async def _database_copy(config: Config, work: Path) -> tuple[Path, dict[str, Any]]:
    url = config.database.url
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise BackupError(f"Không có cơ sở dữ liệu {path} để sao lưu")
        copy = work / SQLITE_NAME
        await asyncio.to_thread(sqlite_copy, path, copy)
        engine = make_engine(f"sqlite+aiosqlite:///{copy}")
        try:
            state = await schema_state(engine)
            async with engine.connect() as conn:
                figures = await table_figures(conn)
        finally:
            await engine.dispose()
        backend = "sqlite"
    else:
        copy = work / PG_NAME
        engine = make_engine(url)
        try:
            state = await schema_state(engine)
            async with engine.connect() as conn:
                figures = await pg_dump_consistent(conn, url, copy)
        finally:
            await engine.dispose()
        backend = "postgresql"
    meta = {
        "backend": backend,
        "file": copy.name,
        "size": copy.stat().st_size,
        "sha256": file_sha256(copy),
        "revision": state.current,
        "tables": figures,
    }
    return copy, meta


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    archive.addfile(info, io.BytesIO(data))


def _write_archive(out: Path, database: Path, manifest: dict[str, Any], evidence: Path,
                   config_text: str) -> None:  # fmt: skip
    part = out.with_name(out.name + ".part")
    with tarfile.open(part, "w:gz") as archive:
        _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        archive.add(database, arcname=database.name)
        _add_bytes(archive, "config.toml", config_text.encode())
        for name in manifest["evidence"]["files"]:
            archive.add(evidence / name, arcname=f"evidence/{name}")
    part.replace(out)


async def make_backup(config: Config, out: Path, now: datetime) -> dict[str, Any]:
    """Write the archive to ``out`` (through ``out.part``, renamed when complete) and
    return its manifest."""
    out = out.resolve()
    if out.is_dir():
        raise BackupError(f"{out} là một thư mục; hãy ghi tên tệp, ví dụ {out}/dondoc.tar.gz")
    out.parent.mkdir(parents=True, exist_ok=True)
    evidence = Path(config.evidence.folder)
    with tempfile.TemporaryDirectory(prefix="dondoc-backup-", dir=out.parent) as work:
        database, db_meta = await _database_copy(config, Path(work))
        files = await asyncio.to_thread(_evidence_files, evidence)
        manifest = {
            "format": FORMAT,
            "dondoc_version": version(),
            "created_at": now.isoformat(),
            "database": db_meta,
            "evidence": {
                "files": files,
                "count": len(files),
                "bytes": sum(f["size"] for f in files.values()),
            },
        }
        await asyncio.to_thread(
            _write_archive, out, database, manifest, evidence, config_without_secrets(config)
        )
    return manifest


def backup_text(out: Path, manifest: dict[str, Any]) -> str:
    db = manifest["database"]
    rows = sum(t["rows"] for t in db["tables"].values())
    return (
        f"Đã sao lưu vào {out}: cơ sở dữ liệu {db['backend']} (phiên bản {db['revision']}, "
        f"{len(db['tables'])} bảng, {rows} dòng), {manifest['evidence']['count']} tệp minh chứng "
        f"({manifest['evidence']['bytes'] / 1_048_576:.1f} MB), cấu hình đã bỏ khóa bí mật."
    )
