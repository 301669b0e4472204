"""The daily backup of a running dondoc (``[backup] enabled``): at ``time`` (local, in
``[organization] timezone``) it writes ``dondoc-YYYYMMDD-HHMM.tar.gz`` into ``folder``
with ``bot.backup``, then keeps the newest ``keep`` archives and removes older ones.
A failed backup is logged and tried again the next day; it never stops the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.backup import make_backup
from bot.config import Config
from scheduler.clock import Clock

log = logging.getLogger(__name__)
PATTERN = "dondoc-*.tar.gz"


def next_run(now: datetime, at: time, zone: str) -> datetime:
    """The next moment at local time ``at`` strictly after ``now``."""
    local = now.astimezone(ZoneInfo(zone))
    moment = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if moment <= local:
        moment += timedelta(days=1)
    return moment


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` archives (by name: they carry their date)."""
    archives = sorted(folder.glob(PATTERN))
    gone = archives[:-keep] if len(archives) > keep else []
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


class DailyBackups:
    def __init__(self, config: Config, clock: Clock) -> None:
        self.config, self.clock = config, clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> Path:
        settings = self.config.backup
        folder = Path(settings.folder)
        now = self.clock.now()
        local = now.astimezone(ZoneInfo(self.config.organization.timezone))
        out = folder / f"dondoc-{local:%Y%m%d-%H%M}.tar.gz"
        await make_backup(self.config, out, now)
        removed = prune(folder, settings.keep)
        log.info("daily backup written to %s (%d older removed)", out, len(removed))
        return out

    async def _loop(self) -> None:
        settings, zone = self.config.backup, self.config.organization.timezone
        while True:
            now = self.clock.now()
            wait = (next_run(now, settings.time, zone) - now).total_seconds()
            await asyncio.sleep(max(wait, 1.0))
            try:
                await self.run_once()
            except Exception:  # noqa: BLE001 - the bot goes on; tomorrow tries again
                log.exception("the daily backup failed")

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
