"""How fast is the narrative report draft? (``make bench``; not a test.)

A commune of 60 tasks with a year of status updates (the generator of
``bench_progress``, narrowed to one organization), then the median of repeated runs:

- the draft alone (gathering, content, .docx), for information;
- /baocao baocao nam on Telegram through the real conversation: the draft, the
  appendix with Biểu mẫu 1 and the sheet, target ≤ 2 s.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_progress as data  # noqa: E402
from documents.narrative_content import narrative  # noqa: E402
from documents.narrative_data import gather  # noqa: E402
from documents.narrative_docx import narrative_docx  # noqa: E402
from documents.report_rows import make_period  # noqa: E402
from handlers.context import Services  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402
from handlers.messages import Incoming  # noqa: E402
from models.db import open_database  # noqa: E402
from models.people import Organization  # noqa: E402
from models.plans import Plan  # noqa: E402
from scheduler.clock import Clock  # noqa: E402
from scheduler.workdays import WorkCalendar  # noqa: E402

TASKS = 60
UPDATES = 20 * TASKS  # a report or a note every other week or so


async def main() -> int:
    data.ORGS, data.TASKS, data.UPDATES, data.ONE_ORG_TASKS = 1, TASKS, UPDATES, TASKS
    with tempfile.TemporaryDirectory() as folder:
        engine, sessions = await open_database(f"sqlite+aiosqlite:///{folder}/bench.sqlite3")
        started = time.perf_counter()
        await data.build(engine)
        print(f"Tạo dữ liệu mất {data.vn(round(time.perf_counter() - started, 1))} s.")
        conversation = Conversation(
            Services(sessions=sessions, clock=Clock.starting_at(data.NOW, frozen=True))
        )

        async def draft() -> bytes:
            async with sessions() as session:
                org = await session.get(Organization, 1)
                plan = await session.get(Plan, 1)
                gathered = await gather(
                    session,
                    org,
                    plan,
                    period=make_period("nam", 2026, data.NOW.date()),
                    as_of=data.NOW.date(),
                    deadline_end=WorkCalendar().deadline_end,
                )
            return narrative_docx(narrative(gathered), issued=data.NOW.date())

        incoming = Incoming(
            channel="telegram", user_id="p1", chat_id="p1", text="/baocao baocao nam"
        )

        async def chat() -> object:
            replies = await conversation.handle(incoming)
            assert sum(r.document is not None for r in replies) == 3, [r.text for r in replies]
            return replies

        results = [
            data.line(
                f"dự thảo báo cáo .docx 1 xã ({TASKS} nhiệm vụ)",
                await data.median_ms(draft, 10),
                None,
            ),
            data.line(
                "baocao baocao 1 xã (báo cáo + phụ lục + .xlsx, Telegram)",
                await data.median_ms(chat, 5),
                2000,
            ),
        ]
        await engine.dispose()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
