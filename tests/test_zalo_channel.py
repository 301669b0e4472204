"""The whole story over Zalo: the real ``ZaloChannel`` and ``ZaloClient`` talking HTTP to
the fake Zalo Bot API on 127.0.0.1. Polling: invite → /dangky → /viec → /viec 1 → "1"
→ a free-text reply → /hoantac → /tiendo, strangers, pictures, stickers, long answers in
several messages; the webhook: a wrong or missing secret refused, a good one handled."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.channels.zalo import ZaloChannel, to_incoming
from bot.channels.zalo_client import MAX_TEXT
from handlers.messages import Attachment, Outgoing
from models.evidence import EvidenceFile
from models.evidence_store import read
from models.invites import find_person
from models.plans import StatusUpdate
from scheduler.dispatcher import RateLimited, TemporaryFailure, Unreachable
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness, sample_harness, task_row
from tests.zalo_support import SECRET, config, say, serving

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
LAN, TRINH, STRANGER = "5a1b2c3d4e5f6071", "7e6d5c4b3a291807", "0f0e0d0c0b0a0908"


@pytest.fixture
async def harness(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "zalo")


@pytest.fixture
async def polling(zalo: FakeZalo, harness: Harness) -> AsyncIterator[ZaloChannel]:
    async with serving(harness, config(zalo)) as channel:
        yield channel


@pytest.fixture
async def webhook(zalo: FakeZalo, harness: Harness) -> AsyncIterator[ZaloChannel]:
    async with serving(harness, config(zalo, mode="webhook")) as channel:
        yield channel


async def test_whole_story(zalo: FakeZalo, harness: Harness, polling: ZaloChannel) -> None:
    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    assert "Đăng ký thành công" in await say(zalo, LAN, f"/dangky {code}", display_name="Chị Lan")

    listing = await say(zalo, LAN, "/viec")
    assert "nhiệm vụ đang mở" in listing and "1. Ban hành Kế hoạch" in listing

    card = await say(zalo, LAN, "/viec 1")
    assert card.startswith("Nhiệm vụ 1:")
    assert "Trả lời 1 = Hoàn thành, 2 = Đang thực hiện" in card  # no buttons on Zalo

    chosen = await say(zalo, LAN, "1")
    assert "Đã ghi nhận nhiệm vụ 1" in chosen and "Hoàn thành" in chosen
    assert (await task_row(harness, "1")).status == "done"

    reply = await say(zalo, LAN, "Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026")
    assert "Đã ghi nhận nhiệm vụ 1" in reply and "QĐ số 12/QĐ-UBND ngày 09/01/2026" in reply

    undone = await say(zalo, LAN, "/hoantac")
    assert "Đã hoàn tác" in undone and "Nhiệm vụ 1" in undone

    progress = await say(zalo, LAN, "/tiendo")
    assert "Hoàn thành: 1/16" in progress

    leader_code = await harness.invite("leader")
    assert "Đăng ký thành công" in await say(zalo, TRINH, f"/dangky {leader_code}")
    assert "Hoàn thành: 1/39 (2,6%)" in await say(zalo, TRINH, "/tiendo")

    assert all(len(m.text or "") <= MAX_TEXT for m in zalo.sent)
    assert {chat for chat, action in zalo.chat_actions if action == "typing"} == {LAN, TRINH}


async def test_the_person_is_known_by_zalo_id(
    zalo: FakeZalo, harness: Harness, polling: ZaloChannel
) -> None:
    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    await say(zalo, LAN, f"/dangky {code}", display_name="Chị Lan")
    async with harness.sessions() as session:
        person = await find_person(session, "zalo", LAN)
    assert person is not None and person.display_name == "Chị Lan"


async def test_stranger_is_refused(zalo: FakeZalo, harness: Harness, polling: ZaloChannel) -> None:
    refusal = await say(zalo, STRANGER, "/viec 1")
    assert "/dangky" in refusal and "Ban hành" not in refusal
    mark = len(zalo.sent)
    zalo.send_event(STRANGER, "message.sticker.received", sticker="a1b2", url="https://s/x.png")
    sticker_answer = await zalo.wait_for(lambda m: m.chat_id == STRANGER, since=mark)
    assert "/dangky" in (sticker_answer.text or "")
    assert (await task_row(harness, "1")).status == "not_started"


async def test_picture_is_kept_as_evidence(
    zalo: FakeZalo, harness: Harness, polling: ZaloChannel
) -> None:
    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    await say(zalo, LAN, f"/dangky {code}")
    await say(zalo, LAN, "/viec 1")
    picture = JPEG_BYTES
    url = zalo.host("evidence/qd-12.jpg", picture)  # the link expires: the bytes are kept
    mark = len(zalo.sent)
    zalo.send_image(LAN, url, caption="Hoàn thành")
    confirm = await zalo.wait_for(lambda m: m.chat_id == LAN, since=mark)
    assert "Đã ghi nhận nhiệm vụ 1" in (confirm.text or "")
    assert "Đã lưu tệp «anh.jpg»" in (confirm.text or "") and "minh chứng của nhiệm vụ 1" in confirm.text
    assert zalo.downloads == ["cdn/evidence/qd-12.jpg"]
    async with harness.sessions() as session:
        update = await session.scalar(select(StatusUpdate).where(StatusUpdate.attachment == url))
        kept = (await session.scalars(select(EvidenceFile))).all()
    assert update is not None and update.status == "done"
    assert [(f.file_name, f.size, f.channel, f.content_type) for f in kept] == [
        ("anh.jpg", len(picture), "zalo", "image/jpeg")
    ]
    assert read(harness.evidence.folder, kept[0].stored_path) == picture
    assert kept[0].sha256 == hashlib.sha256(picture).hexdigest()


async def test_picture_that_cannot_be_fetched_says_so(
    zalo: FakeZalo, harness: Harness, polling: ZaloChannel
) -> None:
    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    await say(zalo, LAN, f"/dangky {code}")
    await say(zalo, LAN, "/viec 1")
    mark = len(zalo.sent)
    zalo.send_image(LAN, f"{zalo.base_url}/cdn/gone.jpg", caption="Hoàn thành")  # expired: 404
    answer = await zalo.wait_for(lambda m: m.chat_id == LAN, since=mark)
    assert "Đã ghi nhận nhiệm vụ 1" in (answer.text or "")
    assert "chưa tải được tệp «anh.jpg»" in answer.text and "gửi lại" in answer.text
    async with harness.sessions() as session:
        assert (await session.scalars(select(EvidenceFile))).all() == []


async def test_picture_over_the_limit_is_not_downloaded_whole(
    zalo: FakeZalo, harness: Harness
) -> None:
    async with serving(harness, config(zalo), max_download=1024):
        code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
        await say(zalo, LAN, f"/dangky {code}")
        await say(zalo, LAN, "/viec 1")
        url = zalo.host("big.jpg", JPEG_BYTES + b"\0" * 4096)
        mark = len(zalo.sent)
        zalo.send_image(LAN, url)
        answer = await zalo.wait_for(lambda m: m.chat_id == LAN, since=mark)
    assert "lớn hơn mức 20 MB" in (answer.text or "") and "chưa lưu" in answer.text
    async with harness.sessions() as session:
        assert (await session.scalars(select(EvidenceFile))).all() == []


async def test_long_answer_arrives_in_several_messages(
    zalo: FakeZalo, harness: Harness, polling: ZaloChannel
) -> None:
    code = await harness.invite("leader")
    await say(zalo, TRINH, f"/dangky {code}")
    # a year later every dated task is overdue: /quahan lists them all, by unit
    harness.clock.move_to(datetime(2027, 1, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    mark = len(zalo.sent)
    zalo.send_text(TRINH, "/quahan")
    zalo.send_text(TRINH, "/tiendoo")  # one chat is answered in order: this comes after every piece
    after = await zalo.wait_for(lambda m: m.chat_id == TRINH and "Ý anh/chị là /tiendo?" in (m.text or ""), since=mark)
    pieces = [m.text or "" for m in zalo.sent[mark : zalo.sent.index(after)] if m.chat_id == TRINH]
    assert len(pieces) >= 2 and all(len(p) <= MAX_TEXT for p in pieces)
    assert "nhiệm vụ quá hạn" in pieces[0] and sum(map(len, pieces)) > MAX_TEXT
    assert not zalo.rejected  # nothing was refused for its length


async def test_sending_survives_a_429(
    zalo: FakeZalo, harness: Harness, polling: ZaloChannel
) -> None:
    polling.client._sleep = _no_sleep  # the client's backoff, without the wait
    zalo.fail_next("sendMessage", status=429, retry_after=1)
    assert "/dangky" in await say(zalo, STRANGER, "/viec")
    assert [c for c, _ in zalo.calls].count("sendMessage") == 2


async def _no_sleep(delay: float) -> None:
    return None


async def test_send_for_the_dispatcher(zalo: FakeZalo, polling: ZaloChannel) -> None:
    document = Attachment("bao-cao.docx", b"PK...", "document")
    photo = Attachment("bieu-do.png", b"\x89PNG", "photo")
    last = await polling.send(
        LAN, Outgoing("Báo cáo quý I đã sẵn sàng.", document=document, photo=photo)
    )
    assert [m.text for m in zalo.messages_to(LAN)] == ["Báo cáo quý I đã sẵn sàng."]  # text only
    assert last == zalo.sent[-1].message_id
    assert await polling.send(LAN, Outgoing("", document=document)) is None


async def test_webhook_refuses_a_wrong_or_missing_secret(
    zalo: FakeZalo, webhook: ZaloChannel
) -> None:
    url = f"http://127.0.0.1:{webhook.webhook_port}/zalo/webhook"
    assert await zalo.post_webhook(url, None, zalo.update(STRANGER, text="/viec")) == 403
    assert await zalo.post_webhook(url, "sai-bi-mat", zalo.update(STRANGER, text="/viec")) == 403
    assert await zalo.post_webhook(url, SECRET, zalo.update(STRANGER, text="/tiendo")) == 200
    answer = await zalo.wait_for(lambda m: m.chat_id == STRANGER)
    assert "/dangky" in (answer.text or "")
    assert len(zalo.sent) == 1  # the refused calls were not processed
    again = zalo.update(STRANGER, text="/viec")
    assert await zalo.post_webhook(url, SECRET, again) == 200
    assert await zalo.post_webhook(url, SECRET, again) == 200  # Zalo retried a delivery
    await zalo.wait_until(lambda: len(zalo.sent) == 2)
    await webhook.stop()  # waits for the updates in progress
    assert len(zalo.sent) == 2  # the same message is answered once
    assert "getUpdates" not in [c for c, _ in zalo.calls]


async def test_webhook_story_in_order(
    zalo: FakeZalo, harness: Harness, webhook: ZaloChannel
) -> None:
    zalo.webhook = {
        "url": f"http://127.0.0.1:{webhook.webhook_port}/zalo/webhook",
        "secret_token": SECRET,
    }
    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    for text in (f"/dangky {code}", "/viec 1", "1"):  # one chat: handled one after another
        zalo.send_text(LAN, text)
    assert await zalo.flush_webhook() == [200, 200, 200]
    await zalo.wait_for("Đã ghi nhận nhiệm vụ 1")
    texts = [m.text or "" for m in zalo.messages_to(LAN)]
    assert "Đăng ký thành công" in texts[0] and texts[1].startswith("Nhiệm vụ 1:")
    assert (await task_row(harness, "1")).status == "done"


def test_to_incoming_shapes() -> None:
    fake = FakeZalo()
    text = to_incoming(fake.update("u1", text="hoan thanh", display_name="Lan"))
    assert text is not None and (text.channel, text.user_id, text.chat_id) == ("zalo", "u1", "u1")
    assert text.display_name == "Lan" and text.text == "hoan thanh" and text.chat_type == "private"
    wrapped = to_incoming({"ok": True, "result": fake.update("u1", text="x")})
    assert wrapped is not None and wrapped.text == "x"
    image = to_incoming(
        fake.update("u1", "message.image.received", photo="https://x/y.jpg", caption="QĐ 12")
    )
    assert image is not None and image.text == "QĐ 12"
    assert image.attachment == Attachment("anh.jpg", b"", "photo", ref="https://x/y.jpg")
    sticker = to_incoming(fake.update("u1", "message.sticker.received", sticker="abc"))
    assert sticker is not None and sticker.text == "" and sticker.attachment is None
    bot = fake.update("u1", text="x")
    bot["message"]["from"]["is_bot"] = True
    assert to_incoming(bot) is None and to_incoming({"event_name": "x"}) is None


async def test_send_reminder_maps_errors_for_the_dispatcher(
    zalo: FakeZalo, polling: ZaloChannel
) -> None:
    polling.client._sleep = _no_sleep
    assert await polling.send_reminder(LAN, Outgoing("Nhắc việc")) == zalo.sent[-1].message_id
    zalo.fail_next("sendMessage", status=429, retry_after=7, times=5)
    with pytest.raises(RateLimited) as limited:
        await polling.send_reminder(LAN, Outgoing("Nhắc việc"))
    assert limited.value.retry_after == 7
    zalo.fail_next("sendMessage", status=500, times=5)
    with pytest.raises(TemporaryFailure):
        await polling.send_reminder(LAN, Outgoing("Nhắc việc"))
    zalo.fail_next("sendMessage", status=403, description="Forbidden: user blocked the bot")
    with pytest.raises(Unreachable):
        await polling.send_reminder(LAN, Outgoing("Nhắc việc"))


async def test_a_reminder_answered_on_zalo(zalo: FakeZalo, harness: Harness, polling: ZaloChannel) -> None:
    from bot.reminders import ReminderService

    code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
    await say(zalo, LAN, f"/dangky {code}")
    harness.clock.move_to(datetime(2026, 1, 13, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    service = ReminderService(harness.conversation.services, {"zalo": polling.send_reminder})
    mark = len(zalo.sent)
    await service.tick()
    reminder = await zalo.wait_for(lambda m: m.chat_id == LAN and "Nhiệm vụ 1" in (m.text or ""), since=mark)
    assert "còn 1 ngày làm việc" in reminder.text and "Trả lời 1 = Hoàn thành" in reminder.text
    # a bare answer goes to the task just reminded, and the confirmation names it
    answer = await say(zalo, LAN, "Hoàn thành, QĐ số 15/QĐ-UBND ngày 12/01/2026")
    assert answer.startswith("Đã ghi nhận nhiệm vụ 1 «Ban hành Kế hoạch cải cách hành chính")
    assert (await task_row(harness, "1")).status == "done"
