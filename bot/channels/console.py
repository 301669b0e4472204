"""The console channel: the same conversation in a terminal, for the demo and its test.

Lines typed are ``Incoming`` messages from the person you currently are; answers are
printed. Demo-only commands: ``/la TÊN`` switches who you are, ``/tua NGÀY GIỜ``
moves the clock, ``/dinhkem ĐƯỜNG_DẪN [lời]`` sends a file from disk as if attached
(with the words as its caption). Buttons arrive already turned into numbered choices by the router.
Files (the appendix of /baocao) are written to a folder, ``dondoc-tep`` in the current
directory unless told otherwise, and their paths printed.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from handlers.messages import Attachment, Incoming, Outgoing
from handlers.router import Conversation
from scheduler.clock import DEFAULT_TZ, Clock

MAX_ATTACH = 50 * 1024 * 1024  # a larger file goes with its size only


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
        self.files_dir = files_dir

    def say(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)

    def prompt(self) -> str:
        now = self.clock.now(DEFAULT_TZ).strftime("%d/%m/%Y %H:%M")
        return f"[{now}] {self.me.name} › "

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            print(self.prompt(), end="", file=self.stdout, flush=True)
            line = await loop.run_in_executor(None, self.stdin.readline)
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
            if await self._local(line):
                continue
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
                self.say(f"   [tệp {reply.document.filename}: không ghi được ({exc.strerror})]")
            else:
                self.say(f"   [tệp đã ghi: {path}]")

    async def _local(self, line: str) -> bool:
        """Demo-only commands handled here, not by the conversation."""
        word, _, rest = line.partition(" ")
        if word == "/la":
            return self._switch(rest.strip())
        if word == "/tua":
            await self._travel(rest.strip())
            return True
        if word == "/ai":
            self.who()
            return True
        if word == "/dinhkem":
            await self._attach(rest.strip())
            return True
        return False

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
        self.say("Trong demo có những người sau (gõ /la TÊN để đóng vai):")
        for p in self.people.values():
            mark = "  ← đang là" if p is self.me else ""
            self.say(f"  {p.key:<8} {p.name} — {p.about}{mark}")

    def _switch(self, key: str) -> bool:
        wanted = key.lower()
        match = self.people.get(wanted) or next(
            (p for p in self.people.values() if wanted and wanted in p.name.lower()), None
        )
        if match is None:
            self.say(f"Không có ai tên «{key}». Gõ /ai để xem danh sách.")
        else:
            self.me = match
            self.say(f"Bây giờ bạn là {match.name} ({match.about}).")
        return True

    async def _travel(self, text: str) -> None:
        try:
            moment = datetime.fromisoformat(
                text.replace(" ", "T") if len(text) > 10 else text + "T08:00"
            )
        except ValueError:
            self.say("Cách dùng: /tua 2026-03-06 08:00")
            return
        zone = ZoneInfo(DEFAULT_TZ)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
        before = self.clock.now()
        if moment <= before:
            self.say("Chỉ tua tới được, không tua lùi.")
            return
        self.say(f"Đồng hồ chuyển tới {moment.astimezone(zone).strftime('%d/%m/%Y %H:%M')}.")
        if self.on_time_travel is None:
            self.clock.move_to(moment)
            return
        for line in await self.on_time_travel(before, moment):
            self.say(line)
