"""Benchmark: build the container image (``Dockerfile``) and run it, with the first
container runtime that works here (podman, then docker). For ``make bench``, not a test.

Each step says what happened, and when a step cannot run on this machine (no runtime,
a runtime that cannot start containers, a base image that cannot be fetched) the
output says so plainly: nothing is reported as built or run that was not.
Run: .venv/bin/python bench/bench_container.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "localhost/dondoc:bench"
PORT = 18446


def sh(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)


def last_line(run: subprocess.CompletedProcess[str]) -> str:
    lines = (run.stderr or run.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {run.returncode}"


def runtime() -> str | None:
    for name in ("podman", "docker"):
        if shutil.which(name) is None:
            print(f"{name}: not installed")
            continue
        info = sh(name, "info", timeout=60)
        if info.returncode == 0:
            return name
        print(f"{name}: installed but not usable here: {last_line(info)}")
    return None


def main() -> int:
    tool = runtime()
    if tool is None:
        print("RESULT: no container runtime can run on this machine; the image was NOT built or run")
        return 0
    started = time.monotonic()
    build = sh(tool, "build", "-t", TAG, str(ROOT))
    if build.returncode != 0:
        print(f"{tool} build failed after {time.monotonic() - started:.0f} s: {last_line(build)}")
        print("RESULT: the image was NOT built here (see the line above: a base image that "
              "cannot be fetched means this machine has no access to its registry)")
        return 0
    print(f"{tool} build: {time.monotonic() - started:.0f} s")
    size = sh(tool, "image", "inspect", TAG, "--format", "{{.Size}}")
    print(f"image size: {int(size.stdout.strip() or 0) / 1e6:.0f} MB")
    name = f"dondoc-bench-{int(time.time())}"
    run = sh(tool, "run", "-d", "--name", name, "-p", f"127.0.0.1:{PORT}:8446",
             "-e", "DONDOC_TELEGRAM_TOKEN=123:BENCH", "-e", "DONDOC_TELEGRAM_BASE_URL=http://127.0.0.1:9/bot",
             TAG)  # fmt: skip
    if run.returncode != 0:
        print(f"RESULT: built, but the container could NOT start here: {last_line(run)}")
        return 0
    try:
        status = sh(tool, "exec", name, "dondoc", "status", "--json", timeout=120)
        report = json.loads(status.stdout) if status.stdout.strip().startswith("{") else {}
        print(f"dondoc status in the container: exit {status.returncode}, problems {report.get('problems')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=10) as answer:
                print(f"/healthz from the host: {answer.status}")
        except urllib.error.HTTPError as error:
            print(f"/healthz from the host: {error.code} (unhealthy, as expected without a real API)")
        except OSError as error:
            print(f"/healthz from the host: not reachable ({error})")
        logs = sh(tool, "logs", name)
        print("container log (last lines):", *(logs.stdout + logs.stderr).strip().splitlines()[-3:], sep="\n  ")
        print("RESULT: the image was built and run")
    finally:
        sh(tool, "rm", "-f", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
