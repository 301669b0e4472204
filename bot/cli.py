"""The ``dondoc`` command line: run the bot, the demo, and the operator's commands
(import a plan, list tasks, make invites, try the deadline and status readers).

The global options ``--config FILE``, ``--db URL`` (default from the config) and
``--json`` go before or after the command name, in any order with the command's own
(``dondoc --config C run`` and ``dondoc import FILE --org X --config C`` alike); without
``--json`` a command prints readable text in the person's language (``--lang vi|en``, else
the terminal's locale, else Vietnamese).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import date, datetime
from typing import Any

from bot import cli_ops_args
from locales import LANGUAGES
from scheduler.clock import DEFAULT_TZ, Clock

LIGHT = ("parse-deadline", "parse-status")  # bot.cli_parse: run without the application
ROLES = ("officer", "leader", "admin", "viewer")  # models.people.ROLES, without SQLAlchemy


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ «{value}» (dạng YYYY-MM-DD)") from exc


def _parse_day(value: str) -> date:
    """A date as people write it (30/3/2026) or as ISO (2026-03-30)."""
    day, _, rest = value.partition("/")
    month, _, year = rest.partition("/")
    try:
        if year:
            return date(int(year), int(month), int(day))
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ «{value}» (dạng 30/3/2026)") from exc


def _parse_moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"thời điểm không hợp lệ «{value}» (dạng 2026-03-06T08:00)"
        ) from exc


def add_global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options every command knows. The top parser sets their defaults; each
    command's parser repeats them without defaults (SUPPRESS), so a value given
    before the command name is not overwritten by the command's parser."""

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--config", default=default(None), help="tệp cấu hình TOML (hoặc biến DONDOC_CONFIG)"
    )
    parser.add_argument(
        "--db", default=default(None), help="địa chỉ cơ sở dữ liệu (mặc định theo cấu hình)"
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="in kết quả dạng JSON"
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default(None),
        help="vi|en: ngôn ngữ in ra (mặc định theo LANG của máy)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dondoc", description="dondoc — đôn đốc nhiệm vụ kế hoạch"
    )
    add_global_options(parser, defaults=True)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        add_global_options(p, defaults=False)
        return p

    p = command("import", "nhập kế hoạch từ tệp .docx/.xlsx/.csv/.txt")
    p.add_argument("file")
    p.add_argument("--org", required=True, help="tên xã/phường")
    p.add_argument("--plan", help="mã, số hoặc tên kế hoạch cần cập nhật")
    p.add_argument("--new-plan", dest="new_plan", action="store_true", help="nhập thành kế hoạch mới")
    p.add_argument("--dry-run", dest="dry_run", action="store_true", help="chỉ in các thay đổi")
    p.add_argument("--year", type=int)
    p.add_argument(
        "--ask", action="store_true", help="hỏi nghĩa các ô thời hạn chưa đọc được (mặc định: khi gõ ở cửa sổ dòng lệnh)"
    )

    p = command("plans", "liệt kê các kế hoạch")
    p.add_argument("--org", required=True)

    p = command("tasks", "liệt kê nhiệm vụ")
    p.add_argument("--org", required=True)
    p.add_argument("--unit")
    p.add_argument("--plan", help="mã hoặc số của kế hoạch")

    p = command("invite", "tạo mã mời")
    p.add_argument("--org", required=True)
    p.add_argument("--unit")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--uses", type=int, default=1)

    p = command("parse-deadline", "đọc thử một thời hạn")
    p.add_argument("text")
    p.add_argument("--year", type=int)
    p.add_argument("--today", type=_parse_date)

    p = command("parse-status", "đọc thử một câu trả lời tình trạng")
    p.add_argument("text")
    p.add_argument("--today", type=_parse_date)

    p = command("progress", "tiến độ theo các nhóm của Biểu mẫu 1")
    p.add_argument("--org", required=True)
    p.add_argument("--plan", help="mã hoặc số của kế hoạch (mặc định: mọi kế hoạch)")
    p.add_argument("--as-of", dest="as_of", type=_parse_date)

    p = command("report", "xuất phụ lục kết quả thực hiện (.docx/.xlsx)")
    p.add_argument("--org", required=True)
    p.add_argument("--plan", help="mã hoặc số của kế hoạch")
    p.add_argument("--format", choices=["docx", "xlsx"], default="docx")
    p.add_argument("--out", help="tệp ghi ra (không cần khi chỉ --check)")
    p.add_argument("--as-of", dest="as_of", type=_parse_date)
    p.add_argument("--period", choices=["quy", "6thang", "nam"], default=None)
    p.add_argument("--so", dest="number", help="số của báo cáo kèm theo (116)")
    p.add_argument("--ngay", dest="dated", type=_parse_day, help="ngày của báo cáo (30/3/2026)")
    p.add_argument("--check", action="store_true", help="chỉ liệt kê các dòng cần xem lại")
    p.add_argument("--phu-luc", dest="appendix", default="01", help="số phụ lục (mặc định 01)")
    p.add_argument(
        "--kind",
        choices=["appendix", "tasks", "narrative", "scores"],
        default="appendix",
        help="appendix: phụ lục; narrative: dự thảo báo cáo (kèm phụ lục, ghi cạnh tệp --out); scores: bảng điểm tự đánh giá",
    )
    p.add_argument(
        "--quyet-dinh", dest="decision", help="số quyết định ban hành kế hoạch (128/QĐ-UBND)"
    )
    p.add_argument(
        "--quyet-dinh-ngay", dest="decision_date", type=_parse_day, help="ngày của quyết định đó"
    )

    p = command("scores", "bảng điểm: tiêu chí, điểm chuẩn, điểm tự đánh giá và kết quả")
    p.add_argument("--org", required=True)
    p.add_argument("--period", choices=["6thang", "nam"], default=None)
    p.add_argument("--year", type=int)

    cli_ops_args.add_assign_parser(command)

    p = command("migrate", "nâng cấp cơ sở dữ liệu lên phiên bản mới nhất")
    p.add_argument("--check", action="store_true", help="chỉ cho biết có cần nâng cấp không")
    cli_ops_args.add_parsers(command)

    p = command("demo", "chạy thử trên cửa sổ dòng lệnh, không cần mạng")
    p.add_argument("--now", type=_parse_moment, help="giờ bắt đầu của đồng hồ demo")

    p = command("run", "chạy bot")
    p.add_argument(
        "--now", type=_parse_moment, help="đặt đồng hồ về thời điểm này rồi chạy bình thường"
    )
    return parser


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        import json  # here: the readers print text more often than JSON (issue 24)

        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    clock = Clock.starting_at(args.now) if getattr(args, "now", None) else Clock()
    today = getattr(args, "today", None) or clock.today(DEFAULT_TZ)
    if args.command in LIGHT:  # the readers alone: no configuration, no database
        from bot.cli_parse import COMMANDS as light

        return _finish(light[args.command](args, None, clock, today, emit)) or 0
    # Imported here, not at the top: --help and the readers stay light (issue 24).
    from bot.config import ConfigError, load_config

    try:
        config = load_config(args.config, database_url=args.db)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"Lỗi cấu hình: {problem}", file=sys.stderr)
        return 2
    from bot.cli_readings import terminal_language
    from locales import language

    # Everything the command prints is in the person's language (--lang, else LANG).
    with language(terminal_language(args.lang)):
        return _run(args, config, clock, today)


def _finish(coroutine: Coroutine[Any, Any, int]) -> int:
    """The result of a command that awaits nothing (the readers), without asyncio's
    event loop: importing asyncio alone costs the readers 50 ms (issue 24)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("a light command awaited something: run it with asyncio.run")


def _handler(command: str) -> Callable[..., Coroutine[Any, Any, int]]:
    """The function of ``command``. ``run`` is taken from its own module: the table of
    every command would bring the backup, migration and file libraries into a running
    bot, which uses none of them until asked (issue 24: a light ``dondoc run``)."""
    if command == "run":
        from bot.runner import run_bot

        async def run(args: argparse.Namespace, config: Any, clock: Clock, *_: Any) -> int:
            return await run_bot(config, clock)

        return run
    from bot import commands_cli

    return commands_cli.COMMANDS[command]


def _run(args: argparse.Namespace, config: Any, clock: Clock, today: date) -> int:
    import asyncio

    from sqlalchemy.exc import SQLAlchemyError

    from bot.cli_common import CliError
    from bot.cli_errors import database_problem, quiet_broken_pipe
    from documents.plan_file_error import PlanFileError
    from locales import _

    try:
        return asyncio.run(_handler(args.command)(args, config, clock, today, emit)) or 0
    except PlanFileError as exc:
        print(_("Không nhập được: {problem}").format(problem=exc.message), file=sys.stderr)
        return 1
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return quiet_broken_pipe()
    except (SQLAlchemyError, OSError) as exc:
        print(database_problem(config.database.url, exc), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
