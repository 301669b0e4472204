"""Zalo gets the appendix through a download link: signed, expiring (24 h by default),
opening only its own file, refused when tampered with; served by the bot's own web
server (alone when Zalo polls, on the webhook's server otherwise). Without a public URL
the answer says how else to get the files."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook

from bot.config import ConfigError, load_config
from bot.download_links import DownloadShelf, LinkRefused, check_token, derive_secret, make_token
from bot.file_server import FileServer
from bot.wiring import download_shelf, public_url_of
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness, text_of
from tests.test_reports import tell_story
from tests.zalo_support import SECRET, config, serving

KEY = derive_secret("khoa-ky-lien-ket-cua-xa-nguyen-binh-khiem")
assert KEY is not None
FILE_ID = "0123456789abcdef0123456789abcdef"
LINK = re.compile(r"https?://\S+")


def test_a_token_opens_its_file_until_it_expires() -> None:
    now = datetime(2026, 6, 9, 8, tzinfo=UTC)
    expires = int((now + timedelta(hours=24)).timestamp())
    token = make_token(KEY, FILE_ID, expires)
    assert check_token(KEY, token, now) == FILE_ID
    assert check_token(KEY, token, now + timedelta(hours=23, minutes=59)) == FILE_ID
    with pytest.raises(LinkRefused) as refused:
        check_token(KEY, token, now + timedelta(hours=24))
    assert refused.value.reason == "expired"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace(FILE_ID, "f" + FILE_ID[1:]),  # another file
        lambda t: re.sub(r"\.(\d+)\.", lambda m: f".{int(m.group(1)) + 86400}.", t),  # later
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: t.upper(),
        lambda t: t + "x",
        lambda t: "../" + t,
        lambda t: "",
    ],
)
def test_a_changed_token_is_refused_as_invalid(tamper) -> None:  # noqa: ANN001
    now = datetime(2026, 6, 9, 8, tzinfo=UTC)
    token = make_token(KEY, FILE_ID, int(now.timestamp()) + 3600)
    with pytest.raises(LinkRefused) as refused:
        check_token(KEY, tamper(token), now)
    assert refused.value.reason == "invalid"  # a forged expiry is not "expired"


def test_another_key_does_not_open_the_link() -> None:
    now = datetime(2026, 6, 9, 8, tzinfo=UTC)
    token = make_token(KEY, FILE_ID, int(now.timestamp()) + 3600)
    other = derive_secret("mot-khoa-khac-hoan-toan-cua-xa-ben-canh")
    assert other is not None and other != KEY
    with pytest.raises(LinkRefused):
        check_token(other, token, now)


def test_the_link_key_is_never_the_webhook_secret_itself() -> None:
    assert derive_secret("", SECRET) not in (None, SECRET.encode())
    assert derive_secret("", "") is None


def test_expired_files_are_swept_and_others_kept(tmp_path: Path, clock) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path, "https://x.vn/tep", KEY, clock)
    old = shelf.publish("cu.docx", b"old")
    (tmp_path / "not-ours").mkdir()
    clock.move_to(clock.now() + timedelta(hours=25))
    new = shelf.publish("moi.docx", b"new")  # publishing sweeps first
    assert old.url != new.url
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 2 and "not-ours" in kept


def test_a_flood_of_reports_keeps_the_newest_files_only(tmp_path: Path, clock) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path, "https://x.vn/tep", KEY, clock)
    for n in range(12):
        shelf.publish(f"{n}.docx", b"x")
        clock.move_to(clock.now() + timedelta(seconds=2))
    assert shelf.sweep(owner="anonymous", keep=5) == 7
    names = sorted(next(p.glob("*.docx")).name for p in tmp_path.iterdir())
    assert names == [f"{n}.docx" for n in (10, 11, 7, 8, 9)]


def test_a_file_name_cannot_leave_its_folder(tmp_path: Path, clock) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path / "shelf", "https://x.vn/tep", KEY, clock)
    link = shelf.publish("../../etc/passwd", b"x")
    assert not (tmp_path / "etc").exists()
    assert link.url.rsplit("/", 1)[1] == "etc-passwd"


@pytest.fixture
async def served(tmp_path: Path, clock) -> AsyncIterator[tuple[DownloadShelf, str]]:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path / "tai-ve", "", KEY, clock)
    server = FileServer(shelf, "127.0.0.1", 0)
    await server.start()
    base = f"http://127.0.0.1:{server.bound_port}"
    shelf.public_url = base + "/tep"
    try:
        yield shelf, base
    finally:
        await server.stop()


async def test_the_server_sends_the_file_and_refuses_the_rest(served, clock) -> None:  # noqa: ANN001
    shelf, base = served
    link = shelf.publish("ket-qua.docx", b"PK-the-appendix")
    other = shelf.publish("khac.xlsx", b"PK-another")
    async with httpx.AsyncClient() as http:
        got = await http.get(link.url)
        assert got.status_code == 200 and got.content == b"PK-the-appendix"
        assert "attachment" in got.headers["content-disposition"]
        assert got.headers["content-type"].startswith("application/vnd.openxml")
        token = link.url.split("/")[-2]
        # the token opens its own file only, under its own name
        assert (await http.get(f"{base}/tep/{token}/khac.xlsx")).status_code == 404
        assert (await http.get(other.url)).content == b"PK-another"
        tampered = link.url.replace(token, token[:-2] + "xx")
        refused = await http.get(tampered)
        assert refused.status_code == 403 and "không hợp lệ" in refused.text
        for path in ("/tep/../../etc/passwd", "/tep/", "/", f"/tep/{token}"):
            assert (await http.get(base + path)).status_code in (403, 404)
        clock.move_to(clock.now() + timedelta(hours=24, seconds=2))
        expired = await http.get(link.url)
        assert expired.status_code == 410 and "hết hạn" in expired.text
        assert "/baocao" in expired.text


async def report_story(sessions, clock) -> Harness:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("trinh", "leader")
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await tell_story(bot)
    return bot


async def test_baocao_on_zalo_answers_with_links_that_open_the_files(
    sessions, clock, served  # noqa: ANN001
) -> None:
    shelf, _base = served
    bot = await report_story(sessions, clock)
    bot.conversation.services.downloads = shelf
    text = text_of(await bot.say("trinh", "/baocao"))
    links = LINK.findall(text)
    assert [Path(u).suffix for u in links] == [".docx", ".xlsx"], text
    assert "dùng được đến 08:00 ngày 10/06/2026" in text  # 24 hours, local time
    assert "chỉ gửi được qua Telegram" not in text
    async with httpx.AsyncClient() as http:
        word, excel = [(await http.get(u)).content for u in links]
    assert "PHỤ LỤC 01" in [p.text for p in Document(io.BytesIO(word)).paragraphs]
    assert "Biểu mẫu 1" in load_workbook(io.BytesIO(excel)).sheetnames


async def test_without_a_public_url_zalo_is_told_how_to_get_the_files(sessions, clock) -> None:  # noqa: ANN001
    bot = await report_story(sessions, clock)
    text = text_of(await bot.say("trinh", "/baocao"))
    assert "chỉ gửi được qua Telegram" in text and "/lienket" in text
    assert not LINK.search(text)


async def test_the_zalo_webhook_server_serves_the_links(
    sessions, clock, tmp_path: Path  # noqa: ANN001
) -> None:
    bot = await report_story(sessions, clock)
    shelf = DownloadShelf(tmp_path, "", KEY, clock)
    bot.conversation.services.downloads = shelf
    async with FakeZalo() as zalo:
        async with serving(bot, config(zalo, mode="webhook"), downloads=shelf) as channel:
            shelf.public_url = f"http://127.0.0.1:{channel.webhook_port}/tep"
            link = LINK.findall(text_of(await bot.say("trinh", "/baocao")))[0]
            async with httpx.AsyncClient() as http:
                got = await http.get(link)
            assert got.status_code == 200 and got.content.startswith(b"PK")


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "dondoc.toml"
    file.write_text(text, encoding="utf-8")
    return file


def test_public_url_comes_from_the_config_or_the_zalo_webhook(tmp_path: Path, clock) -> None:  # noqa: ANN001
    given = load_config(write(tmp_path, f"""
[zalo]
token = "t"
webhook_secret = "{SECRET}-{SECRET}"
[downloads]
public_url = "https://dondoc.xa.vn/"
"""))  # fmt: skip
    assert public_url_of(given) == "https://dondoc.xa.vn"
    shelf = download_shelf(given, clock)
    assert shelf is not None and shelf.public_url == "https://dondoc.xa.vn/tep"
    webhook = load_config(write(tmp_path, f"""
[zalo]
token = "t"
mode = "webhook"
webhook_secret = "{SECRET}-{SECRET}"
webhook_url = "https://bot.xa.vn:8443/zalo/webhook"
"""))  # fmt: skip
    assert public_url_of(webhook) == "https://bot.xa.vn:8443"
    polling = load_config(write(tmp_path, '[zalo]\ntoken = "t"\n'))
    assert public_url_of(polling) == "" and download_shelf(polling, clock) is None


def test_a_public_url_without_a_key_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, '[downloads]\npublic_url = "https://dondoc.xa.vn"\n'))
    assert "DONDOC_DOWNLOADS_SECRET" in str(error.value)
    with pytest.raises(ConfigError):
        load_config(write(tmp_path, '[downloads]\nsecret = "ngan"\n'))


async def test_the_narrative_draft_on_zalo_comes_as_three_links(
    sessions, clock, served  # noqa: ANN001
) -> None:
    shelf, _base = served
    bot = await report_story(sessions, clock)
    bot.conversation.services.downloads = shelf
    text = text_of(await bot.say("trinh", "/baocao baocao 6thang"))
    links = LINK.findall(text)
    assert [Path(u).suffix for u in links] == [".docx", ".docx", ".xlsx"], text
    async with httpx.AsyncClient() as http:
        draft = (await http.get(links[0])).content
    assert "BÁO CÁO" in [p.text for p in Document(io.BytesIO(draft)).paragraphs]


async def test_tiendo_on_zalo_sends_its_chart_by_a_link(sessions, clock, served) -> None:  # noqa: ANN001
    shelf, _base = served
    bot = await report_story(sessions, clock)
    assert (await bot.say("trinh", "/tiendo"))[0].photo is None  # no public address: text only
    bot.conversation.services.downloads = shelf
    reply = (await bot.say("trinh", "/tiendo"))[0]
    assert reply.photo is not None and reply.photo.ref and reply.photo.ref.endswith(".png")
    async with httpx.AsyncClient() as http:
        got = await http.get(reply.photo.ref)
    assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
    assert got.headers["content-type"] == "image/png"
