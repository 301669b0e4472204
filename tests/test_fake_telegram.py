"""The fake Telegram Bot API server, driven by a real python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes import FakeTelegram
from tests.telegram_support import started

ALICE = 1001


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Đã xong", callback_data="task:done:7"),
                                      InlineKeyboardButton("⏳ Gia hạn", callback_data="task:later:7")]])  # fmt: skip
    await update.effective_message.reply_html("<b>Chào</b> bạn! Nhiệm vụ &lt;7&gt;", reply_markup=keyboard)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Đã ghi nhận")
    await query.edit_message_text(f"Bạn chọn: {query.data}")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    document = update.effective_message.document
    data = await (await document.get_file()).download_as_bytearray()
    await update.effective_message.reply_document(
        bytes(data).upper(), filename=f"reply-{document.file_name}", caption=f"{len(data)} bytes",
        do_quote=True)


@pytest.fixture
async def app(tg: FakeTelegram):
    application = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
                   .base_file_url(tg.base_file_url).build())  # fmt: skip
    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    async with started(application):
        yield application


async def test_command_keyboard_and_callback(tg: FakeTelegram, app: Application) -> None:
    tg.send_text(ALICE, "/start")
    reply = await tg.wait_for(lambda m: m.chat_id == ALICE)
    assert reply.method == "sendMessage"
    assert reply.text == "Chào bạn! Nhiệm vụ <7>"  # what the user sees
    assert reply.raw_text.startswith("<b>Chào</b>") and reply.parse_mode == ParseMode.HTML
    assert reply.entities == [{"type": "bold", "offset": 0, "length": 4}]
    assert [b["callback_data"] for b in reply.buttons] == ["task:done:7", "task:later:7"]
    assert tg.message(ALICE, reply.message_id)["from"]["username"] == "dondoc_test_bot"

    alice = tg.user(ALICE, "Alice")
    query_id = alice.click(reply, "Đã xong")
    edited = await tg.wait_for(lambda m: m.method == "editMessageText")
    assert edited.message_id == reply.message_id and edited.text == "Bạn chọn: task:done:7"
    await tg.wait_until(lambda: tg.answered_callbacks)
    assert tg.answered_callbacks == [{"callback_query_id": query_id, "text": "Đã ghi nhận"}]
    assert "reply_markup" not in tg.message(ALICE, reply.message_id)  # the edit removed the keyboard
    with pytest.raises(ValueError, match="no button"):
        alice.press_button(reply.message_id, "task:done:7")


async def test_group_command_with_bot_username(tg: FakeTelegram, app: Application) -> None:
    tg.send_text(ALICE, "/start@dondoc_test_bot", chat_id=-100123, chat_type="supergroup")
    reply = await tg.wait_for(lambda m: m.chat_id == -100123)
    assert reply.text.startswith("Chào") and tg.per_chat_count[-100123] == 1


async def test_document_download_and_reply(tg: FakeTelegram, app: Application) -> None:
    message_id = tg.send_document(ALICE, "bao-cao.txt", b"ke hoach cchc", caption="Báo cáo")
    reply = await tg.wait_for(lambda m: m.method == "sendDocument")
    assert reply.document == b"KE HOACH CCHC" and reply.filename == "reply-bao-cao.txt"
    assert reply.caption == "13 bytes" and reply.reply_to_message_id == message_id
    assert [name for name, _ in tg.calls].count("getFile") == 1
    # the bot can send the uploaded file again by its file_id
    sent = await app.bot.send_document(ALICE, tg.message(ALICE, reply.message_id)["document"]["file_id"])
    assert sent.document.file_name == "reply-bao-cao.txt" and tg.sent[-1].document == b"KE HOACH CCHC"


async def test_photo_from_user_can_be_downloaded(tg: FakeTelegram) -> None:
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
        tg.send_photo(ALICE, b"\xff\xd8jpeg", caption="Ảnh")
        (update,) = await bot.get_updates(timeout=1)
        assert update.message.caption == "Ảnh"
        assert await (await update.message.photo[-1].get_file()).download_as_bytearray() == b"\xff\xd8jpeg"


async def test_long_polling_wakes_on_update_and_offset_confirms(tg: FakeTelegram) -> None:
    async with Bot(tg.token, base_url=tg.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=60, allowed_updates=["message"]))
        await tg.wait_until(lambda: tg.polls, timeout=30, what="the long poll at the server")  # nothing to answer yet
        tg.send_text(ALICE, "xin chào")
        (update,) = await asyncio.wait_for(poll, 30)  # woken by the update, not its 60 s
        assert update.message.text == "xin chào"
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
        assert tg.pending_updates == []


async def test_set_my_commands_is_recorded(tg: FakeTelegram, app: Application) -> None:
    await app.bot.set_my_commands([("start", "Bắt đầu"), ("tasks", "Nhiệm vụ của tôi")])
    assert tg.commands == [{"command": "start", "description": "Bắt đầu"},
                           {"command": "tasks", "description": "Nhiệm vụ của tôi"}]  # fmt: skip
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "tasks"]
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await app.bot.set_my_commands([("Bad-Name", "x")])


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter.retry_after
async def test_fail_next_surfaces_as_retry_after(tg: FakeTelegram, app: Application) -> None:
    tg.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3"):
        await app.bot.send_message(ALICE, "hello")
    assert tg.requests_429 == 1 and tg.sent == []
    await app.bot.send_message(ALICE, "hello")  # only the next call failed
    assert [m.text for m in tg.sent] == ["hello"]


async def test_blocked_user_gives_forbidden(tg: FakeTelegram, app: Application) -> None:
    tg.block_user(ALICE)
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await app.bot.send_message(ALICE, "hello")
    tg.unblock_user(ALICE)
    assert (await app.bot.send_message(ALICE, "hello")).chat.id == ALICE


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_per_chat_rate_limit(tg: FakeTelegram, app: Application) -> None:
    tg.per_chat_rate = 1
    await app.bot.send_message(ALICE, "1")
    with pytest.raises(RetryAfter):
        await app.bot.send_message(ALICE, "2")
    await app.bot.send_message(ALICE + 1, "other chat")
    assert tg.requests_429 == 1 and tg.per_chat_count == {ALICE: 1, ALICE + 1: 1}
    assert len(tg.send_times) == 2


async def test_realistic_bad_requests(tg: FakeTelegram, app: Application) -> None:
    bot = app.bot
    with pytest.raises(BadRequest, match="(?i)can't parse entities: unsupported start tag \"br\""):
        await bot.send_message(ALICE, "a<br>b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)character '.' is reserved"):
        await bot.send_message(ALICE, "Hạn: 12.5", parse_mode=ParseMode.MARKDOWN_V2)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="đ" * 33)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(ALICE, "x", reply_markup=too_long)
    message = await bot.send_message(ALICE, "same")
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("same", ALICE, message.message_id)
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", ALICE, 999)
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(ALICE, "x", reply_to_message_id=999)


async def test_raw_http_errors(tg: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{tg.base_url}{tg.token}/noSuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with session.get(f"{tg.base_url}999:WRONG/getMe") as response:
            assert response.status == 401 and (await response.json())["description"] == "Unauthorized"
        async with session.get(f"{tg.base_url}{tg.token}/GETME") as response:  # case-insensitive
            assert (await response.json())["result"]["username"] == "dondoc_test_bot"
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=tg.base_url):
            pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_delivery(tg: FakeTelegram) -> None:
    application = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()
    application.add_handler(CommandHandler("start", on_start))
    port = _free_port()
    await application.initialize()
    await application.start()
    await application.updater.start_webhook(
        listen="127.0.0.1", port=port, url_path="hook", webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token="s3cret")  # fmt: skip
    try:
        assert tg.webhook["url"] == f"http://127.0.0.1:{port}/hook"
        assert (await application.bot.get_webhook_info()).url == tg.webhook["url"]
        with pytest.raises(Conflict):
            await application.bot.get_updates()
        tg.send_text(ALICE, "/start")
        assert await tg.flush_webhook() == [200]
        await tg.wait_for(lambda m: m.chat_id == ALICE)
        bad = {"update_id": 99, "message": tg.message(ALICE, 1)}
        assert await tg.post_webhook(tg.webhook["url"], "wrong", bad) == 403
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
