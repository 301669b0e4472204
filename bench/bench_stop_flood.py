"""SIGTERM in the middle of a flood (issue 24's leftover; ``make bench``, or alone:
``python bench/bench_stop_flood.py``).

Black-box: a real ``dondoc run`` on a small commune database, the fake Bot API in a
process of its own with Telegram's limits (30/s overall, 1/s per chat). 60 strangers
send 30 messages each and a viewer 10 ``/baocao``, all at once; ``FLOOD_FOR`` seconds
later, the flood far from answered, the process gets SIGTERM. Printed: how long it
took to exit (PTB's own stop waited for the whole backlog: about 6 minutes on the
province), how many messages were answered by then; then a second ``dondoc run``
answers the rest, and once all is quiet: messages lost (a stranger answered fewer
times than they wrote, reports missing) and repeated (answered more times).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_province_flood as flood_bench  # noqa: E402
from bench.bench_faults import FakeServer, write_config  # noqa: E402
from bench.bench_faults_second import start_run  # noqa: E402
from bench.bench_reminders import AT, seed  # noqa: E402
from models.db import open_database  # noqa: E402

STRANGERS, EACH, REPORTS = 60, 30, 10
FIRST = 800_000
FLOOD_FOR = float(os.environ.get("DONDOC_BENCH_STOP_AFTER", "10"))  # seconds of flood before SIGTERM
STOP_LIMIT = 60.0  # seconds a SIGTERM may take before the bench kills the process
BOUND = 10.0  # the target: exit within about 10 s whatever the backlog
NOTICES = ("đang xử lý", "nhiều tin quá nhanh")
QUIET = AT.replace(hour=21)  # no reminder goes out at 21:00


def answers(server: FakeServer) -> tuple[dict[int, int], int]:
    """(answers per stranger, not counting the "đang xử lý" notices; the viewer's files)."""
    server.command(f"lines {FIRST} {FIRST + STRANGERS - 1}")
    found = server.read()
    per = {
        chat: sum(1 for line in found.get(str(chat), []) if not any(n in line for n in NOTICES))
        for chat in range(FIRST, FIRST + STRANGERS)
    }
    server.command(f"chats {flood_bench.VIEWER} {flood_bench.VIEWER}")
    viewer = server.read().get(str(flood_bench.VIEWER), {"methods": {}})
    return per, viewer["methods"].get("sendDocument", 0)


async def main() -> int:
    vn = flood_bench.vn
    print(f"SIGTERM giữa cơn dồn tin ({STRANGERS} người lạ × {EACH} tin, {REPORTS} /baocao):")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/stop.sqlite3"
        engine, sessions = await open_database(url)
        await seed(sessions, people=50, reminders=50)
        await engine.dispose()
        await flood_bench.add_people(url)
        server = FakeServer()
        config = write_config(folder, server.urls, url)
        log = Path(folder) / "run.log"
        started = time.monotonic()
        process = start_run(config, QUIET, started, log=log)
        bench = flood_bench.Bench(server, process)
        try:
            await bench.leader_wait(limit=600)  # warm: imports, the start-up planning
            server.command(f"say {flood_bench.VIEWER} /baocao nam")
            await bench.settle()
            _, files_before = answers(server)
            server.command(f"flood {FIRST} {STRANGERS} {EACH} xin chào, cho tôi hỏi việc")
            for _ in range(REPORTS):
                server.command(f"say {flood_bench.VIEWER} /baocao nam")
            await asyncio.sleep(FLOOD_FOR)
            code, took = await flood_bench.stop_within(process, STOP_LIMIT)
            per, files = answers(server)
            done_at_stop = sum(per.values()) + (files - files_before) // 2
            process = start_run(config, QUIET, started, log=log)
            bench.process = process
            await bench.leader_wait(limit=600)  # the second run is up
            await bench.settle(quiet=5.0, limit=300)
            per, files = answers(server)
        finally:
            await flood_bench.stop_within(process, STOP_LIMIT)
            server.close()
    total = STRANGERS * EACH + REPORTS
    lost = sum(max(0, EACH - n) for n in per.values())
    repeated = sum(max(0, n - EACH) for n in per.values())
    reports = (files - files_before) // 2  # each /baocao sends two files
    lost += max(0, REPORTS - reports)
    repeated += max(0, reports - REPORTS)
    shown = "quá " + vn(STOP_LIMIT) + " s: kill -9" if took is None else f"{vn(round(took, 1))} s"
    ok = took is not None and took <= BOUND and not lost and not repeated
    print(f"  SIGTERM sau {vn(FLOOD_FOR)} s dồn tin: thoát sau {shown} (mã {code}; mục tiêu ≤ {vn(BOUND)} s),"
          f" đã trả lời {vn(done_at_stop)} / {vn(total)} tin")  # fmt: skip
    print(f"  khởi động lại, trả lời nốt: thất lạc {lost}, lặp {repeated} {'✓' if ok else '✗'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
