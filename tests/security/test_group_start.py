"""Personal reminders and the group (issue 12, item 5): a person who registered by
typing /dangky in a group and never opened a private chat is asked once, in that group,
to press Start — without the task details — and their reminders never go to the group."""

from __future__ import annotations

from sqlalchemy import select

from bot.reminders import ReminderService
from handlers.messages import Incoming, Outgoing
from models.outbox import Owed, upsert
from models.people import Person
from scheduler.dispatcher import Unreachable
from tests.harness import Harness

GROUP = "-1001"


async def test_asked_once_in_the_group_never_given_task_details(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    code = await bot.invite("officer", "Phòng Văn hóa - Xã hội")
    joined = await bot.conversation.handle(
        Incoming(channel="telegram", user_id="lan", chat_id=GROUP, display_name="Lan",
                 text=f"/dangky {code}", chat_type="group")  # fmt: skip
    )
    assert "Đăng ký thành công" in joined[0].text
    sent: list[tuple[str, Outgoing]] = []

    async def telegram(chat_id: str, outgoing: Outgoing) -> str:
        if chat_id == "lan":  # the private chat was never opened: Telegram refuses
            raise Unreachable("bot can't initiate conversation with a user")
        sent.append((chat_id, outgoing))
        return str(len(sent))

    service = ReminderService(bot.conversation.services, {"telegram": telegram})
    async with sessions() as session, session.begin():
        person = await session.scalar(select(Person))
        await upsert(session, [Owed(1, None, "weekly_digest", "w1", person.id, clock.now())])
    await service.dispatcher.tick()
    assert [chat for chat, _ in sent] == [GROUP]
    ask = sent[0][1].text
    assert "Start" in ask and "Lan" in ask and "Nhiệm vụ" not in ask
    async with sessions() as session, session.begin():
        await upsert(session, [Owed(1, None, "weekly_digest", "w2", person.id, clock.now())])
    await service.dispatcher.tick()
    assert len(sent) == 1  # asked once, not at every reminder
