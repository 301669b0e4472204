"""The Zalo channel: Zalo Bot Platform updates in (long polling or a webhook), turned
into ``Incoming``; ``Outgoing`` turned into ``sendMessage`` calls; nothing else.

Zalo bots have private chats only, no buttons, no documents and no edits, so on Zalo
everything works by typed text: the router already turns buttons into numbered choices
("Trả lời 1 = …"); a document cannot be sent, so its text goes alone (the handlers say
where to get the file); a text over 2000 characters goes as several messages.

Updates of one chat are handled one after another, in the order they came; different
chats side by side (``bot.channels.lanes``: a bounded handling pool, a smaller one for
pictures and reports, answers sent outside it, a polite word to a person who floods). A
webhook answers 200 at once and handles the update in the background; a request
without the right ``X-Bot-Api-Secret-Token`` gets 403; a delivery Zalo repeats (same
message id) is handled once.

Zalo's ``getUpdates`` has no offset (an update counts as received once handed over):
each is kept (``bot.channels.inbox``) before it is queued, marked when handled. A stop
(``quiet``) lets what is handled finish within ``STOP_GRACE``; the rest goes first at
the next start (``resume``). A kill -9 between Zalo's answer and the keeping (ms) loses
that update: Zalo offers no way to confirm later.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import logging
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from bot.channels.busy import busy_text, dropped_text, is_heavy
from bot.channels.inbox import Inbox, source_of
from bot.channels.lanes import HANDLERS, ChatLanes
from bot.channels.zalo_client import MAYBE_SENT, TooLarge, ZaloApiError, ZaloClient, mask
from bot.download_links import DownloadShelf
from bot.file_server import add_download_routes
from bot.http_guard import guarded_site
from handlers.conversation import Conversation
from handlers.messages import Attachment, Incoming, Outgoing
from handlers.people.newcomers import is_registered
from scheduler.dispatcher import (
    MaybeSent,
    PermanentFailure,
    RateLimited,
    TemporaryFailure,
    Unreachable,
)

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
CHANNEL = "zalo"
STOP_GRACE = 5.0  # seconds given to updates in progress when stopping
MAX_DOWNLOAD = 20 * 1024 * 1024  # a picture larger is not downloaded (the evidence limit)
REMEMBERED_IDS = 1000  # recent message ids, so that a delivery retried by Zalo is handled once
UNREACHABLE = frozenset({403, 404})  # not verified against Zalo: their codes are undocumented


class ZaloSettings(Protocol):
    """The ``[zalo]`` section of the config (``bot.config.ZaloConfig``)."""

    token: str
    base_url: str
    mode: str  # "polling" | "webhook"
    webhook_secret: str
    webhook_listen: str
    webhook_port: int
    webhook_path: str
    poll_timeout: int


def to_incoming(update: dict[str, Any]) -> Incoming | None:
    """The ``Incoming`` of one Zalo update, or ``None`` for what is not a person's message.

    Images come as their URL (``Attachment(kind="photo", ref=url)``, no data yet: the
    channel downloads the picture itself before handling it, ``fetch_picture``) and their
    caption as text; stickers and unsupported messages come as an empty text."""
    if isinstance(update.get("result"), dict) and "event_name" not in update:
        update = update["result"]  # some deliveries wrap the update like an API answer
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    sender, chat = message.get("from") or {}, message.get("chat") or {}
    if not sender.get("id") or sender.get("is_bot"):
        return None
    event = str(update.get("event_name") or "")
    text = message.get("text") or message.get("caption") or ""
    attachment = None
    if event == "message.image.received":
        url = message.get("photo") or message.get("photo_url") or message.get("url")
        if url:
            attachment = Attachment("anh.jpg", b"", "photo", ref=str(url))
    elif event != "message.text.received":
        text = ""  # stickers, unsupported: the router answers what it can
    return Incoming(
        channel=CHANNEL,
        user_id=str(sender["id"]),
        chat_id=str(chat.get("id") or sender["id"]),
        display_name=str(sender.get("display_name") or sender.get("name") or ""),
        text=str(text),
        chat_type="private"
        if str(chat.get("chat_type", "PRIVATE")).upper() == "PRIVATE"
        else "group",
        message_id=str(message["message_id"]) if message.get("message_id") else None,
        attachment=attachment,
    )


class ZaloChannel:
    def __init__(
        self,
        conversation: Conversation,
        config: ZaloSettings,
        *,
        client: ZaloClient | None = None,
        concurrency: int = HANDLERS,
        max_download: int = MAX_DOWNLOAD,
        downloads: DownloadShelf | None = None,
    ) -> None:
        """``concurrency``: how many messages (of different chats) are handled at once.
        ``max_download``: the largest picture fetched (the evidence file limit)."""
        self.max_download = max_download
        self.conversation = conversation
        self.config = config
        self._own_client = client is None
        self.client = client or ZaloClient(
            config.token, config.base_url, picture_hosts=config.picture_hosts
        )
        self._poller: asyncio.Task[None] | None = None
        self._receiving: asyncio.Future[bool] | None = None  # the update being kept
        self._runner: web.AppRunner | None = None
        self._seen: deque[str] = deque(maxlen=REMEMBERED_IDS)
        self.lanes = ChatLanes(
            handlers=concurrency,
            on_busy=lambda chat: self._notice(chat, busy_text()),
            on_dropped=lambda chat: self._notice(chat, dropped_text()),
        )
        self.bot: dict[str, Any] = {}
        self.downloads = downloads  # served on the webhook's server (bot.file_server)

    @functools.cached_property
    def inbox(self) -> Inbox:
        services = self.conversation.services
        return Inbox(services.sessions, source_of("zalo", self.config.token), services.clock.now)

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, *, poll: bool = True) -> None:
        """Check the token (getMe), then poll or serve the webhook, per ``config.mode``.
        ``poll`` False: the caller starts polling when this process's turn comes
        (``bot.poll_turn``: one poller per bot on a shared PostgreSQL database)."""
        self.bot = await self.client.get_me()
        name = self.bot.get("account_name") or self.bot.get("id")
        log.info("Zalo bot %s ready (%s)", name, self.config.mode)
        if self.config.mode == "webhook":
            await self.resume()
            await self._start_webhook()
        elif poll:
            await self.start_polling()

    async def start_polling(self) -> None:
        if self._poller is not None:
            return
        try:  # getUpdates and a webhook exclude each other
            await self.client.delete_webhook()
        except ZaloApiError as err:
            log.info("Zalo deleteWebhook: %s", err)
        await self.resume()
        self._poller = asyncio.create_task(self._poll(), name="zalo-poll")

    async def stop_polling(self) -> None:
        """Stop polling, then handling (``STOP_GRACE``): the rest stays kept."""
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(
                self._poller, self._receiving or self._poller, return_exceptions=True
            )
            self._poller = None
        await self.lanes.close(STOP_GRACE)
        await self.inbox.stopped()

    async def quiet(self) -> None:
        """Stop receiving (polling or the webhook) and handling, within the grace."""
        await self.stop_polling()
        if self._runner is not None:  # (the lanes are closed: what comes is kept)
            await self._runner.cleanup()
            self._runner = None

    async def stop(self) -> None:
        await self.quiet()
        if self._own_client:
            await self.client.aclose()

    @property
    def running(self) -> bool:
        return self._poller is not None or self._runner is not None

    # -- receiving --------------------------------------------------------------------------

    async def _poll(self) -> None:
        failures = 0
        while True:
            try:
                updates = await self.client.get_updates(self.config.poll_timeout)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the client already retried; keep the bot alive
                failures += 1
                delay = min(0.5 * 2**failures, 60.0)
                log.error(
                    "Zalo getUpdates failed: %s; polling again in %.0f s", mask(str(exc)), delay
                )
                await asyncio.sleep(delay)
                continue
            failures = 0
            for update in updates:  # Zalo counts it received: a stop waits until it is kept
                self._receiving = asyncio.ensure_future(self.receive(update))
                await asyncio.shield(self._receiving)

    async def receive(self, update: dict[str, Any]) -> bool:
        """Keep ``update``, then queue it in its chat's lane; False when it is not
        handled (not a message, a repeat, a flood). A malformed one raises first."""
        incoming = to_incoming(update)
        if incoming is None:
            log.info("Zalo update ignored: %s", update.get("event_name"))
            return False
        key = incoming.message_id
        if key and key not in self._seen:
            if not await self.inbox.keep(key, incoming.chat_id, json.dumps(update)):
                self._seen.append(key)  # kept before: handled, or queued by ``resume``
        return await self._queue(incoming)

    async def _queue(self, incoming: Incoming, *, kept: bool = False) -> bool:
        key = incoming.message_id
        if key and not kept:  # ``kept``: from the inbox, to be handled whatever was seen
            if key in self._seen:
                log.info("Zalo message %s delivered again: ignored", key)
                return False
            self._seen.append(key)
        if self.lanes.closed:  # stopping: kept, handled at the next start
            return False
        if self.lanes.submit(incoming.chat_id, lambda: self._in_turn(incoming)):
            return True
        if key:  # refused (the chat floods), and the chat was told
            await self.inbox.settled(key)
        return False

    async def resume(self) -> None:
        """Before receiving: take work again; queue first what a stop left unhandled."""
        self.lanes.reopen()
        waiting = await self.inbox.waiting()
        for payload in waiting:
            if (incoming := to_incoming(json.loads(payload))) is not None:
                await self._queue(incoming, kept=True)
        if waiting:
            log.info("Zalo: %d tin nhận trước khi dừng được xử lý tiếp", len(waiting))

    async def _in_turn(self, incoming: Incoming) -> None:
        try:
            await self.handle(incoming)
        except Exception as exc:  # failed: handling it again would fail again
            log.error("Zalo message %s failed: %s", incoming.message_id, mask(str(exc)))
        if incoming.message_id:  # not when cancelled at the end of a stop's grace
            await self.inbox.settled(incoming.message_id)

    async def _notice(self, chat_id: str, text: str) -> None:
        """A word to a chat that floods (``ChatLanes``), sent out of turn."""
        await self.send(chat_id, Outgoing(text))

    async def handle(self, incoming: Incoming) -> None:
        """Answer one message: the conversation's replies, sent in order, each remembered
        under the id of its last piece (the one a reply would refer to). The handling
        takes a place in the lanes' pool; the sending does not."""
        try:
            await self.client.send_chat_action(incoming.chat_id, "typing")
        except ZaloApiError:
            pass  # cosmetic
        heavy = is_heavy(incoming.text, has_file=incoming.attachment is not None)
        async with self.lanes.handling(heavy=heavy):
            incoming = await self.fetch_picture(incoming)
            replies = await self.conversation.handle(incoming)
        if incoming.message_id:  # a stop while sending does not handle it again
            self.inbox.answered(incoming.message_id)
        for reply in replies:
            last = await self.send(reply.chat_id or incoming.chat_id, reply)
            if last:
                await self.conversation.remember_sent(incoming, reply, last)

    async def fetch_picture(self, incoming: Incoming) -> Incoming:
        """The picture itself, not only its link (Zalo's links expire): downloaded up to
        ``max_download`` bytes, for a registered person only, from Zalo's hosts only
        (``ZaloClient.download``). Too large: no data, the size (the handlers say so); a
        failed download: no data (the handlers ask to send it again)."""
        picture = incoming.attachment
        if picture is None or picture.data or not picture.ref:
            return incoming
        if not await is_registered(self.conversation.services.sessions, "zalo", incoming.user_id):
            return incoming  # a stranger's picture is never fetched (the answer: /dangky)
        try:
            data = await self.client.download(picture.ref, self.max_download)
        except TooLarge as too_large:
            return replace(incoming, attachment=replace(picture, size=too_large.size))
        except ZaloApiError as err:
            log.warning("Zalo picture of message %s not downloaded: %s", incoming.message_id, err)
            return incoming
        return replace(incoming, attachment=replace(picture, data=data))

    # -- sending ----------------------------------------------------------------------------

    async def send(self, chat_id: str, outgoing: Outgoing) -> str | None:
        """Send one ``Outgoing`` to ``chat_id``; returns the id of the last message sent.

        Buttons are not shown (Zalo has none: the router made them numbered choices), a
        document is not sent (Zalo bots cannot), a picture only if it has a URL."""
        last: str | None = None
        ids = await self.client.send_message(str(chat_id), outgoing.text)
        if ids:
            last = ids[-1]
        photo = outgoing.photo
        if photo is not None and photo.ref and photo.ref.startswith(("https://", "http://")):
            last = await self.client.send_photo(str(chat_id), photo.ref)
        return last or None

    async def probe(self) -> bool:
        """Whether Zalo answers (``getMe``), asked while the reminders back off."""
        await self.client.call("getMe", retries=0, http_timeout=5)
        return True

    async def send_reminder(self, chat_id: str, outgoing: Outgoing) -> str | None:
        """``send`` for the reminder dispatcher (a ``bot.reminders.Sender``): Zalo's
        errors become the dispatcher's (rate limited, try later, cannot be reached)."""
        try:
            return await self.send(chat_id, outgoing)
        except ZaloApiError as err:
            raise dispatcher_error(err) from None

    # -- webhook ----------------------------------------------------------------------------

    async def _start_webhook(self) -> None:
        from aiohttp import web  # only the webhook mode needs aiohttp

        if not self.config.webhook_secret:
            raise ValueError("Zalo webhook mode needs a webhook_secret")
        app = web.Application(client_max_size=1024**2)
        app.router.add_post(self.config.webhook_path, self._on_webhook)
        if self.downloads is not None:
            add_download_routes(app, self.downloads)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = guarded_site(self._runner, self.config.webhook_listen, self.config.webhook_port)
        await site.start()
        public_url = getattr(self.config, "webhook_url", "")
        if public_url:
            await self.client.set_webhook(public_url, self.config.webhook_secret)
        log.info("Zalo webhook listening on port %s%s", self.webhook_port, self.config.webhook_path)

    @property
    def webhook_port(self) -> int | None:
        """The port the webhook server listens on (useful when configured as 0)."""
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def _on_webhook(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        given = request.headers.get(SECRET_HEADER, "")
        expected = self.config.webhook_secret
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("Zalo webhook call refused: wrong or missing secret token")
            return web.json_response({"ok": False, "description": "Forbidden"}, status=403)
        try:
            update = json.loads(await request.read())
            if not isinstance(update, dict):
                raise ValueError("not an update")
            await self.receive(update)  # reads the update at once: a malformed one raises
        except Exception as error:  # garbage with the right secret: the caller's mistake
            log.warning("Zalo webhook: a body that is not an update (%s)", type(error).__name__)
            return web.json_response({"ok": False, "description": "Bad Request"}, status=400)
        return web.json_response({"ok": True})


def dispatcher_error(err: ZaloApiError) -> Exception:
    """The reminder dispatcher's view of a Zalo failure (after the client's retries)."""
    if err.error_code == 429:
        return RateLimited(err.retry_after or 30.0)
    if err.error_code in UNREACHABLE:
        return Unreachable(str(err))
    if err.error_code == 400:  # the message itself was refused: sending again cannot help
        return PermanentFailure(str(err))
    if err.error_code == MAYBE_SENT:
        return MaybeSent(str(err))
    return TemporaryFailure(str(err))  # network (0), timeouts, 5xx and the unknown codes
