"""Zalo pictures (issue 25, point 9): downloaded only for a registered person, only
from Zalo's own hosts, and never through a redirect to another host. The stranger case
fails on the main of issue 25 (the picture was fetched before the registration check)."""

from __future__ import annotations

import pytest

from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_client import ZaloApiError, ZaloClient
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness
from tests.test_zalo_channel import JPEG_BYTES, LAN, STRANGER, harness, polling  # noqa: F401
from tests.zalo_support import say


async def test_a_strangers_picture_is_never_fetched(zalo: FakeZalo, harness: Harness, polling: ZaloChannel) -> None:  # noqa: F811
    url = zalo.host("la/anh.jpg", JPEG_BYTES)
    mark = len(zalo.sent)
    zalo.send_image(STRANGER, url, caption="Hoàn thành")
    answer = await zalo.wait_for(lambda m: m.chat_id == STRANGER, since=mark)
    assert "/dangky" in (answer.text or "")
    assert zalo.downloads == []


async def test_pictures_come_from_zalo_hosts_without_redirects_elsewhere(zalo: FakeZalo, harness: Harness, polling: ZaloChannel) -> None:  # noqa: F811
    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    await say(zalo, LAN, f"/dangky {code}")
    await say(zalo, LAN, "/viec 1")
    elsewhere = zalo.redirect("di-cho-khac.jpg", "http://127.0.0.2:9/anh.jpg")
    mark = len(zalo.sent)
    zalo.send_image(LAN, elsewhere, caption="Hoàn thành")
    answer = await zalo.wait_for(lambda m: m.chat_id == LAN, since=mark)
    assert "chưa tải được tệp" in (answer.text or "")
    assert zalo.downloads == ["cdn/di-cho-khac.jpg"]  # the redirect was not followed
    same_host = zalo.redirect("cung-may.jpg", f"{zalo.base_url}/cdn/that.jpg")
    zalo.host("that.jpg", JPEG_BYTES)
    mark = len(zalo.sent)
    zalo.send_image(LAN, same_host, caption="Hoàn thành")
    answer = await zalo.wait_for(lambda m: m.chat_id == LAN, since=mark)
    assert "Đã lưu tệp «anh.jpg»" in (answer.text or "")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://photo-stal-9.zdn.vn/a.jpg", True),
        ("https://s120-ava-talk.zadn.vn/a.jpg", True),
        ("https://zdn.vn.evil.example/a.jpg", False),
        ("https://evilzdn.vn/a.jpg", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("https://attacker.example/a.jpg", False),
    ],
)
async def test_only_zalo_hosts_are_fetched(url: str, allowed: bool) -> None:
    client = ZaloClient("12345:khoa-thu-cua-dondoc-dai-du", base_url="https://bot-api.zaloplatforms.com")
    try:
        assert client.is_platform_host(url) is allowed
        if not allowed:
            with pytest.raises(ZaloApiError, match="not a Zalo host"):
                await client.download(url, 1024)
    finally:
        await client.aclose()


async def test_picture_hosts_are_configurable(tmp_path) -> None:  # noqa: ANN001
    from bot.channels.zalo_client import PLATFORM_HOSTS
    from bot.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    path.write_text('[zalo]\ntoken = "12345:khoa-thu-cua-dondoc-dai-du"\npicture_hosts = ["Anh.Xa.Example.", "cdn.vn"]\n')
    config = load_config(path)
    assert config.zalo.picture_hosts == ["Anh.Xa.Example.", "cdn.vn"]
    channel = ZaloChannel(None, config.zalo)  # type: ignore[arg-type]  (only its client is used)
    client = channel.client
    try:
        assert client.picture_hosts == ("anh.xa.example", "cdn.vn")  # replaces Zalo's own
        assert client.is_platform_host("https://f1.cdn.vn/a.jpg")
        assert client.is_platform_host("https://anh.xa.example/a.jpg")
        assert not client.is_platform_host("https://f27-zpc.zdn.vn/a.jpg")
        with pytest.raises(ZaloApiError, match="not a Zalo host"):
            await client.download("https://f27-zpc.zdn.vn/a.jpg", 1024)
    finally:
        await client.aclose()
    default = ZaloClient("12345:khoa-thu-cua-dondoc-dai-du")
    try:
        assert default.picture_hosts == PLATFORM_HOSTS  # empty list: Zalo's own
        assert default.is_platform_host("https://f27-zpc.zdn.vn/a.jpg")  # seen in public examples
        assert default.is_platform_host("https://photo-link-talk.zadn.vn/a.jpg")
    finally:
        await default.aclose()
    path.write_text('[zalo]\npicture_hosts = ["https://evil.example/x"]\n')
    with pytest.raises(ConfigError):
        load_config(path)
