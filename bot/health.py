"""Is this dondoc healthy? One report for ``dondoc status`` and ``GET /healthz``: the
database reachable and migrated, each channel's last successful contact, the outbox
(rows by state, the oldest due reminder not sent yet, the dispatcher's heartbeat), the
free space where evidence files are kept, and the version.

``healthy`` is false, with one Vietnamese line per problem, when the database cannot
be reached or is not at the newest schema, a channel has had no successful contact for
``[monitoring] channel_grace`` seconds, the oldest due reminder has waited more than
``outbox_lag_max`` seconds, no dispatcher has shown it is alive for two minutes, a
reminder was lost in the last day (unsendable until no longer useful), or the evidence
folder has less than ``min_free_mb`` free.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channel_watch import ChannelWatch, configured_channels, probe
from bot.config import Config
from locales import _
from models.db import make_engine, session_factory, sqlite_path
from models.outbox_stats import OutboxFigures, outbox_figures
from models.poll_lock import poll_key, poll_lock_held
from models.schema_state import schema_state

DISPATCHER_STALE = timedelta(seconds=120)  # 4 dispatcher runs at the longest interval


def version() -> str:
    try:
        return metadata.version("dondoc")
    except metadata.PackageNotFoundError:
        return "unknown"


def free_megabytes(folder: Path) -> float:
    """Free space of the file system that holds ``folder`` (or its nearest parent)."""
    path = folder.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free / 1_048_576


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def _database(config: Config, engine: AsyncEngine | None, now: datetime,
                    report: dict[str, Any], problems: list[str]) -> OutboxFigures | None:  # fmt: skip
    url = config.database.url
    backend = "sqlite" if url.startswith("sqlite") else "postgresql"
    db: dict[str, Any] = {"backend": backend, "reachable": False}
    report["database"] = db
    path = sqlite_path(url)
    if engine is None and path is not None and not path.exists():
        problems.append(f"Chưa có cơ sở dữ liệu {path}: chạy dondoc migrate hoặc dondoc run")
        return None
    own = engine is None
    engine = engine or make_engine(url)
    try:
        state = await schema_state(engine)
        db["reachable"] = True
        db["schema"] = state.to_json()
        if not state.known:
            problems.append(
                f"Cơ sở dữ liệu ở phiên bản {state.current}, mới hơn bản dondoc này "
                f"({state.head}): hãy dùng dondoc mới hơn"
            )
        elif not state.up_to_date:
            problems.append(
                f"Cơ sở dữ liệu chưa nâng cấp ({state.current or 'trống'} → {state.head}): "
                "chạy dondoc migrate"
            )
            return None
        async with session_factory(engine)() as session:
            return await outbox_figures(session, now)
    except Exception as error:  # noqa: BLE001 - any failure to reach it is the answer
        db["error"] = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        problems.append(f"Không kết nối được cơ sở dữ liệu: {db['error']}")
        return None
    finally:
        if own:
            await engine.dispose()


async def check_health(config: Config, now: datetime, watch: ChannelWatch, *,
                       engine: AsyncEngine | None = None, probe_channels: bool = True) -> dict[str, Any]:  # fmt: skip
    """The health report (JSON-ready); ``engine``: the running process's own."""
    settings = config.monitoring
    problems: list[str] = []
    report: dict[str, Any] = {"version": version(), "checked_at": now.isoformat()}
    figures = await _database(config, engine, now, report, problems)

    channels: dict[str, Any] = {}
    for name in configured_channels(config):
        if probe_channels:
            await probe(config, name, watch)
        contact = watch.contact(name)
        fresh = contact.last_ok is not None and now - contact.last_ok <= timedelta(
            seconds=settings.channel_grace
        )
        channels[name] = {"ok": fresh, **contact.to_json()}
        if not fresh:
            since = f" từ {contact.last_ok:%d/%m/%Y %H:%M:%S} UTC" if contact.last_ok else ""
            problems.append(
                f"Kênh {name} không liên lạc được{since}: {contact.last_error or 'chưa thử'}"
            )
    report["channels"] = channels
    if report["database"]["reachable"] and report["database"]["backend"] == "postgresql":
        await _pollers(config, engine, channels)

    if figures is not None:
        lag = figures.lag_seconds(now)
        report["outbox"] = {
            "by_state": figures.by_state,
            "due_unsent": figures.due_unsent,
            "oldest_due": _iso(figures.oldest_due),
            "lag_seconds": round(lag, 1),
            "last_heartbeat": _iso(figures.last_heartbeat),
            "lost": figures.by_state.get("lost", 0),
            "lost_last_day": figures.lost_recent,
        }
        if figures.lost_recent:  # a loss is never silent
            problems.append(
                f"{figures.lost_recent} tin nhắc bị mất trong 24 giờ qua: không gửi được cho tới "
                "khi hết hạn dùng (quản trị viên đã được báo tên người và nhiệm vụ)"
            )
        if lag > settings.outbox_lag_max:
            problems.append(
                f"{figures.due_unsent} tin nhắc đến hạn chưa gửi, tin cũ nhất đã chờ "
                f"{int(lag // 60)} phút (giới hạn {settings.outbox_lag_max // 60} phút)"
            )
        if figures.last_heartbeat is None or now - figures.last_heartbeat > DISPATCHER_STALE:
            problems.append("Không thấy dondoc run nào đang gửi nhắc (bộ gửi không báo sống)")

    folder = Path(config.evidence.folder)
    free = free_megabytes(folder)
    report["evidence"] = {"folder": str(folder), "free_mb": round(free, 1)}
    if free < settings.min_free_mb:
        problems.append(
            f"Thư mục minh chứng {folder} chỉ còn {free:.0f} MB trống "
            f"(tối thiểu {settings.min_free_mb} MB)"
        )
    report["healthy"] = not problems
    report["problems"] = problems
    return report


async def _pollers(config: Config, engine: AsyncEngine | None, channels: dict[str, Any]) -> None:
    """On PostgreSQL, whether some process polls each polled channel (holds its lock,
    ``bot.poll_turn``): ``polled``. A running process also says its own ``role``."""
    sections = {"telegram": config.telegram, "zalo": config.zalo}
    polled = [name for name in channels if sections[name].mode == "polling"]
    if not polled:
        return
    own = engine is None
    engine = engine or make_engine(config.database.url)
    try:
        async with engine.connect() as connection:
            for name in polled:
                key = poll_key(name, sections[name].token)
                channels[name]["polled"] = await poll_lock_held(connection, key)
    except Exception:  # noqa: BLE001 - the database line already says what is wrong
        return
    finally:
        if own:
            await engine.dispose()


def _receiving(channel: dict[str, Any]) -> str | None:
    """One line on who receives a polled channel's messages, when it is known."""
    role = channel.get("role")
    if role == "poller":
        return _("tiến trình này nhận tin nhắn")
    if role == "standby":
        return _("tiến trình khác nhận tin nhắn, tiến trình này chỉ gửi nhắc việc")
    if "polled" in channel:
        if channel["polled"]:
            return _("có một tiến trình đang nhận tin nhắn")
        return _("chưa tiến trình nào nhận tin nhắn")
    return None


def health_text(report: dict[str, Any]) -> str:
    """The report in a few lines in the person's language, for a person at a terminal."""
    lines = [
        (_("Khỏe: mọi thứ ổn.") if report["healthy"] else _("KHÔNG ỔN:"))
        + f" (dondoc {report['version']}, {report['checked_at']})"
    ]
    lines += [f"  - {problem}" for problem in report["problems"]]
    db = report["database"]
    schema = db.get("schema") or {}
    reached = (
        _("kết nối được, phiên bản {version}").format(version=schema.get("current"))
        if db["reachable"]
        else _("không kết nối được")
    )
    lines.append(_("Cơ sở dữ liệu ({backend}): {state}").format(backend=db["backend"], state=reached))
    for name, channel in report["channels"].items():
        lines.append(
            _("Kênh {name}: liên lạc tốt lần cuối {moment}").format(
                name=name, moment=channel["last_ok"] or "—"
            )
        )
        if receiving := _receiving(channel):
            lines[-1] += f"; {receiving}"
    outbox = report.get("outbox")
    if outbox:
        states = ", ".join(f"{k} {v}" for k, v in sorted(outbox["by_state"].items())) or _("trống")
        lines.append(
            _("Hàng đợi nhắc: {states}; đến hạn chưa gửi {due}").format(
                states=states, due=outbox["due_unsent"]
            )
        )
        lines.append(
            _("Tin nhắc bị mất: {lost} (24 giờ qua: {day})").format(
                lost=outbox["lost"], day=outbox["lost_last_day"]
            )
        )
        lines.append(
            _("Bộ gửi báo sống lần cuối: {moment}").format(moment=outbox["last_heartbeat"] or "—")
        )
    lines.append(
        _("Minh chứng: {folder}, còn trống {free} MB").format(
            folder=report["evidence"]["folder"], free=f"{report['evidence']['free_mb']:.0f}"
        )
    )
    return "\n".join(lines)
