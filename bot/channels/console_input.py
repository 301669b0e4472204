"""What a person types into the console demo, turned into what the channel does: the
lines themselves (:class:`LineReader`), the file behind ``/nhap ĐƯỜNG_DẪN``
(:func:`plan_attachment`) and the moment behind ``/tua`` (:func:`parse_jump`).

Lines are read by a daemon thread, never an executor's thread: a Ctrl-C or the end of
the demo must not wait for a line being typed (bot.demo_terminal).
"""

from __future__ import annotations

import asyncio
import calendar
import codecs
import os
import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from documents.plan_reader import MAX_BYTES, OFFICE_EXTENSIONS, TEXT_EXTENSIONS
from handlers.messages import Attachment
from locales import N_, _


class LineReader:
    """The lines of ``stream``: a daemon thread reads its file descriptor (raw bytes, so
    no lock of ``sys.stdin`` is held at exit) and hands each line to the loop. A stream
    without one (a test's StringIO) is read directly."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._queue: asyncio.Queue[str] | None = None
        try:
            self._fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None

    async def readline(self) -> str:
        """The next line with its newline; "" at the end of the input."""
        if self._fd is None:
            return self.stream.readline()
        if self._queue is None:
            self._queue = asyncio.Queue()
            loop = asyncio.get_running_loop()
            threading.Thread(
                target=self._pump, args=(self._fd, loop, self._queue), daemon=True
            ).start()
        line = await self._queue.get()
        if not line:
            self._queue.put_nowait("")  # the end stays the end
        return line

    @staticmethod
    def _pump(fd: int, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str]) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *lines, pending = pending.split("\n")
            if not chunk:
                lines += [pending] if pending else []
            try:
                for line in lines:
                    loop.call_soon_threadsafe(queue.put_nowait, line + "\n")
                if not chunk:
                    loop.call_soon_threadsafe(queue.put_nowait, "")
            except RuntimeError:  # the loop is closed: the demo has ended
                return
            if not chunk:
                return


def plan_attachment(text: str) -> Attachment | str:
    """The file at the path typed after /nhap, as a channel hands it to the conversation,
    or the Vietnamese line that says why there is none."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    example = _("ví dụ: /nhap samples/ke-hoach-cchc-2026-mau.docx")
    if not text:
        return _(
            "Trong demo, anh/chị gõ /nhap và đường dẫn tệp kế hoạch (.docx, .xlsx, .csv hoặc .txt), {example}"
        ).format(example=example)
    path = Path(text).expanduser()
    try:
        if path.is_dir():
            found = sorted(
                p.name
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in OFFICE_EXTENSIONS | TEXT_EXTENSIONS
            )
            line = _("«{path}» là một thư mục, không phải tệp.").format(path=text)
            if found:
                return line + " " + _("Trong đó có: {files}.").format(files=", ".join(found[:5]))
            return line + " " + _("Trong đó không có tệp .docx, .xlsx, .csv hay .txt nào.")
        if not path.exists():
            return _(
                "Không tìm thấy tệp «{path}». Anh/chị kiểm tra lại đường dẫn ({example})."
            ).format(path=text, example=example)
        size = path.stat().st_size
        if size > MAX_BYTES:  # as Telegram hands a file it did not download: its size only
            return Attachment(path.name, b"", "document", ref=str(path), size=size)
        data = path.read_bytes()
    except PermissionError:
        return _("Không đọc được tệp «{path}»: không có quyền đọc.").format(path=text)
    except OSError as error:
        return _("Không đọc được tệp «{path}»: {problem}.").format(
            path=text, problem=error.strerror or error
        )
    return Attachment(path.name, data, "document", ref=str(path.resolve()))


WEEKDAYS = (N_("thứ Hai"), N_("thứ Ba"), N_("thứ Tư"), N_("thứ Năm"), N_("thứ Sáu"), N_("thứ Bảy"), N_("Chủ nhật"))  # fmt: skip
_UNITS = {"ngay": 1, "ngày": 1, "tuan": 7, "tuần": 7}
_HOURS = {"gio": 60, "giờ": 60, "tieng": 60, "tiếng": 60, "phut": 1, "phút": 1}  # in minutes


def parse_jump(text: str, now: datetime) -> datetime | None:
    """Where ``/tua`` goes: a moment ("06/03/2026 08:00", "6/3", "2026-03-06 08:00"; a
    day alone is 08:00) or a span from now ("3 ngày", "2 tuần", "1 tháng", "2 giờ", "30 phút"); ``now`` is
    local time and so is the answer. None: not understood."""
    words = text.strip().lower().lstrip("+").split()
    if len(words) == 2 and words[0].isdigit() and 0 < int(words[0]) <= 400:
        n, unit = int(words[0]), words[1]
        if unit in _UNITS:
            return now + timedelta(days=n * _UNITS[unit])
        if unit in _HOURS:  # "/tua 2 giờ": to the 08:00 reminders from 07:59 and such
            return now + timedelta(minutes=n * _HOURS[unit])
        if unit in ("thang", "tháng"):
            month = now.month - 1 + n
            year, month = now.year + month // 12, month % 12 + 1
            day = min(now.day, calendar.monthrange(year, month)[1])
            return now.replace(year=year, month=month, day=day)
        return None
    if not words or len(words) > 2:
        return None
    day_text, time_text = words[0], words[1] if len(words) == 2 else "08:00"
    try:
        if "/" in day_text:
            parts = [int(p) for p in day_text.split("/")]
            if len(parts) == 2:
                parts.append(now.year)
            day, month, year = parts
            found = date(year, month, day)
        else:
            found = date.fromisoformat(day_text)
        hour, _sep, minute = time_text.replace("h", ":").partition(":")
        clock_time = time(int(hour), int(minute or 0))
    except ValueError:
        return None
    return datetime.combine(found, clock_time, tzinfo=now.tzinfo)
