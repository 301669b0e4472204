"""The Telegram channel: python-telegram-bot's ``Application`` (polling or webhook)
translating updates into ``Incoming`` and ``Outgoing`` into Bot API calls, and nothing
else. Pacing: PTB's ``AIORateLimiter`` keeps the global limits; our own per-chat gap
keeps about one message per second to each private chat, which it does not do. Every
update is kept until handled (``bot.channels.telegram_inbox``): a stop hands the ones
not handled to the next start (``resume``, ``stop_handling``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

import httpx
from telegram import (
    InputFile,
    Message,
    Update,
)
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.busy import busy_text, dropped_text, is_heavy
from bot.channels.inbox import Inbox, source_of
from bot.channels.lanes import ChatLanes
from bot.channels.telegram_buttons import (
    SettledMessages,
    answer_query,
    remove_keyboard,
    shows_buttons,
    stale_text,
)
from bot.channels.telegram_inbox import KeptFirst, KeptQueue
from bot.channels.telegram_lanes import STOP_GRACE, LaneProcessor
from bot.channels.telegram_markup import keyboard, menu_commands, set_menu_button
from bot.channels.telegram_pacing import (
    BACKLOG,
    NORMAL,
    URGENT,
    ChatPacer,
    GlobalPacer,
    PacedRequest,
    SharedBudget,
    priority,
)
from bot.channels.text_split import split_text
from bot.config import TelegramConfig
from handlers.conversation import Conversation
from handlers.messages import Attachment, Incoming, Outgoing
from scheduler.dispatcher import (
    MaybeSent,
    PermanentFailure,
    RateLimited,
    TemporaryFailure,
    Unreachable,
)
from scheduler.send_gate import Withheld

log = logging.getLogger(__name__)
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API does not hand bots bigger files
RETRIES_429 = 2  # an answer refused with 429 is sent again, at most this many times


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[union-attr, arg-type]


class TelegramChannel:
    def __init__(
        self,
        conversation: Conversation,
        config: TelegramConfig,
        *,
        on_start: Callable[[], None] | None = None,
        reminder_ack_timeout: float = 30.0,
        shared: SharedBudget | None = None,
    ) -> None:
        self.conversation = conversation
        # How long a reminder waits for Telegram's answer: a slow answer is not a failure,
        # and a timeout after the request left may mean a delivered message (MaybeSent).
        self.reminder_ack_timeout = reminder_ack_timeout
        self.on_start = on_start
        self.config = config
        # ``shared``: other processes send through the same bot (PostgreSQL keeps the budgets)
        self.shared = shared
        self.pacer = ChatPacer(config.per_chat_interval, shared)
        self.overall = GlobalPacer(config.global_rate)
        # Different chats at once, one chat in order; pacing waits outside the handling.
        self.lanes = ChatLanes(
            on_busy=lambda chat: self._notice(chat, busy_text()),
            on_dropped=lambda chat: self._notice(chat, dropped_text()),
        )
        services, source = conversation.services, source_of("telegram", config.token)
        self.inbox = Inbox(services.sessions, source, services.clock.now)
        self.queue = KeptQueue(self.inbox, keep_in_put=config.mode == "webhook")
        self.processor = LaneProcessor(self.lanes, self.inbox)
        self.settled = SettledMessages()  # messages whose buttons were answered here
        self.app: Application | None = None

    def build(self) -> Application:
        app = (
            ApplicationBuilder()
            .token(self.config.token)
            .base_url(self.config.base_url)
            .base_file_url(self.config.base_file_url)
            # Overall pacing is ours (GlobalPacer); AIORateLimiter keeps group limits and retries.
            # A 429 is not retried here: the reminder dispatcher pauses everything instead.
            .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=0))
            # More connections than the dispatcher sends at once (64): a paced send never
            # waits for a connection afterwards, which would bunch sends past the limit.
            .request(
                PacedRequest(
                    self.overall, shared=self.shared, connection_pool_size=100, pool_timeout=30
                )
            )
            .update_queue(self.queue)
            .get_updates_request(KeptFirst(self.queue))  # confirms only what is kept
            .concurrent_updates(self.processor)
            .post_init(self._post_init)
            .build()
        )
        app.add_handler(CallbackQueryHandler(self._on_callback))
        app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self._on_message)
        )
        app.add_error_handler(self._on_error)
        self.app = app
        return app

    async def _post_init(self, app: Application) -> None:
        await app.bot.set_my_commands(menu_commands())
        await set_menu_button(app.bot, self.conversation.services.web)
        if self.on_start is not None:  # the reminder scheduler starts here, not at import
            self.on_start()

    async def resume(self) -> None:
        """Before receiving: take work again, and queue first what a stop left."""
        assert self.app is not None
        await self.queue.join()  # what a former drain let go has left the queue
        self.lanes.reopen()
        await self.queue.requeue(self.app.bot)

    async def stop_handling(self, grace: float = STOP_GRACE) -> None:
        """After receiving stopped: finish what is handled within ``grace``; the rest
        stays kept for the next start."""
        await self.queue.kept()
        await self.processor.drain(grace)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram update failed: %s", context.error, exc_info=context.error)

    async def _incoming(
        self, message: Message, *, user_id: int, name: str, callback: str | None = None
    ) -> Incoming:
        attachment = None
        if not callback:
            attachment = await self._attachment(message)
        reply_to = None
        if (
            message.reply_to_message is not None
            and message.reply_to_message.from_user is not None
            and message.reply_to_message.from_user.is_bot
        ):
            reply_to = str(message.reply_to_message.message_id)
        quoted = ""
        if message.reply_to_message is not None and reply_to is None and not callback:
            replied = message.reply_to_message  # a letter forwarded, then answered with /giao
            quoted = replied.text or replied.caption or ""
        return Incoming(
            channel="telegram",
            user_id=str(user_id),
            chat_id=str(message.chat_id),
            display_name=name,
            text=(message.text or message.caption or "") if not callback else "",
            chat_type="private" if message.chat.type == "private" else "group",
            message_id=str(message.message_id),
            reply_to=reply_to if not callback else str(message.message_id),
            callback=callback,
            attachment=attachment,
            quoted=quoted,
            written_at=message.date,
        )

    async def _attachment(self, message: Message) -> Attachment | None:
        if message.document is not None:
            doc = message.document
            name, ref = doc.file_name or "tep", f"telegram:{doc.file_id}"
            # A file over the Bot API's limit comes without data but with its size, so
            # that /nhap can say "too large" rather than "empty".
            too_big = Attachment(
                name, b"", "document", ref=ref, size=doc.file_size or MAX_DOWNLOAD + 1
            )
            if doc.file_size and doc.file_size > MAX_DOWNLOAD:
                return too_big
            try:
                data = bytes(await (await doc.get_file()).download_as_bytearray())
            except BadRequest as error:
                if "too big" not in str(error).lower():
                    raise
                return too_big
            return Attachment(name, data, "document", ref=ref)
        if message.photo:
            photo = message.photo[-1]
            data = bytes(await (await photo.get_file()).download_as_bytearray())
            return Attachment("anh.jpg", data, "photo", ref=f"telegram:{photo.file_id}")
        return None

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        heavy = is_heavy(
            message.text or message.caption or "", has_file=bool(message.document or message.photo)
        )
        async with self.lanes.handling(heavy=heavy):
            incoming = await self._incoming(message, user_id=user.id, name=user.full_name)
            replies = await self.conversation.handle(incoming)
        self.inbox.answered(str(update.update_id))  # a stop while sending: not again
        await self.deliver(incoming, replies)  # paced per chat, outside the handling pool

    async def _notice(self, chat_id: str, text: str) -> None:
        """A word to a chat that floods (``ChatLanes``), sent out of turn: before the
        answers of floods, after those to people waiting on one message."""
        with priority(NORMAL):
            await self.send(int(chat_id), Outgoing(text))

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every press is answered once (``telegram_buttons``), even when handling fails;
        a press on a message already settled here is only answered, never handled again."""
        query = update.callback_query
        if query is None:
            return
        toast = ""
        try:
            pressed = query.message
            if pressed is None or not isinstance(pressed, Message):
                return
            if pressed in self.settled:  # a double tap, or a tap on an answered question
                toast = stale_text()
                return
            if not shows_buttons(pressed):  # its buttons were gone when it was pressed
                toast = stale_text()
            async with self.lanes.handling():
                incoming = await self._incoming(
                    pressed,
                    user_id=query.from_user.id,
                    name=query.from_user.full_name,
                    callback=query.data or "",
                )
                replies = await self.conversation.handle(incoming)
            self.inbox.answered(str(update.update_id))
        finally:
            await answer_query(query, toast)
        await self.deliver(incoming, replies, pressed=pressed)

    async def deliver(
        self, incoming: Incoming, replies: list[Outgoing], *, pressed: Message | None = None
    ) -> None:
        # Someone waiting on this one answer goes first; a chat with more messages queued
        # behind it (a flood) takes the overall places left (telegram_pacing.priority).
        backlog = self.lanes.waiting(incoming.chat_id) > 0
        with priority(BACKLOG if backlog else URGENT):
            await self._deliver(incoming, replies, pressed)

    async def _deliver(
        self, incoming: Incoming, replies: list[Outgoing], pressed: Message | None
    ) -> None:
        for reply in replies:
            if reply.edit and pressed is not None and pressed not in self.settled:
                self.settled.add(pressed)  # its question is answered: later taps are stale
                if shows_buttons(pressed):
                    await remove_keyboard(pressed)  # already gone: ignored quietly
            sent = await self.send(
                int(reply.chat_id or incoming.chat_id),
                reply,
                reply_to=incoming.message_id if incoming.chat_type != "private" else None,
            )
            if sent is not None:
                await self.conversation.remember_sent(incoming, reply, str(sent.message_id))

    async def probe(self) -> bool:
        """Whether Telegram answers (``getMe``, a few seconds at most): asked while the
        reminders back off after an outage, so that they resume soon after it ends."""
        if not self.ready:
            return False
        await self.app.bot.get_me(read_timeout=5, connect_timeout=5)
        return True

    @property
    def ready(self) -> bool:
        """Initialized: Telegram answered ``getMe`` once (a start during an outage waits)."""
        if self.app is None:
            return False
        try:
            return self.app.bot.bot is not None
        except RuntimeError:
            return False

    async def send_reminder(self, chat_id: str, reply: Outgoing) -> str | None:
        """Send for the reminder dispatcher, translating Telegram's errors into its own."""
        if not self.ready:
            raise TemporaryFailure("Telegram is not reachable yet")
        try:
            sent = await self.send(
                int(chat_id), reply, read_timeout=self.reminder_ack_timeout, retry=False
            )
        except Exception as error:
            raise reminder_error(error) from error
        return str(sent.message_id) if sent is not None else None

    async def send(
        self,
        chat_id: int,
        reply: Outgoing,
        *,
        reply_to: str | None = None,
        read_timeout: float | None = None,
        retry: bool = True,
    ) -> Message | None:
        """Send one ``Outgoing``; returns the last message sent (the one replies map to).
        An answer refused with 429 (never delivered) is sent again after Telegram's wait;
        a reminder (``retry=False``) leaves that to the dispatcher, which pauses all."""
        assert self.app is not None
        bot = self.app.bot
        last: Message | None = None
        pieces = split_text(reply.text, MessageLimit.MAX_TEXT_LENGTH) if reply.text else []
        for index, piece in enumerate(pieces):
            last = await self._paced(chat_id, retry, partial(
                bot.send_message, chat_id, piece,
                reply_markup=keyboard(reply) if index == len(pieces) - 1 else None,
                reply_to_message_id=int(reply_to) if reply_to and index == 0 else None,
                **({"read_timeout": read_timeout} if read_timeout is not None else {}),
            ))  # fmt: skip
        if reply.document is not None:
            document = InputFile(reply.document.data, filename=reply.document.filename)
            last = await self._paced(chat_id, retry, partial(bot.send_document, chat_id, document))
        if reply.photo is not None:
            photo = InputFile(reply.photo.data, filename=reply.photo.filename)
            last = await self._paced(chat_id, retry, partial(bot.send_photo, chat_id, photo))
        return last

    async def _paced(
        self, chat_id: int, retry: bool, call: Callable[[], Awaitable[Message]]
    ) -> Message:
        """One message, paced for its chat (the next one waits for its answer)."""
        for attempt in range(RETRIES_429 + 1):
            async with self.pacer.place(str(chat_id)):
                try:
                    return await call()
                except RetryAfter as error:
                    if not retry or attempt == RETRIES_429:
                        raise
                    wait = _seconds(error.retry_after)
            log.warning("Telegram asked to wait %.0f s before answering chat %s", wait, chat_id)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")


def reminder_error(error: Exception) -> Exception:
    """The dispatcher's view of a Telegram failure. Blocked or unknown chats cannot be
    reached; another bad request is refused for good; a timeout before the request left
    (connecting, waiting for a connection) is a plain retry, after it a maybe-sent; other
    network errors and 5xx (PTB's NetworkError) are temporary. Anything else is raised
    as it is (the dispatcher retries it a few times)."""
    if isinstance(error.__cause__, Withheld):  # PTB wraps what its HTTP layer raises
        return error.__cause__
    if isinstance(error, RetryAfter):
        return RateLimited(_seconds(error.retry_after))
    if isinstance(error, Forbidden):
        return Unreachable(str(error))
    if isinstance(error, BadRequest):
        if "chat not found" in str(error).lower():
            return Unreachable(str(error))
        return PermanentFailure(str(error))
    if isinstance(error, TimedOut):
        cause = error.__cause__
        if (
            isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)
            or "pool" in str(error).lower()
        ):
            return TemporaryFailure(str(error))
        return MaybeSent(str(error))
    if isinstance(error, NetworkError):
        return TemporaryFailure(str(error))
    return error
