"""Light processes (issue 24): how long and how much memory do the operator's quick
commands take, and how much does a running bot hold when idle? (``make bench``; not a
test: ``tests/test_light_imports.py`` counts the modules instead.)

* ``dondoc parse-status "xong"``, ``dondoc parse-deadline "Quý III/2026"`` and ``dondoc
  --help``, each started as a fresh process (the installed ``dondoc`` script) RUNS times
  after one warm-up: median wall time and median peak RSS (``os.wait4``'s ``ru_maxrss``,
  read by a small launcher so that this process's pages do not count), and, for
  information, the CPU time (steadier than wall time on a shared machine). Targets:
  ≤ 0.25 s and ≤ 50 MB.
* ``dondoc run`` on the bench city of ``bench_progress`` (120 organizations, 7,000 tasks,
  150,000 updates; the two people's Telegram chats made numeric for the fake Bot API), a
  real subprocess against ``fake_telegram_process.py``: its start-up planning pass is
  over when its CPU time stays still for ``STILL`` seconds; after ``IDLE`` more seconds
  its ``VmRSS`` is read from ``/proc/PID/status``. Median of IDLE_RUNS starts, each on a
  fresh copy of the database. Target: ≤ 100 MB.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_progress as city  # noqa: E402
from models.db import open_database  # noqa: E402

RUNS = int(os.environ.get("DONDOC_BENCH_RUNS", "9"))  # each CLI command, after a warm-up
IDLE_RUNS = int(os.environ.get("DONDOC_BENCH_IDLE_RUNS", "3"))  # dondoc run starts
STILL = 3.0  # seconds of no CPU: the start-up planning pass is over
IDLE = 5.0  # then this long idle before VmRSS is read
START_LIMIT = 120.0  # a start-up that never settles is reported, not waited for forever
COMMANDS = (
    (("parse-status", "xong"), 'dondoc parse-status "xong"'),
    (("parse-deadline", "Quý III/2026"), 'dondoc parse-deadline "Quý III/2026"'),
    (("--help",), "dondoc --help"),
)
WALL_TARGET, PEAK_TARGET_MB, IDLE_TARGET_MB = 0.25, 50, 100
FAKE = Path(__file__).with_name("fake_telegram_process.py")


def dondoc() -> list[str]:
    """The installed console script, as an operator types it; else the module."""
    script = Path(sys.executable).with_name("dondoc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def number(value: float, decimals: int) -> str:
    return city.format_decimal(
        round(value, decimals), format="#,##0." + "0" * decimals, locale="vi"
    )


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


# A small launcher starts each command and reads its rusage: a child forked from this
# process (SQLAlchemy and the bench city loaded) would count our pages in its peak.
LAUNCHER = """
import json, os, sys, time
out = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=out)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps([wall, usage.ru_maxrss, cpu, os.waitstatus_to_exitcode(status)]))
"""


def one_command(argv: tuple[str, ...]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one fresh process."""
    command = [*dondoc(), *argv]
    if command[0] == sys.executable:
        command[0] = shutil.which(command[0]) or command[0]
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, *command],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall, peak_kb, cpu, code = json.loads(result.stdout)
    assert code == 0, (argv, code)
    return wall, peak_kb / 1024, cpu  # ru_maxrss: kilobytes on Linux


def commands() -> bool:
    print(f"Lệnh nhanh (mỗi lệnh {RUNS} lần sau 1 lần khởi động, trung vị):")
    ok_all = True
    for argv, name in COMMANDS:
        one_command(argv)  # warm-up: the .pyc files are written once
        walls, peaks, cpus = zip(*(one_command(argv) for _ in range(RUNS)), strict=True)
        wall, peak, cpu = (statistics.median(v) for v in (walls, peaks, cpus))
        ok = wall <= WALL_TARGET and peak <= PEAK_TARGET_MB
        ok_all &= ok
        print(
            f"  {name}: {number(wall, 2)} s (mục tiêu ≤ {number(WALL_TARGET, 2)} s) "
            f"{mark(wall <= WALL_TARGET)}, đỉnh bộ nhớ {number(peak, 1)} MB "
            f"(mục tiêu ≤ {PEAK_TARGET_MB} MB) {mark(peak <= PEAK_TARGET_MB)}; CPU {number(cpu, 2)} s"
        )
    return ok_all


async def build_city(path: Path) -> None:
    engine, _ = await open_database(f"sqlite+aiosqlite:///{path}")
    await city.build(engine)
    await engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # the fake Bot API knows numeric chats only
        conn.execute(
            "UPDATE identity SET chat_id = 1000 + person_id, external_id = 1000 + person_id "
            "WHERE channel = 'telegram'"
        )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    finally:
        conn.close()


def proc(pid: int) -> tuple[float, float, float]:
    """(CPU seconds, VmRSS MB, VmHWM MB) of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return cpu, int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def idle_run(folder: Path, built: Path, urls: dict) -> tuple[float, float, float, float]:
    """(idle VmRSS MB, VmHWM MB, seconds until the start-up pass was over, its CPU s)."""
    db = folder / "run.sqlite3"
    for leftover in folder.glob("run.sqlite3*"):
        leftover.unlink()
    shutil.copy(built, db)
    config = folder / "dondoc.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{db}"\n[telegram]\ntoken = "{urls["token"]}"\n'
        f'base_url = "{urls["base_url"]}"\nbase_file_url = "{urls["base_file_url"]}"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    env = {**os.environ, "DONDOC_CONFIG": str(config)}
    process = subprocess.Popen(
        [*dondoc(), "run", "--now", city.NOW.isoformat()],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started = time.monotonic()
    try:
        history: list[tuple[float, float]] = []
        while time.monotonic() - started < START_LIMIT:
            time.sleep(0.5)
            assert process.poll() is None, f"dondoc run stopped: {process.returncode}"
            now, cpu = time.monotonic(), proc(process.pid)[0]
            history.append((now, cpu))
            back = [c for t, c in history if t <= now - STILL]
            if now - started > STILL and back and cpu - back[-1] < 0.05:
                break
        settled, planning_cpu = time.monotonic() - started - STILL, history[-1][1]
        time.sleep(IDLE)
        _, rss, hwm = proc(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return rss, hwm, settled, planning_cpu


def running_bot() -> bool:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        built = folder / "city.sqlite3"
        started = time.perf_counter()
        asyncio.run(build_city(built))
        print(f"Tạo dữ liệu mất {number(time.perf_counter() - started, 1)} s.")
        fake = subprocess.Popen(
            [sys.executable, str(FAKE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            urls = json.loads(fake.stdout.readline())
            runs = [idle_run(folder, built, urls) for _ in range(IDLE_RUNS)]
        finally:
            fake.stdin.close()
            fake.wait(timeout=30)
    rss, hwm, settled, cpu = (statistics.median(values) for values in zip(*runs, strict=True))
    ok = rss <= IDLE_TARGET_MB
    print(
        f"dondoc run khi rảnh ({city.ORGS} xã, {city.vn(city.TASKS)} nhiệm vụ, "
        f"{city.vn(city.UPDATES)} cập nhật; trung vị {IDLE_RUNS} lần chạy): "
        f"{number(rss, 1)} MB (mục tiêu ≤ {IDLE_TARGET_MB} MB) {mark(ok)}"
    )
    print(
        f"  đo VmRSS {number(IDLE, 0)} s sau khi lượt lập lịch lúc khởi động xong (CPU đứng "
        f"yên {number(STILL, 0)} s; xong sau {number(settled, 1)} s, {number(cpu, 1)} s CPU); "
        f"đỉnh lúc khởi động (VmHWM) {number(hwm, 1)} MB"
    )
    return ok


def main() -> int:
    results = [commands(), running_bot()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
