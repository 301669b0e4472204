"""The inbox (``bot.channels.inbox``, ``models.inbox``): updates kept before the platform
counts them received, a repeat recognised (also after a restart, when memory is gone),
the unhandled ones handed back in the order they came, handled ones forgotten after
days. The stop in a real backlog is in ``test_stop_backlog_processes``."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from telegram import Update

from bot.channels.inbox import Inbox, source_of
from bot.channels.telegram_inbox import KeptQueue
from bot.channels.zalo import ZaloChannel
from models.inbox import KEEP_HANDLED
from tests.conftest import BACKENDS
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness
from tests.telegram_support import polling
from tests.test_zalo_channel import SECRET, STRANGER, config


def update(update_id: int, chat: int = 42, text: str = "/viec") -> Update:
    message = {"message_id": update_id, "date": 0, "chat": {"id": chat, "type": "private"},
               "from": {"id": chat, "is_bot": False, "first_name": "A"}, "text": text}  # fmt: skip
    return Update.de_json({"update_id": update_id, "message": message}, None)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_kept_repeated_handled_and_forgotten(sessions, clock) -> None:  # noqa: ANN001
    inbox = Inbox(sessions, source_of("telegram", "123:secret"), clock.now)
    assert "secret" not in inbox.source
    assert [await inbox.keep(key, "42", f'"{key}"') for key in ("7", "8", "9")] == [True] * 3
    assert await inbox.keep("8", "42", '"8"') is False  # a repeat
    await inbox.settled("8")
    assert await inbox.waiting() == ['"7"', '"9"']  # in the order they came
    assert await inbox.keep("8", "42", '"8"') is False  # handled: still a repeat
    other = Inbox(sessions, source_of("zalo", "123:secret"), clock.now)
    assert await other.keep("8", "42", '"z"') is True and await other.waiting() == ['"z"']
    clock.move_to(clock.now() + KEEP_HANDLED + timedelta(hours=1))
    assert await inbox.waiting() == ['"7"', '"9"']  # prunes the handled ones
    assert await inbox.keep("8", "42", '"8"') is True  # forgotten after days


async def test_telegram_queue_keeps_first_and_hands_back_what_was_not_handled(sessions, clock) -> None:  # noqa: ANN001
    inbox = Inbox(sessions, source_of("telegram", "123:x"), clock.now)
    queue = KeptQueue(inbox)
    for item in (update(5), update(6, chat=43), update(5)):  # 5 delivered again
        await queue.put(item)
    assert queue.qsize() == 0  # a getUpdates batch is kept at once, before the next call
    await queue.kept()
    assert [queue.get_nowait().update_id for _ in range(queue.qsize())] == [5, 6]
    await inbox.settled("5")
    after_restart = KeptQueue(inbox)
    assert await after_restart.requeue(None) == 1  # type: ignore[arg-type]
    again = after_restart.get_nowait()
    assert again.update_id == 6 and again.effective_chat.id == 43 and again.message.text == "/viec"
    await after_restart.put(update(6, chat=43))  # Telegram sends it once more: not queued twice
    await after_restart.kept()
    assert after_restart.qsize() == 0
    webhook = KeptQueue(inbox, keep_in_put=True)  # kept before the webhook answers 200
    await webhook.put(update(7))
    assert webhook.qsize() == 1


async def test_zalo_delivery_repeated_after_a_restart_is_answered_once(sessions, clock) -> None:  # noqa: ANN001
    harness = Harness(sessions, clock, channel="zalo")
    await harness.import_sample()
    async with FakeZalo() as zalo:
        delivery = zalo.update(STRANGER, text="/viec")
        for restart in range(2):  # the second channel remembers nothing: the inbox does
            channel = ZaloChannel(harness.conversation, config(zalo, mode="webhook"))
            await channel.start()
            try:
                url = f"http://127.0.0.1:{channel.webhook_port}/zalo/webhook"
                assert await zalo.post_webhook(url, SECRET, delivery) == 200
                if restart == 0:
                    await zalo.wait_for(lambda m: m.chat_id == STRANGER)
                await asyncio.wait_for(channel.lanes.idle(), 5)
                await asyncio.sleep(0.2)
            finally:
                await channel.stop()
        assert len(zalo.messages_to(STRANGER)) == 1


async def test_a_stop_while_an_answer_is_sent_neither_handles_it_again_nor_loses_the_next(sessions, clock) -> None:  # noqa: ANN001
    """The first message is handled and its answer hangs on the wire when the stop's
    grace ends: it counts as handled (the next start does not handle it again); the
    second, queued behind it in the same chat, never ran and stays kept."""
    harness = Harness(sessions, clock, channel="telegram")
    await harness.import_sample()
    async with FakeTelegram() as tg:
        tg.hang_sends(30, 3.0)  # every answer held 3 s, then 504
        async with polling(tg, harness) as channel:
            tg.send_text(1001, "xin chào")
            tg.send_text(1001, "cho tôi hỏi")
            await tg.wait_until(lambda: any(m == "sendMessage" for m, _ in tg.calls), what="an answer")
            assert len(await channel.inbox.waiting()) == 2  # both kept, neither done
            await channel.stop_handling(grace=0.2)  # the first's answer is still on the wire
            left = [Update.de_json(json.loads(p), None) for p in await channel.inbox.waiting()]
            assert [u.message.text for u in left] == ["cho tôi hỏi"]
