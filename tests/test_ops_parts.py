"""The operator's smaller parts: the daily backup's time and retention, the logs (one
line per event, JSON lines, rotation by size, masking on both), ``dondoc status``'s
exit code, and the Makefile's choice of Python."""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path

import pytest

from bot import log_masking
from bot.backup_schedule import DailyBackups, next_run, prune
from bot.config import Config
from bot.config_ops import LoggingConfig
from bot.logs import build_handler
from models.db import make_engine, upgrade
from scheduler.clock import Clock
from tests.conftest import ROOT, TZ

TOKEN = "123456789:AAF" + "x" * 32


def test_next_daily_backup_is_at_the_local_time() -> None:
    zone = "Asia/Ho_Chi_Minh"
    assert next_run(datetime(2026, 3, 2, 1, 0, tzinfo=TZ), time(2, 30), zone) == datetime(2026, 3, 2, 2, 30, tzinfo=TZ)
    assert next_run(datetime(2026, 3, 2, 2, 30, tzinfo=TZ), time(2, 30), zone) == datetime(2026, 3, 3, 2, 30, tzinfo=TZ)


async def test_daily_backups_keep_the_newest(tmp_path) -> None:  # noqa: ANN001
    config = Config()
    config.database.url = f"sqlite+aiosqlite:///{tmp_path / 'd.sqlite3'}"
    config.evidence.folder = str(tmp_path / "evidence")
    config.backup.folder, config.backup.keep = str(tmp_path / "backups"), 2
    engine = make_engine(config.database.url)
    await upgrade(engine)
    await engine.dispose()
    clock = Clock.starting_at(datetime(2026, 3, 2, 2, 30, tzinfo=TZ), frozen=True)
    backups = DailyBackups(config, clock)
    written = []
    for day in (2, 3, 4):
        clock.move_to(datetime(2026, 3, day, 2, 30, tzinfo=TZ))
        written.append(await backups.run_once())
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [p.name for p in written[1:]]
    assert written[0].name == "dondoc-20260302-0230.tar.gz"
    assert prune(tmp_path / "backups", 5) == []


def _logger(settings: LoggingConfig, name: str) -> tuple[logging.Logger, logging.Handler]:
    logger = logging.getLogger(f"test.ops.{name}")
    logger.propagate, logger.handlers = False, []
    handler = build_handler(settings)
    logger.addHandler(handler)
    log_masking.install([TOKEN], logger)
    logger.setLevel(logging.INFO)
    return logger, handler


def _fail_with_token() -> None:
    raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe\nfailed")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_logs_are_one_line_per_event_and_masked(tmp_path, fmt) -> None:  # noqa: ANN001
    file = tmp_path / "dondoc.log"
    logger, handler = _logger(LoggingConfig(format=fmt, file=str(file)), fmt)
    logger.info("bắt đầu với token %s", TOKEN)
    try:
        _fail_with_token()
    except RuntimeError:
        logger.exception("gửi thất bại\ndòng hai")
    handler.close()
    lines = file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2  # the traceback stays on its event's line
    assert TOKEN not in file.read_text(encoding="utf-8")
    if fmt == "json":
        events = [json.loads(line) for line in lines]
        assert events[0]["message"] == "bắt đầu với token ***" and events[0]["level"] == "INFO"
        assert "RuntimeError" in events[1]["exception"] and "***" in events[1]["exception"]
    else:
        assert lines[0].endswith("bắt đầu với token ***")
        assert "gửi thất bại\\ndòng hai" in lines[1] and "RuntimeError" in lines[1]


def test_logs_rotate_by_size(tmp_path) -> None:  # noqa: ANN001
    file = tmp_path / "dondoc.log"
    logger, handler = _logger(LoggingConfig(format="json", file=str(file), max_mb=1, keep=2), "rotate")
    for i in range(12_000):  # about 1.6 MB
        logger.info("sự kiện số %d %s", i, "x" * 60)
    handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["dondoc.log", "dondoc.log.1", "dondoc.log.2"]
    assert all(p.stat().st_size <= 1_048_576 + 200 for p in tmp_path.iterdir())


def test_status_says_unhealthy_with_exit_code_1(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite+aiosqlite:///{tmp_path / 'none.sqlite3'}"
    run = subprocess.run([sys.executable, "-m", "bot.cli", "status", "--json", "--db", url],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["healthy"] is False and "Chưa có cơ sở dữ liệu" in report["problems"][0]
    assert not (tmp_path / "none.sqlite3").exists()  # looking does not create it


def _fake_python(folder: Path, name: str, version: tuple[int, int]) -> None:
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        f"exec {sys.executable} -c 'import sys; sys.exit(0 if {version} >= (3, 11) else 1)'\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_chooses_the_first_python_that_is_new_enough(tmp_path) -> None:  # noqa: ANN001
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "make"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {**os.environ, "PATH": str(bin_dir)}
    env.pop("PY", None)

    def chosen() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["make", "-s", "-C", str(ROOT), "python"], env=env, capture_output=True, text=True, timeout=30)

    _fake_python(bin_dir, "python3", (3, 9))
    none = chosen()
    assert none.returncode != 0
    assert "Python 3.11 trở lên" in none.stdout + none.stderr
    _fake_python(bin_dir, "python3.11", (3, 11))
    _fake_python(bin_dir, "python3.12", (3, 12))
    assert chosen().stdout.strip() == "python3.12"


async def test_probe_asks_each_platform_and_masks_what_failed() -> None:
    from bot.channel_watch import ChannelWatch, probe
    from tests.fakes.telegram_api import FakeTelegram
    from tests.fakes.zalo_api import FakeZalo

    now = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    async with FakeTelegram() as tg, FakeZalo() as zalo:
        config = Config()
        config.telegram.token, config.telegram.base_url = tg.token, tg.base_url
        config.zalo.token, config.zalo.base_url = zalo.token, zalo.base_url
        watch = ChannelWatch(lambda: now, [tg.token, zalo.token])
        assert await probe(config, "telegram", watch) and await probe(config, "zalo", watch)
        assert watch.contact("telegram").last_ok == now == watch.contact("zalo").last_ok
        config.telegram.token = TOKEN  # a token the platform refuses
        watch = ChannelWatch(lambda: now, [TOKEN])
        assert not await probe(config, "telegram", watch)
        assert watch.contact("telegram").last_ok is None
        assert "401" in watch.contact("telegram").last_error and TOKEN not in watch.contact("telegram").last_error
