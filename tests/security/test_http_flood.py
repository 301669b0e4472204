"""The download server under a flood (issue 25, point 6): idle, half-sent connections are
limited per client and overall and closed after the header timeout, a good request from
another client still gets its file, and the log stays a few lines. Fails on the main of
issue 25 (every connection was kept open, and nothing was ever closed)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest

from bot import http_guard
from bot.download_links import DownloadShelf, derive_secret
from bot.file_server import FileServer

KEY = derive_secret("khoa-ky-lien-ket-cua-xa-nguyen-binh-khiem")


async def test_idle_connections_cannot_exhaust_the_server(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture  # noqa: ANN001
) -> None:
    monkeypatch.setattr(http_guard, "HEADER_TIMEOUT", 1.0)
    shelf = DownloadShelf(tmp_path, "http://127.0.0.1/tep", KEY, clock)
    server = FileServer(shelf, "127.0.0.1", 0)
    await server.start()
    writers = []
    try:
        port = server.bound_port
        link = shelf.publish("phu-luc.docx", b"noi dung", owner="p1")
        path = link.url.split("127.0.0.1", 1)[1]
        with caplog.at_level(logging.INFO):
            for _ in range(60):  # a slow-loris flood from one address
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"GET /tep/")
                writers.append((_reader, writer))
            await asyncio.sleep(0.2)
            transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
            async with httpx.AsyncClient(transport=transport, timeout=5) as client:
                answer = await client.get(f"http://127.0.0.1:{port}{path}")
            assert answer.status_code == 200 and answer.content == b"noi dung"
            # the header timeout closes the rest: each read ends when the server closes it
            eof = await asyncio.wait_for(asyncio.gather(*(r.read() for r, _w in writers)), 10)
        assert eof == [b""] * 60  # every idle connection was closed by the server
        guard_lines = [r for r in caplog.records if r.name == "bot.http_guard"]
        assert 1 <= len(guard_lines) <= 4, [r.getMessage() for r in guard_lines]
    finally:
        for _r, writer in writers:
            writer.close()
        await server.stop()


async def test_refused_links_are_logged_once_a_minute(tmp_path: Path, clock, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path, "http://127.0.0.1/tep", KEY, clock)
    server = FileServer(shelf, "127.0.0.1", 0)
    await server.start()
    try:
        with caplog.at_level(logging.INFO):
            async with httpx.AsyncClient(timeout=5) as client:
                for n in range(50):
                    answer = await client.get(f"http://127.0.0.1:{server.bound_port}/tep/sai{n}/x.docx")
                    assert answer.status_code == 403
        assert len([r for r in caplog.records if r.name == "bot.file_server"]) == 1
    finally:
        await server.stop()
