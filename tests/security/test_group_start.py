"""Registering and the group (issue 12, item 5; issue 25, small ones).

The rule now: an invite code is never used in a group. ``/dangky MÃ`` (or ``/start MÃ``)
typed in a group registers no one, voids a real code at once (the whole group has seen
it), tells the group politely to ask the admin for a new code and register in a private
chat with dondoc, and tells the organization's admins. Registering in a private chat
also means Telegram lets dondoc write to the person, which a group registration did not.

People who registered in a group before this rule and never opened a private chat are
still asked once, in that group, to press Start — without the task details — and their
reminders never go to the group."""

from __future__ import annotations

from sqlalchemy import func, select, update

from bot.reminders import ReminderService
from handlers.messages import Incoming, Outgoing
from handlers.people.group_codes import INVITE_SEEN
from models.attempts import AttemptCounter
from models.outbox import OutboxItem, Owed, upsert
from models.people import Identity, Invite, Person
from scheduler.dispatcher import Unreachable
from tests.harness import Harness

GROUP = "-1001"


def in_group(user: str, text: str) -> Incoming:
    return Incoming(channel="telegram", user_id=user, chat_id=GROUP, display_name=user.title(),
                    text=text, chat_type="group")  # fmt: skip


async def people(bot: Harness) -> list[str]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(Person.display_name).order_by(Person.id)))


async def test_an_invite_code_typed_in_a_group_is_voided(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("quan", "admin")
    code = await bot.invite("officer", "Phòng Văn hóa - Xã hội")
    answer = await bot.conversation.handle(in_group("lan", f"/dangky {code}"))
    text = answer[0].text
    assert "trò chuyện riêng" in text and "đã bị hủy" in text and "quản trị" in text
    assert "Đăng ký thành công" not in text and code not in text
    assert await people(bot) == ["Quan"]  # no row for the person who typed it
    async with sessions() as session:
        invite = await session.scalar(select(Invite).where(Invite.code == code))
        assert invite.uses_left == 0 and invite.expires_at <= clock.now()
        told = list(await session.scalars(select(OutboxItem).where(OutboxItem.kind == INVITE_SEEN)))
    assert len(told) == 1  # the admin, once
    # The code no longer works anywhere, a private chat included.
    refused = await bot.say("lan", f"/dangky {code}")
    assert "đã hết hạn" in refused[0].text and await people(bot) == ["Quan"]
    # The admin hears of it in their private chat, with the unit and the role, not the code.
    sent: list[tuple[str, Outgoing]] = []

    async def telegram(chat_id: str, outgoing: Outgoing) -> str:
        sent.append((chat_id, outgoing))
        return str(len(sent))

    service = ReminderService(bot.conversation.services, {"telegram": telegram})
    await service.dispatcher.tick()
    assert [chat for chat, _ in sent] == ["quan"]
    notice = sent[0][1].text
    assert "Phòng Văn hóa - Xã hội" in notice and "đã hủy mã" in notice and "/moi" in notice
    assert code not in notice
    # A second time in the group: nothing more to void, nobody told twice.
    again = await bot.conversation.handle(in_group("lan", f"/dangky {code}"))
    assert again[0].text == text
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.kind == INVITE_SEEN)) == 1


async def test_start_with_a_code_and_a_wrong_code_in_a_group(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    code = await bot.invite("leader")
    deep_link = await bot.conversation.handle(in_group("lan", f"/start {code}"))  # t.me/bot?start=CODE
    assert "đã bị hủy" in deep_link[0].text
    async with sessions() as session:
        assert (await session.scalar(select(Invite).where(Invite.code == code))).uses_left == 0
    wrong = await bot.conversation.handle(in_group("minh", "/dangky ABCDEFGH23"))
    assert wrong[0].text == deep_link[0].text  # the same answer: nothing learnt from it
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AttemptCounter)) >= 1  # a guess counted
    bare = await bot.conversation.handle(in_group("minh", "/dangky"))
    assert "trò chuyện riêng" in bare[0].text and "/dangky" in bare[0].text
    assert await people(bot) == []
    # The same person in a private chat, with a new code: registered as always.
    fresh = await bot.invite("leader")
    joined = await bot.say("lan", f"/dangky {fresh}")
    assert "Đăng ký thành công" in joined[0].text


async def test_registered_in_a_group_earlier_asked_once_there(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    async with sessions() as session, session.begin():  # as a group registration left it
        await session.execute(update(Identity).where(Identity.external_id == "lan").values(chat_id=GROUP))
    sent: list[tuple[str, Outgoing]] = []

    async def telegram(chat_id: str, outgoing: Outgoing) -> str:
        if chat_id == "lan":  # the private chat was never opened: Telegram refuses
            raise Unreachable("bot can't initiate conversation with a user")
        sent.append((chat_id, outgoing))
        return str(len(sent))

    service = ReminderService(bot.conversation.services, {"telegram": telegram})
    async with sessions() as session, session.begin():
        person = await session.scalar(select(Person))
        await session.execute(update(OutboxItem).values(state="cancelled"))  # only the digest below
        await upsert(session, [Owed(1, None, "weekly_digest", "w1", person.id, clock.now())])
    await service.dispatcher.tick()
    assert [chat for chat, _ in sent] == [GROUP]
    ask = sent[0][1].text
    assert "Start" in ask and "Lan" in ask and "Nhiệm vụ" not in ask
    async with sessions() as session, session.begin():
        await upsert(session, [Owed(1, None, "weekly_digest", "w2", person.id, clock.now())])
    await service.dispatcher.tick()
    assert len(sent) == 1  # asked once, not at every reminder


async def test_a_bare_code_in_a_group_is_voided_too(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("quan", "admin")
    code = await bot.invite("officer", "Phòng Kinh tế")
    read_aloud = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    # the admin answers a question in the group with the code alone (a reply to dondoc)
    said = Incoming(channel="telegram", user_id="quan", chat_id=GROUP, display_name="Quan",
                    text=read_aloud, chat_type="group", reply_to="1")  # fmt: skip
    answer = await bot.conversation.handle(said)
    assert "đã bị hủy" in answer[0].text
    async with sessions() as session:
        assert (await session.scalar(select(Invite).where(Invite.code == code))).uses_left == 0
    # a code-shaped word that is no invite is read as usual, nothing voided or counted
    other = Incoming(channel="telegram", user_id="quan", chat_id=GROUP, display_name="Quan",
                     text="ABCDEFGH23", chat_type="group", reply_to="1")  # fmt: skip
    assert "đã bị hủy" not in (await bot.conversation.handle(other))[0].text
