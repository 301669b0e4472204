"""The web view in a running dondoc: ``[web]`` in the config (an error when enabled
without a public address or a key), and the server the runner starts answering over
TCP with the download route beside it."""

from __future__ import annotations

import aiohttp
import pytest

from bot.config import Config, ConfigError, load_config
from bot.file_server import add_download_routes
from bot.wiring import build_services, web_gate, web_shelf
from web.server import WebServer, make_app

SECRET = "s" * 40


def test_enabled_without_a_public_url_is_a_config_error(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DONDOC_WEB_SECRET", SECRET)
    file = tmp_path / "dondoc.toml"
    file.write_text("[web]\nenabled = true\n")
    with pytest.raises(ConfigError) as error:
        load_config(file)
    assert "[web] enabled = true cần địa chỉ công khai" in str(error.value)


def test_enabled_without_a_key_is_a_config_error(tmp_path) -> None:  # noqa: ANN001
    file = tmp_path / "dondoc.toml"
    file.write_text('[web]\nenabled = true\npublic_url = "https://dondoc.example.vn"\n')
    with pytest.raises(ConfigError) as error:
        load_config(file)
    assert "DONDOC_WEB_SECRET" in str(error.value)


async def test_the_runner_s_web_server_answers(sessions, clock, tmp_path) -> None:  # noqa: ANN001
    config = Config(
        web={"enabled": True, "public_url": "https://dondoc.example.vn", "secret": SECRET, "port": 0},
        downloads={"folder": str(tmp_path / "shelf")},
    )
    assert web_gate(Config(), clock, sessions) is None  # off by default
    gate = web_gate(config, clock, sessions)
    assert gate is not None and gate.settings.secure
    services = build_services(config, clock, sessions, web=gate)
    shelf = web_shelf(config, clock, gate)
    app = make_app(services, gate, shelf)
    add_download_routes(app, shelf)
    server = WebServer(app, "127.0.0.1", 0)
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.bound_port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/web/") as page:
                assert page.status == 401
                assert "Xin nhắn /web" in await page.text()
            async with http.get(f"{base}/web/static/style.css") as css:
                assert css.status == 200
            async with http.get(f"{base}/tep/x/y") as refused:
                assert refused.status == 403
    finally:
        await server.stop()
