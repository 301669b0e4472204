"""``dondoc parse-deadline`` and ``dondoc parse-status``: try the readers from a
terminal. Light on purpose (issue 24): ``bot.cli`` runs them without importing the
application (no database, no handlers, no documents), so they start in a fraction of a
second; what they print is in ``bot.cli_readings``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.cli_readings import deadline_lines, status_lines, terminal_language
from language.deadlines import parse_deadline
from language.status_text import understand_status
from language.task_refs import refers_to_all, split_by_task
from locales import language

Emit = Callable[[argparse.Namespace, Any, str], None]  # as bot.cli_common, without SQLAlchemy


async def cmd_parse_deadline(
    args: argparse.Namespace, config: Any, clock: Any, today: date, emit: Emit
) -> int:
    deadline = parse_deadline(args.text, args.year or today.year, today)
    lang = terminal_language(getattr(args, "lang", None))
    with language(lang):  # the text only when printed: --json needs no babel (issue 24)
        emit(args, deadline.to_json(), "" if args.json else deadline_lines(deadline, lang))
    return 0


async def cmd_parse_status(
    args: argparse.Namespace, config: Any, clock: Any, today: date, emit: Emit
) -> int:
    reading = understand_status(args.text, today)
    data = reading.to_json()
    data["confidence"] = reading.confidence
    # The tasks the text names, each read on its own, as the conversation records them.
    data["tasks"] = [
        {"number": part.number, **understand_status(part.text, today).to_json()}
        for part in split_by_task(args.text)
        if part.number is not None
    ]
    data["several_tasks"] = refers_to_all(args.text)
    lang = terminal_language(getattr(args, "lang", None))
    with language(lang):
        emit(args, data, "" if args.json else status_lines(data, reading.confidence, lang))
    return 0


COMMANDS = {"parse-deadline": cmd_parse_deadline, "parse-status": cmd_parse_status}
