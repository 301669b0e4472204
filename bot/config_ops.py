"""The operator's settings: ``[monitoring]`` (the /healthz and /metrics server and what
counts as unhealthy), ``[backup]`` (the daily backup and how many are kept) and
``[logging]`` (one line per event, text or JSON lines, a file rotated by size).

They are sections of ``bot.config.Config`` and checked like the others: an unknown key
or a value of the wrong type or range stops dondoc with one Vietnamese line.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):  # `keep = true` is not 1
        raise ValueError("phải là một số")
    return value


def _clock_time(value: Any) -> Any:
    if isinstance(value, time) or (isinstance(value, str) and value.strip()):
        return value
    raise ValueError('phải là giờ dạng "HH:MM", ví dụ "02:30"')


Whole = Annotated[int, BeforeValidator(_not_bool)]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MonitoringConfig(_Section):
    """``GET /healthz`` and ``GET /metrics`` on a small server of dondoc's own."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: Annotated[Whole, Field(ge=0, le=65535)] = 8446
    # A channel is unhealthy after this many seconds without a successful contact.
    channel_grace: Annotated[Whole, Field(ge=5, le=86_400)] = 120
    # The oldest due, unsent reminder may wait this long (seconds) before it is unhealthy.
    outbox_lag_max: Annotated[Whole, Field(ge=60, le=604_800)] = 1800
    # Less free space than this (MB) where the evidence files are kept is unhealthy.
    min_free_mb: Annotated[Whole, Field(ge=0, le=10_000_000)] = 200


class BackupConfig(_Section):
    """A daily backup while ``dondoc run`` runs (``dondoc backup`` by hand any time)."""

    enabled: bool = False
    folder: Annotated[str, Field(min_length=1)] = "var/backups"
    time: ClockTime = time(2, 30)  # local time ([organization] timezone)
    keep: Annotated[Whole, Field(ge=1, le=3650)] = 7  # the newest archives kept


class LoggingConfig(_Section):
    """One line per event on stderr, or in a file rotated by size."""

    format: Literal["text", "json"] = "text"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    file: str = ""  # empty: standard error (journald, docker logs)
    max_mb: Annotated[Whole, Field(ge=1, le=100_000)] = 20
    keep: Annotated[Whole, Field(ge=1, le=1000)] = 5  # rotated files kept beside it
