"""The console channel: the same conversation in a terminal, for the demo and its test.

Lines typed are ``Incoming`` messages from the person you currently are; answers are
printed, wrapped at word boundaries to the terminal's width as a phone would. Demo-only
commands: ``/la TÊN`` switches who you are, ``/tua NGÀY GIỜ`` moves the clock, ``/ai``
lists the people. ``/nhap ĐƯỜNG_DẪN`` sends a plan file from disk exactly as an admin
sends it on Telegram: the message "/nhap" with the file attached, so the conversation
decides who may import and reads it the same way (a file over the upload limit arrives
with its size only, as Telegram gives it). ``/dinhkem ĐƯỜNG_DẪN [lời]`` sends a file
from disk as if attached (with the words as its caption). Buttons arrive already turned
into numbered choices by the router. Files (the appendix of /baocao) are written to a
folder, ``dondoc-tep`` in the current directory unless told otherwise, and their
absolute paths printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.channels.console_input import WEEKDAYS, LineReader, parse_jump, plan_attachment
from bot.demo_terminal import children_ignore_interrupts
from handlers.conversation import Conversation
from handlers.messages import Attachment, Incoming, Outgoing
from locales import _
from scheduler.clock import DEFAULT_TZ, Clock

MAX_ATTACH = 50 * 1024 * 1024  # a larger file goes with its size only
LONG_JUMP = timedelta(days=62)  # a jump that takes a while: said before it starts
INDENT = "   "  # the continuation of an answer, under "dondoc: "
# "• ", "- ", "1. ", "12) ", "2 = ": a line whose continuation goes under its text
_MARKER = re.compile(r" *(?:[•+-]|\d{1,3}[.)]|\d{1,2} =) +(?=\S)")


class _PathWrapper(textwrap.TextWrapper):
    """Words are kept whole, except one too long for a line (a file's full path): it
    breaks after a "/" or "-", so its rows keep the indentation instead of being folded
    by the terminal at the screen's edge."""

    def _split(self, text: str) -> list[str]:
        room = self.width - len(self.subsequent_indent)
        out: list[str] = []
        for chunk in super()._split(text):
            out.extend(_PATH_PIECE.findall(chunk) if len(chunk) > room else [chunk])
        return out


_PATH_PIECE = re.compile(r"[^/-]*[/-]|[^/-]+")


@dataclass(frozen=True)
class ConsolePerson:
    key: str
    name: str
    about: str


class ConsoleChannel:
    def __init__(
        self,
        conversation: Conversation,
        clock: Clock,
        people: list[ConsolePerson],
        *,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        on_time_travel: Callable[[datetime, datetime], Awaitable[list[str]]] | None = None,
        after_message: Callable[[], Awaitable[object]] | None = None,
        files_dir: Path | None = None,
        width: int | None = None,
    ) -> None:
        self.conversation = conversation
        self.clock = clock
        self.people = {p.key: p for p in people}
        self.me = people[0]
        self.stdin, self.stdout = stdin, stdout
        self.on_time_travel = on_time_travel
        self.after_message = after_message
        self._counter = 0
        self.quiet = False  # while time jumps, reminders are counted, not printed
        self.muted: dict[str, int] = {}
        self.held: dict[str, Outgoing] = {}  # the last message each person got while muted
        self.files_dir = files_dir
        self.width = width if width is not None else _terminal_width(stdout)
        self.lines = LineReader(stdin)
        # One line at a time: a background tick (bot.demo) waits for the line in hand.
        self.busy = asyncio.Lock()
        self._at_prompt = False  # the prompt is shown and nothing typed has been handled

    def say(self, text: str) -> None:
        print(self.wrap(text), file=self.stdout, flush=True)

    def wrap(self, text: str) -> str:
        """``text`` broken at spaces to the width, as a phone shows it (no width: as is);
        a line's continuation keeps its indentation, a bullet's goes under its text."""
        if not self.width:
            return text
        out = []
        for line in text.split("\n"):
            head = len(INDENT) if line.startswith("dondoc") and ": " in line[:40] else 0
            start = line.index(": ") + 2 if head else 0
            marker = _MARKER.match(line, start)
            if marker:  # a bullet or a numbered line: its continuation goes under its text
                more = " " * (head + marker.end() - start)
            elif head:
                more = INDENT
            else:
                more = line[: len(line) - len(line.lstrip(" "))]
            # An emoji ("❗", "⏳") takes two columns but counts one: without this the
            # terminal breaks the line again and leaves a lone "…" on a row of its own.
            wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in line)
            wrapper = _PathWrapper(
                max(self.width - wide, 20),
                subsequent_indent=more,
                break_long_words=False,
                break_on_hyphens=False,
            )
            out.append(wrapper.fill(line) or line)
        return "\n".join(out)

    def prompt(self) -> str:
        now = self.clock.now(DEFAULT_TZ).strftime("%d/%m/%Y %H:%M")
        return f"[{now}] {self.me.name} › "

    async def run(self) -> None:
        while True:
            print(self.prompt(), end="", file=self.stdout, flush=True)
            self._at_prompt = True
            line = await self.lines.readline()
            self._at_prompt = False
            if not line:
                self.say("")
                return
            line = line.strip()
            if not line:
                continue
            if not self.stdin.isatty():
                self.say(line)  # echo piped input so the transcript reads as a conversation
            if line in ("/thoat", "/exit", "/quit"):
                return
            async with self.busy:
                if not await self._local(line):
                    await self.send(line)

    async def send(self, text: str, attachment: Attachment | None = None) -> list[Outgoing]:
        self._counter += 1
        incoming = Incoming(
            channel="console",
            user_id=self.me.key,
            chat_id=self.me.key,
            display_name=self.me.name,
            text=text,
            message_id=str(self._counter),
            attachment=attachment,
        )
        replies = await self.conversation.handle(incoming)
        for reply in replies:
            self._counter += 1
            await self.conversation.remember_sent(incoming, reply, str(self._counter))
            self.show(reply)
        if self.after_message is not None:  # notices for others (extension requests...)
            await self.after_message()
        return replies

    async def deliver(self, chat_id: str, outgoing: Outgoing) -> str:
        """The reminder dispatcher's sender for this channel: print to whoever it is for."""
        self._counter += 1
        if self.quiet:
            self.muted[chat_id] = self.muted.get(chat_id, 0) + 1
            self.held[chat_id] = outgoing
        elif self._at_prompt:  # it came while nobody typed: under the prompt, then again
            print(file=self.stdout)
            self.show(outgoing, to=chat_id)
            print(self.prompt(), end="", file=self.stdout, flush=True)
        else:
            self.show(outgoing, to=chat_id)
        return str(self._counter)

    def show(self, reply: Outgoing, *, to: str | None = None) -> None:
        target = ""
        to = to or reply.chat_id
        if to and to != self.me.key:
            who = self.people.get(to)
            target = f" → {who.name if who else to}"
        body = reply.text.replace("\n", "\n   ")
        self.say(f"dondoc{target}: {body}")
        if reply.document:
            folder = (self.files_dir or Path("dondoc-tep")).resolve()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / Path(reply.document.filename).name
                path.write_bytes(reply.document.data)
            except OSError as exc:
                self.say(
                    INDENT
                    + _("[tệp {name}: không ghi được ({problem})]").format(
                        name=reply.document.filename, problem=exc.strerror
                    )
                )
            else:
                self.say(INDENT + _("[tệp đã ghi: {path}]").format(path=path))

    async def _local(self, line: str) -> bool:
        """Demo-only commands handled here, not by the conversation."""
        word, _sep, rest = line.partition(" ")
        if word == "/la":
            return self._switch(rest.strip())
        if word == "/tua":
            await self._travel(rest.strip())
            return True
        if word == "/ai":
            self.who()
            return True
        if word == "/nhap":
            await self.import_file(rest)
            return True
        if word == "/dinhkem":
            await self._attach(rest.strip())
            return True
        return False

    async def import_file(self, path: str) -> list[Outgoing]:
        """``/nhap ĐƯỜNG_DẪN``: the file sent with the message "/nhap", as on Telegram."""
        attachment = plan_attachment(path)
        if isinstance(attachment, str):
            self.say(f"dondoc: {attachment}")
            return []
        # Reading may start the worker process: it must not take Ctrl-C (bot.demo_terminal).
        with children_ignore_interrupts():
            return await self.send("/nhap", attachment)

    async def _attach(self, args: str) -> None:
        """``/dinhkem ĐƯỜNG_DẪN [lời]``: the file as if sent from a phone, the words as its
        caption. A file larger than ``MAX_ATTACH`` goes with its size only, as Telegram
        sends one it will not hand over."""
        try:
            words = shlex.split(args)
        except ValueError:
            words = []
        if not words:
            self.say('Cách dùng: /dinhkem ĐƯỜNG_DẪN [lời nhắn], ví dụ: /dinhkem "QĐ 12.pdf" Hoàn thành')
            return
        path = Path(words[0]).expanduser()
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= MAX_ATTACH else b""
        except OSError as exc:
            self.say(f"Không đọc được tệp «{path}»: {exc.strerror}.")
            return
        kind = "photo" if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp") else "document"
        attachment = Attachment(path.name, data, kind, ref=f"console:{path.name}", size=size)
        await self.send(" ".join(words[1:]), attachment)

    def who(self) -> None:
        self.say(_("Trong demo có những người sau (gõ /la TÊN để đóng vai):"))
        for p in self.people.values():
            mark = "  ◀ " + _("đang là") if p is self.me else ""
            self.say(f"  {p.key:<6} {p.name}{mark}\n  {'':<6} {_(p.about)}")

    def _switch(self, key: str) -> bool:
        wanted = key.lower()
        match = self.people.get(wanted) or next(
            (p for p in self.people.values() if wanted and wanted in p.name.lower()), None
        )
        if match is None:
            self.say(_("Không có ai tên «{name}». Gõ /ai để xem danh sách.").format(name=key))
        else:
            self.me = match
            self.say(
                _("Bây giờ anh/chị là {name} — {about}.").format(name=match.name, about=_(match.about))
            )
        return True

    async def _travel(self, text: str) -> None:
        zone = ZoneInfo(DEFAULT_TZ)
        before = self.clock.now()
        moment = parse_jump(text, before.astimezone(zone))
        if moment is None:
            self.say(
                _(
                    "Cách dùng: /tua 06/03/2026 08:00, /tua 2026-03-06, /tua 2 giờ, /tua 3 ngày, /tua 2 tuần hoặc /tua 1 tháng."
                )
            )
            return
        if moment <= before:
            self.say(_("Đồng hồ demo chỉ tua tới, không tua lùi được."))
            return
        self.say(
            _("Đồng hồ chuyển tới {moment}.").format(
                moment=f"{_(WEEKDAYS[moment.weekday()])} {moment.strftime('%d/%m/%Y %H:%M')}"
            )
        )
        if self.on_time_travel is None:
            self.clock.move_to(moment)
            return
        if moment - before > LONG_JUMP:
            self.say(_("Tua xa: dondoc chạy qua từng ngày, xin chờ một lúc (Ctrl-C để thoát)…"))
        for line in await self.on_time_travel(before, moment):
            self.say(line)


def _terminal_width(stream: TextIO) -> int | None:
    """The width to wrap at: the terminal's, when printing to one."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if os.isatty(stream.fileno()):
            return shutil.get_terminal_size().columns
    return None
