"""A leader's ``/viec`` while a province floods (issue 24, point 6; ``make bench`` through
``bench_province``, or alone: ``python bench/bench_province_flood.py``, honouring
``DONDOC_BENCH_SCALE``; ``DONDOC_BENCH_FLOOD_URL`` reuses a database already built).

Black-box, as the issue measured it: a real ``dondoc run`` subprocess on the province
database (``bench_province.build``), the real Telegram channel, and the fake Bot API in a
process of its own with Telegram's limits (30 messages/s overall, 1/s per chat, 429
beyond). The clock is set to 21:00, in the quiet hours, so that no reminder competes.

Each round: 60 unregistered strangers send 30 messages each and a viewer sends 10
``/baocao`` (files), all queued at once; a second later, in the middle of the flood, a
registered leader sends ``/viec``. Measured: the time from the leader's update being
offered by ``getUpdates`` to the bot's first message to the leader reaching the server
(both on the fake server's clock). Five rounds start 30 s apart, the earlier floods still
being answered (Telegram's 30/s drains one round's 1,860 answers in a minute): the later
rounds are the harsher. Then, once every stranger heard something: what the strangers
and the viewer got (each must hear something: an answer, or "đang xử lý"), and the
429s. A quiet baseline (the same ``/viec``, nothing else) gives the ratio. The process
gets SIGTERM at the end, the time it took to exit is printed (the messages not handled
stay kept for the next start; ``bench_stop_flood`` counts them answered after a
restart), and ``kill -9`` after 20 s (said when it happens).

``flood(url)`` is what ``bench_province.main`` calls, on a database ``bench_province.build``
made (planned or not: a never planned organization is marked planned, see
``skip_first_planning``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_province as province  # noqa: E402
from bench.bench_faults import FakeServer, write_config  # noqa: E402
from bench.bench_faults_second import start_run  # noqa: E402

ROUNDS = int(os.environ.get("DONDOC_BENCH_FLOOD_ROUNDS", "5"))
STRANGERS, EACH, REPORTS = 60, 30, 10
ROUND_GAP = 30.0  # seconds between two rounds' starts (a viewer's 10 reports take 30 s at 1/s)
TARGET = 2.0  # seconds the leader may wait
STOP_WAIT = 20.0  # seconds a SIGTERM may take before the bench kills the process
LEADER, VIEWER = 900_001, 900_002  # Telegram ids added to the province's people
FIRST_STRANGER = 800_000  # round r: FIRST_STRANGER + 100 r …
QUIET = datetime(2026, 12, 21, 21, 0, tzinfo=province.city.TZ)  # no reminder at 21:00
vn = province.vn


async def add_people(url: str) -> None:
    """A leader of the first commune and a viewer of it, with Telegram ids (once)."""
    from sqlalchemy import select

    from models.db import open_database
    from models.people import Identity, Membership, Person

    engine, sessions = await open_database(url)
    made = province.city.NOW.astimezone(UTC) - timedelta(days=300)
    async with sessions() as session, session.begin():
        for tg_id, name, role in (
            (LEADER, "Chủ tịch xã", "leader"),
            (VIEWER, "Văn phòng", "viewer"),
        ):
            found = await session.scalar(
                select(Identity).where(
                    Identity.channel == "telegram", Identity.external_id == str(tg_id)
                )
            )
            if found is not None:
                continue
            person = Person(display_name=name, language="vi", created_at=made)
            session.add(person)
            await session.flush()
            session.add(
                Identity(
                    person_id=person.id,
                    channel="telegram",
                    external_id=str(tg_id),
                    chat_id=str(tg_id),
                )
            )
            session.add(Membership(person_id=person.id, organization_id=1, unit_id=None, role=role))
    await engine.dispose()


async def skip_first_planning(url: str, config: Path) -> int:
    """Mark the organizations never planned as planned with ``dondoc run``'s settings:
    the first planning pass of a fresh province (minutes of CPU here; ``bench_province``
    measures it) is a one-time event, not the steady state this bench measures, and at
    21:00 nothing would be sent. Organizations already planned keep their reminders and
    are only told the settings match. Returns how many were never planned."""
    from sqlalchemy import update

    from bot.config import load_config
    from bot.wiring import calendar_from, planning_from
    from models.db import open_database
    from models.people import Organization
    from scheduler.plan_due import fingerprint

    settings = load_config(config)
    planned_with = fingerprint(planning_from(settings), calendar_from(settings))
    engine, sessions = await open_database(url)
    async with sessions() as session, session.begin():
        fresh = await session.execute(
            update(Organization).where(Organization.plan_due_at.is_(None))
            .values(plan_due_at=QUIET + timedelta(days=1), planned_with=planned_with)
        )  # fmt: skip
        await session.execute(update(Organization).values(planned_with=planned_with))
    await engine.dispose()
    return fresh.rowcount


class Bench:
    """The fake server, the ``dondoc run`` process, and the asking."""

    def __init__(self, server: FakeServer, process) -> None:  # noqa: ANN001
        self.server, self.process = server, process

    def ask(self, command: str) -> object:
        self.server.command(command)
        return self.server.read()

    async def leader_wait(self, limit: float = 180.0) -> float:
        """Mark the leader's ``/viec``; wait for the answer; its wait in seconds."""
        before = len(self.ask("marks"))
        self.server.command(f"mark {LEADER} /viec")
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            marks = self.ask("marks")
            if len(marks) > before and marks[-1]["answered"] is not None:
                return marks[-1]["answered"] - marks[-1]["offered"]
            await asyncio.sleep(0.05)
        return float("inf")

    async def settle(self, quiet: float = 2.0, limit: float = 90.0) -> bool:
        """Until nothing was sent for ``quiet`` s and the process uses little CPU (at
        most ``limit`` s); whether it did settle."""
        deadline = time.monotonic() + limit
        last, since, cpu = -1, time.monotonic(), process_cpu(self.process.pid)
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            sent = self.ask("count")["sent"]
            now_cpu = process_cpu(self.process.pid)
            busy = now_cpu - cpu > 0.1  # more than 20 % of a core over the half second
            cpu = now_cpu
            if sent != last or busy:
                last, since = sent, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return True
        return False


async def stop_within(process: subprocess.Popen, limit: float) -> tuple[int, float | None]:
    """SIGTERM; SIGKILL after ``limit`` s. (exit code, seconds the stop took or None)."""
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    while process.poll() is None and time.monotonic() - began < limit:
        await asyncio.sleep(0.1)
    if process.poll() is None:
        process.kill()
        return process.wait(), None
    return process.returncode, time.monotonic() - began


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_round(bench: Bench, first: int) -> float:
    half = EACH // 2
    bench.server.command(f"flood {first} {STRANGERS} {half} xin chào, cho tôi hỏi việc")
    for _ in range(REPORTS // 2):
        bench.server.command(f"say {VIEWER} /baocao nam")
    await asyncio.sleep(1.0)  # the bot is busy with the flood
    wait = bench.leader_wait()
    task = asyncio.ensure_future(wait)
    await asyncio.sleep(0)
    bench.server.command(f"flood {first} {STRANGERS} {EACH - half} xin chào, cho tôi hỏi việc")
    for _ in range(REPORTS - REPORTS // 2):
        bench.server.command(f"say {VIEWER} /baocao nam")
    return await task


def heard(found: dict, chat: int) -> tuple[int, bool]:
    """(messages the chat got, whether one said to wait)."""
    seen = found.get(str(chat), {"methods": {}, "texts": []})
    waiting = any("đang xử lý" in t or "nhiều tin quá nhanh" in t for t in seen["texts"])
    return sum(seen["methods"].values()), waiting


async def flood(url: str, rounds: int = ROUNDS) -> dict:
    """Run the rounds against the database at ``url``; prints and returns the figures."""
    await add_people(url)
    server = FakeServer()
    with tempfile.TemporaryDirectory() as folder:
        config = write_config(folder, server.urls, url)
        if fresh := await skip_first_planning(url, config):
            print(
                f"  ({fresh} xã chưa lập lịch nhắc lần nào: bỏ qua lần lập đầu tiên, bench_province đo nó)"
            )
        started = time.monotonic()
        process = start_run(config, QUIET, started, log=Path(folder) / "run.log")
        bench = Bench(server, process)
        try:
            # Warm up (imports, caches, the start-up planning pass), then let it settle.
            await bench.leader_wait(limit=600)
            server.command(f"say {VIEWER} /baocao nam")
            settled = await bench.settle()
            ready = time.monotonic() - started
            if not settled:
                print(
                    f"  (dondoc run còn bận sau {vn(round(ready))} s: đo trong lúc nó vẫn làm việc khởi động)"
                )
            quiet = []
            for _ in range(rounds):  # a second apart: the leader's chat is paced at one a second
                await asyncio.sleep(1.2)
                quiet.append(await bench.leader_wait())
            flooded = []
            before_429 = bench.ask("count")["requests_429"]
            viewer_before = heard(bench.ask(f"chats {VIEWER} {VIEWER}"), VIEWER)[0]
            flood_started = time.monotonic()
            for r in range(rounds):  # a round every ROUND_GAP s, the earlier floods still answered
                began = time.monotonic()
                flooded.append(await one_round(bench, FIRST_STRANGER + 100 * r))
                await asyncio.sleep(max(0.0, began + ROUND_GAP - time.monotonic()))
            strangers = [
                FIRST_STRANGER + 100 * r + s for r in range(rounds) for s in range(STRANGERS)
            ]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:  # until every stranger heard something
                found = bench.ask(f"chats {FIRST_STRANGER} {strangers[-1]}")
                if all(heard(found, chat)[0] for chat in strangers):
                    break
                await asyncio.sleep(1)
            counts = [heard(found, chat) for chat in strangers]
            took = time.monotonic() - flood_started
            too_many = bench.ask("count")["requests_429"] - before_429
            viewer = bench.ask(f"chats {VIEWER} {VIEWER}")
        finally:
            code, stopping = await stop_within(process, STOP_WAIT)
            server.close()
            log = (
                (Path(folder) / "run.log")
                .read_text(encoding="utf-8", errors="replace")
                .splitlines()
            )
            if os.environ.get("DONDOC_BENCH_FLOOD_LOG"):  # keep the process's log to read
                Path(os.environ["DONDOC_BENCH_FLOOD_LOG"]).write_text(
                    "\n".join(log), encoding="utf-8"
                )
    if stopping is None:
        print(
            f"  dondoc run chưa dừng sau SIGTERM {vn(STOP_WAIT)} s (còn trả lời dở cơn dồn tin): đã kill -9"
        )
    elif code not in (0, -15):
        print(f"  dondoc run thoát mã {code}: " + " | ".join(log[-5:]))
    if stopping is not None:
        print(f"  SIGTERM ở cuối (cơn dồn tin có thể còn dở): thoát sau {vn(round(stopping, 1))} s")
    failed = sum(1 for row in log if "failed" in row)
    if failed:
        print(f"  nhật ký của dondoc run: {failed} dòng báo một tin xử lý hoặc gửi lỗi")
    figures = report(quiet, flooded, counts, viewer, viewer_before, too_many, rounds, took)
    figures["ready"] = ready
    return figures


def report(quiet, flooded, counts, viewer, viewer_before, too_many, rounds, took) -> dict:  # noqa: ANN001
    q_med, f_med, f_max = statistics.median(quiet), statistics.median(flooded), max(flooded)
    ok = f_max <= TARGET
    print(
        f"  /viec của lãnh đạo khi yên: trung vị {vn(round(q_med * 1000))} ms, lâu nhất {vn(round(max(quiet) * 1000))} ms ({rounds} lần)"
    )
    print(f"  /viec của lãnh đạo giữa cơn dồn tin ({STRANGERS} người lạ × {EACH} tin, {REPORTS} /baocao mỗi vòng,"
          f" {rounds} vòng cách nhau {vn(ROUND_GAP)} s): trung vị {vn(round(f_med, 2))} s, lâu nhất {vn(round(f_max, 2))} s"
          f" (mục tiêu ≤ {vn(TARGET)} s) {'✓' if ok else '✗'}; gấp {vn(round(f_med / q_med, 1))} lần lúc yên")  # fmt: skip
    got = [n for n, _ in counts]
    told = sum(w for _, w in counts)
    silent = sum(1 for n in got if n == 0)
    print(f"  người lạ: {vn(len(got))} người, sau {vn(round(took))} s mỗi người đã nhận {min(got)}–{max(got)} tin"
          f" (tổng {vn(sum(got))} / {vn(len(got) * (EACH + 1))} gồm lời báo đang xử lý), {told} người được báo đang xử lý,"
          f" {silent} người chưa nhận được gì {'✓' if not silent else '✗'}")  # fmt: skip
    seen = viewer.get(str(VIEWER), {"methods": {}, "texts": []})
    waited = any("đang xử lý" in t for t in seen["texts"])
    print(f"  người xem: {sum(seen['methods'].values()) - viewer_before} tin cho {rounds * REPORTS} /baocao"
          f" (mỗi /baocao 3 tin: lời và 2 tệp; được báo đang xử lý: {'có' if waited else 'không'}); 429: {too_many}"
          f" {'✓' if not too_many else '✗'}")  # fmt: skip
    return {"quiet": quiet, "flooded": flooded, "ok": ok, "429": too_many, "silent": silent}


async def main() -> int:
    print(
        f"Lãnh đạo chờ giữa cơn dồn tin, tỉnh {province.ORGS} xã (DONDOC_BENCH_SCALE={province.SCALE}):"
    )
    url = os.environ.get("DONDOC_BENCH_FLOOD_URL")
    with tempfile.TemporaryDirectory() as folder:
        if not url:
            url = f"sqlite+aiosqlite:///{folder}/province.sqlite3"
            engine, _ = await province.build(url)
            await engine.dispose()
        began = time.perf_counter()
        figures = await flood(url)
    print(
        f"  (dondoc run sẵn sàng sau {vn(round(figures['ready'], 1))} s; đo mất {vn(round(time.perf_counter() - began))} s)"
    )
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
