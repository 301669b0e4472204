"""A real browser for the web view's tests: Playwright for Python driving Debian's
Chromium (``apt-get install chromium``; ``playwright install`` cannot download browsers
here). A test module marks itself ``needs_chromium`` and takes the ``browser`` fixture
(conftest, from ``chromium`` here); without Chromium or Playwright its tests are
skipped, saying why.
Screenshots go to ``DONDOC_TEST_SHOTS`` (default /tmp/dondoc-web-shots)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import ORG

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed: apt-get install -y chromium (.ci/run does)"
)
playwright_api = pytest.importorskip("playwright.async_api", reason="playwright is not installed (pip install -e '.[dev]')")


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[object]:
    """Chromium launched headless through Playwright; closed after."""
    async with playwright_api.async_playwright() as p:
        found = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield found
        await found.close()


def shots() -> Path:
    folder = Path(os.environ.get("DONDOC_TEST_SHOTS") or "/tmp/dondoc-web-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cli_progress(database_url: str, as_of: str) -> dict[str, object]:
    """``dondoc progress --json``, run as the command it is."""
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", database_url, "--json", "progress", "--org", ORG, "--as-of", as_of],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    return json.loads(out.stdout)
