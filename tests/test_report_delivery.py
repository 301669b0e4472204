"""Every channel gets the appendix: the console demo writes the .docx and .xlsx to a
folder and prints their paths, so a person trying dondoc sees the real files."""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from bot.channels.console import ConsoleChannel, ConsolePerson
from tests.harness import Harness
from tests.test_reports import tell_story


async def test_console_writes_the_files_and_prints_their_paths(
    sessions, clock, tmp_path: Path
) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("trinh", "leader")
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await tell_story(bot)
    out = io.StringIO()
    console = ConsoleChannel(
        bot.conversation, clock, [ConsolePerson("trinh", "Trinh", "")], stdout=out,
        files_dir=tmp_path / "tep",
    )  # fmt: skip
    await console.send("/baocao")
    printed = out.getvalue()
    paths = [Path(p) for p in re.findall(r"\[tệp đã ghi: (.+)\]", printed)]
    assert [p.suffix for p in paths] == [".docx", ".xlsx"]
    assert all(p.parent == (tmp_path / "tep").resolve() for p in paths)
    assert "PHỤ LỤC 01" in [p.text for p in Document(paths[0]).paragraphs]
    assert "Biểu mẫu 1" in load_workbook(paths[1]).sheetnames
    assert "chỉ gửi được qua Telegram" not in printed
