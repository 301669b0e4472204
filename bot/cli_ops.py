"""The operator's commands: ``status`` (health; exit 1 when unhealthy), ``backup``,
``restore`` and ``migrate`` (``--check``: says whether an upgrade is pending, exit 1 if
so, without changing anything). ``bot.cli`` adds their arguments with ``add_parsers``
and ``bot.commands_cli`` runs them from ``COMMANDS``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from bot.backup import backup_text, make_backup
from bot.backup_db import BackupError
from bot.channel_watch import ChannelWatch
from bot.config import Config
from bot.health import check_health, health_text
from bot.restore import restore
from locales import _, ngettext
from models.db import make_engine, open_database, sqlite_path
from models.schema_state import schema_state
from scheduler.clock import Clock

Emit = Callable[[argparse.Namespace, Any, str], None]


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


async def cmd_status(args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit) -> int:
    watch = ChannelWatch(clock.now, [config.telegram.token, config.zalo.token])
    report = await check_health(config, clock.now(), watch)
    emit(args, report, health_text(report))
    return 0 if report["healthy"] else 1


async def cmd_backup(args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit) -> int:
    out = Path(args.out)
    try:
        manifest = await make_backup(config, out, clock.now())
    except BackupError as error:
        return _fail(_("Không sao lưu được: {error}").format(error=error))
    emit(args, {"out": str(out.resolve()), "manifest": manifest}, backup_text(out, manifest))
    return 0


async def cmd_restore(args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit) -> int:
    if not args.db:
        return _fail(_("Hãy ghi cơ sở dữ liệu đích: dondoc restore TỆP --db sqlite+aiosqlite:////var/lib/dondoc/dondoc.sqlite3"))
    evidence = Path(args.evidence or config.evidence.folder)
    try:
        done = await restore(Path(args.file), config.database.url, evidence, force=args.force)
    except BackupError as error:
        return _fail(_("Không khôi phục được: {error}").format(error=error))
    db = done["database"]
    emit(
        args,
        done,
        _(
            "Đã khôi phục {tables} bảng, {rows} dòng (đúng số dòng và tổng kiểm), đã nâng cấp lên "
            "phiên bản mới nhất; {files} tệp minh chứng trong {folder} (ghi mới {written})."
        ).format(
            tables=db["tables"], rows=db["rows"], files=done["evidence"]["files"],
            folder=done["evidence"]["folder"], written=done["evidence"]["written"],
        ),  # fmt: skip
    )
    return 0


async def cmd_migrate(args: argparse.Namespace, config: Config, clock: Clock, today: date, emit: Emit) -> int:
    url = config.database.url
    if not getattr(args, "check", False):
        engine, _sessions = await open_database(url)
        await engine.dispose()
        emit(args, {"ok": True}, _("Cơ sở dữ liệu đã ở phiên bản mới nhất."))
        return 0
    path = sqlite_path(url)
    if path is not None and not path.exists():  # connecting would create it
        emit(args, {"current": None, "pending": True, "exists": False},
             _("Chưa có cơ sở dữ liệu {path}: dondoc migrate (hoặc dondoc run) sẽ tạo nó.").format(path=path))  # fmt: skip
        return 1
    engine = make_engine(url)
    try:
        state = await schema_state(engine)
    except Exception as error:  # noqa: BLE001 - unreachable is the answer
        return _fail(
            _("Không kết nối được cơ sở dữ liệu: {error}").format(error=f"{type(error).__name__}: {error}")
        )
    finally:
        await engine.dispose()
    data = state.to_json()
    if not state.known:
        emit(args, data, _("Cơ sở dữ liệu ở phiên bản {current}, mới hơn bản dondoc này ({head}).").format(
            current=state.current, head=state.head))  # fmt: skip
        return 1
    if state.up_to_date:
        emit(args, data, _("Không cần nâng cấp: cơ sở dữ liệu đã ở phiên bản mới nhất ({head}).").format(
            head=state.head))  # fmt: skip
        return 0
    emit(args, data, ngettext(
        "Cần nâng cấp từ {current} lên {head}: {n} bước ({steps}). Chạy: dondoc migrate",
        "Cần nâng cấp từ {current} lên {head}: {n} bước ({steps}). Chạy: dondoc migrate",
        len(state.pending),
    ).format(current=state.current or _("trống"), head=state.head, n=len(state.pending),
             steps=", ".join(state.pending)))  # fmt: skip
    return 1


COMMANDS: dict[str, Callable[..., Awaitable[int]]] = {
    "status": cmd_status,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate": cmd_migrate,
}
