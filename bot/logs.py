"""Logs an operator can use (``[logging]``): one line per event — a traceback stays on
its event's line, its line breaks written ``\\n`` — as text or as JSON lines for log
shippers, on standard error or in a file rotated by size (``max_mb``, ``keep``).

The masking of tokens and secrets (``bot.log_masking``) is a filter on the same
handler, so it applies to both formats; the formatters read the record after it.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime
from pathlib import Path

from bot.config_ops import LoggingConfig

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


class OneLineFormatter(logging.Formatter):
    """The usual text line; whatever the message or its traceback spans, one line."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return _one_line(super().format(record))


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the
    exception or stack when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


def build_handler(settings: LoggingConfig) -> logging.Handler:
    """The handler ``settings`` ask for, with its formatter (no filter yet)."""
    handler: logging.Handler
    if settings.file:
        path = Path(settings.file)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path,
            maxBytes=settings.max_mb * 1_048_576,
            backupCount=settings.keep,
            encoding="utf-8",
        )
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter() if settings.format == "json" else OneLineFormatter())
    return handler


def configure(settings: LoggingConfig) -> None:
    """Set up the root logger once (as ``logging.basicConfig``: nothing changes when it
    already has handlers, e.g. under a test runner)."""
    logging.basicConfig(level=getattr(logging, settings.level), handlers=[build_handler(settings)])
