"""The one clock. Every part of dondoc asks this module for the time, never
``datetime.now()`` itself, so that demos (``dondoc run --now``), the ``/tua`` command
of the console demo and the tests can move time.

A ``Clock`` starts at a chosen moment and then runs at normal speed (``offset``), or
is frozen (``frozen=True``) for tests that move it by hand.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def _system_now() -> datetime:
    return datetime.fromtimestamp(_time.time(), tz=UTC)


@dataclass
class Clock:
    """Wall clock with an adjustable offset; optionally frozen."""

    offset: timedelta = field(default_factory=timedelta)
    frozen_at: datetime | None = None

    @classmethod
    def starting_at(cls, moment: datetime, *, frozen: bool = False) -> Clock:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(DEFAULT_TZ))
        if frozen:
            return cls(frozen_at=moment.astimezone(UTC))
        return cls(offset=moment.astimezone(UTC) - _system_now())

    def now(self, tz: tzinfo | str | None = None) -> datetime:
        moment = self.frozen_at if self.frozen_at is not None else _system_now() + self.offset
        if tz is None:
            return moment
        return moment.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)

    def from_wall(self, moment: datetime) -> datetime:
        """A moment read on the real wall clock (a date another machine stamped, such as
        Telegram's on a message) in this clock's time."""
        if self.frozen_at is not None:
            return self.frozen_at - (_system_now() - moment)
        return moment + self.offset

    def today(self, tz: tzinfo | str = DEFAULT_TZ) -> date:
        return self.now(tz).date()

    def move_to(self, moment: datetime) -> None:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(DEFAULT_TZ))
        if self.frozen_at is not None:
            self.frozen_at = moment.astimezone(UTC)
        else:
            self.offset = moment.astimezone(UTC) - _system_now()
