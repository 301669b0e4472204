"""What the channels tell a person who floods, and which messages are heavy work.

Heavy: a file (downloaded, screened, stored or imported) or a command that builds a file
or a chart (``/baocao``, ``/tiendo``, ``/diem``, ``/nhap``); those take a place in the
lanes' small heavy pool (``bot.channels.lanes``)."""

from __future__ import annotations

from language.command_names import parse_command
from locales import _

HEAVY_COMMANDS = frozenset({"baocao", "tiendo", "diem", "nhap"})


def is_heavy(text: str, *, has_file: bool = False) -> bool:
    """Is a message with ``text`` (and a file or not) heavy work?"""
    if has_file:
        return True
    if not text.lstrip().startswith("/"):
        return False
    command = parse_command(text.strip(), HEAVY_COMMANDS)
    return command is not None and command[0] in HEAVY_COMMANDS


def busy_text() -> str:
    return _(
        "dondoc đang xử lý các tin trước của anh/chị; các tin sau sẽ được trả lời lần lượt. Anh/chị vui lòng chờ trong giây lát."
    )


def dropped_text() -> str:
    return _(
        "Anh/chị gửi nhiều tin quá nhanh: dondoc chưa xử lý được các tin vừa gửi thêm. Anh/chị vui lòng chờ các câu trả lời rồi gửi lại những tin còn cần."
    )
