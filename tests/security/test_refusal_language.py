"""The download server's refusals (issue 25, small ones) go through the gettext
catalogs, in the language the browser asks for (``Accept-Language``), Vietnamese by
default: a changed link (403), an expired one (410), a file gone (404)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.download_links import DownloadShelf, derive_secret
from bot.file_server import REFUSALS, FileServer, preferred_language
from locales import _, language

KEY = derive_secret("khoa-ky-lien-ket-cua-xa-nguyen-binh-khiem")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "vi"),
        ("", "vi"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8,vi;q=0.7", "en"),
        ("fr, vi;q=0.5, en;q=0.4", "vi"),
        ("en;q=0.2, vi-VN;q=0.8", "vi"),
        ("en;q=0", "vi"),  # "not English"
        ("en;q=abc, de", "vi"),  # a broken weight is skipped
        ("x" * 100_000, "vi"),
    ],
)
def test_preferred_language(header: str | None, expected: str) -> None:
    assert preferred_language(header) == expected


def test_every_refusal_is_translated() -> None:
    for _status, words in REFUSALS.values():
        with language("en"):
            english = _(words)
        assert english != words and "/baocao" in english


async def test_refusals_in_the_browsers_language(tmp_path: Path, clock) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path, "http://127.0.0.1/tep", KEY, clock)
    server = FileServer(shelf, "127.0.0.1", 0)
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.bound_port}"
        link = shelf.publish("phu-luc.docx", b"noi dung", owner="p1")
        path = link.url.split("127.0.0.1", 1)[1]
        token = path.split("/")[2]
        cases = {
            "invalid": f"/tep/{token[:-2]}xx/phu-luc.docx",
            "missing": f"/tep/{token}/khac.docx",
        }
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            for reason, url in cases.items():
                status, words = REFUSALS[reason]
                vietnamese = await client.get(url)
                assert (vietnamese.status_code, vietnamese.text) == (status, words)
                assert vietnamese.headers["Content-Language"] == "vi"
                english = await client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"})
                with language("en"):
                    assert (english.status_code, english.text) == (status, _(words))
                assert english.headers["Content-Language"] == "en" and english.text != words
            clock.move_to(clock.now() + timedelta(days=400))
            expired = await client.get(path, headers={"Accept-Language": "en"})
            assert expired.status_code == 410 and "expired" in expired.text
    finally:
        await server.stop()
