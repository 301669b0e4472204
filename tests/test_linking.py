"""One person, two channels: /lienket joins a Telegram and a Zalo account into one
person with one history once the account that made the code agrees, and reminders go
to the channel the person chose."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update

from bot.reminders import ReminderService
from handlers.context import Services
from handlers.conversation import Conversation
from handlers.messages import Incoming, Outgoing
from models.outbox import Owed, upsert
from models.people import Identity, Person
from models.plans import StatusUpdate
from tests.harness import Harness

_CODE = re.compile(r"Mã liên kết: ([A-Z0-9-]+)")


def incoming(channel: str, user: str, text: str = "", **extra: str) -> Incoming:
    fields = {"chat_id": user, "display_name": user, **extra}
    return Incoming(channel=channel, user_id=user, text=text, **fields)


def code_in(replies: list[Outgoing]) -> str:
    match = _CODE.search(replies[0].text)
    assert match, replies[0].text
    return match.group(1)


class Outbox:
    """The channels' side of the reminder service: what each channel was asked to send."""

    def __init__(self, bot: Harness) -> None:
        self.got: dict[str, list[tuple[str, Outgoing]]] = {"telegram": [], "zalo": []}
        services: Services = bot.conversation.services
        self.service = ReminderService(
            services, {channel: self._sender(channel) for channel in self.got}
        )

    def _sender(self, channel: str):  # noqa: ANN202
        async def send(chat_id: str, outgoing: Outgoing) -> str:
            self.got[channel].append((chat_id, outgoing))
            return str(len(self.got[channel]))

        return send

    async def deliver(self, containing: str = "") -> list[tuple[str, str, Outgoing]]:
        """Send what is due; returns (channel, chat id, message) of the new messages (those
        whose text has ``containing``: registration also plans the day's task reminders)."""
        before = {c: len(m) for c, m in self.got.items()}
        await self.service.dispatcher.tick()
        return [
            (channel, chat_id, message)
            for channel, messages in self.got.items()
            for chat_id, message in messages[before[channel] :]
            if containing in message.text
        ]


async def link_on_zalo(bot: Harness, owner: str, zalo_user: str) -> Outgoing:
    """``owner`` (Telegram) makes a code, ``zalo_user`` types it on Zalo; returns the
    question the owner receives."""
    code = code_in(await bot.say(owner, "/lienket"))
    asked = await bot.conversation.handle(incoming("zalo", zalo_user, f"/lienket {code}"))
    assert "Đã gửi yêu cầu liên kết" in asked[0].text, asked[0].text
    sent = await Outbox(bot).deliver(containing="liên kết")
    assert len(sent) == 1, sent
    return sent[0][2]


async def test_link_telegram_and_zalo_into_one_person(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/capnhat 1 đang thực hiện 30%")
    conversation: Conversation = bot.conversation
    code = code_in(await bot.say("lan", "/lienket"))
    assert len(code.replace("-", "")) >= 10

    wrong = await conversation.handle(incoming("zalo", "z-lan", "/lienket 000000"))
    assert "không đúng" in wrong[0].text
    asked = await conversation.handle(incoming("zalo", "z-lan", f"/lienket {code.lower()}"))
    assert "Đã gửi yêu cầu liên kết" in asked[0].text
    # nothing is joined before the owner agrees
    still_stranger = await conversation.handle(incoming("zalo", "z-lan", "/viec 1"))
    assert "chưa đăng ký" in still_stranger[0].text

    sent = await Outbox(bot).deliver(containing="liên kết")
    assert [(channel, chat) for channel, chat, _m in sent] == [("telegram", "lan")]
    question = sent[0][2]
    assert "Tài khoản Zalo «z-lan» xin liên kết" in question.text
    assert [b.label for row in question.buttons for b in row] == ["Đồng ý", "Không"]

    joined = await bot.say("lan", "/lienket đồng ý")
    assert "Đã liên kết tài khoản Zalo «z-lan»" in joined[0].text
    assert "Telegram, Zalo" in joined[0].text

    # on Zalo she is now the registered officer, with her Telegram history
    view = await conversation.handle(incoming("zalo", "z-lan", "/viec 1"))
    assert "đang thực hiện 30%" in view[0].text
    await conversation.handle(incoming("zalo", "z-lan", "Hoàn thành, QĐ số 5/QĐ-UBND ngày 10/01/2026"))
    async with sessions() as session:
        assert await session.scalar(select(func.count(Person.id))) == 1
        person = await session.scalar(select(Person))
        channels = sorted(await session.scalars(select(Identity.channel).where(Identity.person_id == person.id)))
        assert channels == ["telegram", "zalo"]
        writers = set(await session.scalars(select(StatusUpdate.person_id).where(StatusUpdate.kind == "status")))
        assert writers == {person.id}
        assert person.last_channel == "zalo"

    chosen = await conversation.handle(incoming("zalo", "z-lan", "/kenh telegram"))
    assert "Telegram" in chosen[0].text
    async with sessions() as session:
        assert (await session.scalar(select(Person))).preferred_channel == "telegram"


async def test_owner_agrees_with_the_button(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    question = await link_on_zalo(bot, "lan", "z-lan")
    agree = question.buttons[0][0].data
    joined = await bot.say("lan", callback=agree)
    assert "Đã liên kết tài khoản Zalo «z-lan»" in joined[0].text and joined[0].edit
    again = await bot.say("lan", callback=agree)  # a second press does nothing
    assert "Không có yêu cầu liên kết" in again[0].text
    async with sessions() as session:
        assert await session.scalar(select(func.count(Person.id))) == 1


async def test_owner_on_zalo_answers_with_a_number(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await Outbox(bot).deliver()  # the day's reminders planned at registration go first
    code = code_in(await bot.say("lan", "/lienket"))
    await bot.conversation.handle(incoming("telegram", "t-lan", f"/lienket {code}"))
    sent = await Outbox(bot).deliver(containing="liên kết")
    assert [(channel, chat) for channel, chat, _m in sent] == [("zalo", "lan")]
    question = sent[0][2]
    assert "Tài khoản Telegram «t-lan» xin liên kết" in question.text
    assert "1 = Đồng ý, 2 = Không" in question.text and not question.buttons
    refused = await bot.say("lan", "2")
    assert "Đã từ chối" in refused[0].text
    async with sessions() as session:
        assert await session.scalar(select(func.count(Person.id))) == 1  # the refused claimant left no row (issue 25, point 4)


async def test_reminders_follow_the_chosen_channel(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await link_on_zalo(bot, "lan", "z-lan")
    await bot.say("lan", "/lienket dongy")
    await bot.conversation.handle(incoming("zalo", "z-lan", "/viec"))
    outbox = Outbox(bot)
    async with sessions() as session, session.begin():
        person = await session.scalar(select(Person))
        await upsert(session, [Owed(1, None, "weekly_digest", "test", person.id, clock.now())])
    sent = await outbox.deliver()
    assert {channel for channel, _c, _m in sent} == {"zalo"}  # the channel used last
    await bot.conversation.handle(incoming("zalo", "z-lan", "/kenh telegram"))
    async with sessions() as session, session.begin():
        await upsert(session, [Owed(1, None, "weekly_digest", "test2", person.id, clock.now())])
    sent = await outbox.deliver()
    assert {channel for channel, _c, _m in sent} == {"telegram"}


async def test_link_cannot_take_over_an_account(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    refused = await bot.say("stranger", "/lienket")  # an unregistered account makes no code
    assert "Chỉ tài khoản đã đăng ký" in refused[0].text and "Mã liên kết:" not in refused[0].text
    await bot.register("minh", "officer", "Phòng Kinh tế")
    code = code_in(await bot.say("minh", "/lienket"))
    taken = await bot.say("lan", f"/lienket {code}")  # a registered account is never merged away
    assert "đã đăng ký" in taken[0].text
    async with sessions() as session:
        names = set(await session.scalars(select(Person.display_name)))
    assert {"Lan", "Minh"} <= names


async def test_personal_reminders_go_to_the_private_chat_not_the_group(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    code = await bot.invite("officer", "Phòng Văn hóa - Xã hội")
    group = {"chat_type": "group", "chat_id": "-1001"}
    # Registering in a group is refused now (tests/security/test_group_start.py); a person
    # who registered in a group before that rule has the group as their first chat.
    joined = await bot.conversation.handle(incoming("telegram", "lan", f"/dangky {code}"))
    assert "Đăng ký thành công" in joined[0].text
    async with sessions() as session, session.begin():
        await session.execute(update(Identity).values(chat_id="-1001"))
    outbox = Outbox(bot)
    async with sessions() as session, session.begin():
        person = await session.scalar(select(Person))
        await upsert(session, [Owed(1, None, "weekly_digest", "w1", person.id, clock.now())])
    sent = await outbox.deliver()
    assert {(channel, chat) for channel, chat, _m in sent} == {("telegram", "lan")}
    # Writing privately records the private chat; writing in the group again changes nothing.
    await bot.conversation.handle(incoming("telegram", "lan", "/viec"))
    await bot.conversation.handle(incoming("telegram", "lan", "/viec", **group))
    async with sessions() as session:
        assert await session.scalar(select(Identity.chat_id)) == "lan"


def test_which_chat_reaches_a_person() -> None:
    from models.reach import Reach, reach

    def identity(id_: int, channel: str, user: str, chat: str | None) -> Identity:
        return Identity(id=id_, channel=channel, external_id=user, chat_id=chat)

    person = Person(display_name="Lan", last_channel="telegram", preferred_channel=None)
    person.identities = [identity(1, "zalo", "z1", "zc1"), identity(2, "telegram", "77", "-100")]
    assert reach(person, {"telegram", "zalo"}) == Reach("telegram", "77", "77")
    person.preferred_channel = "zalo"
    assert reach(person, {"telegram", "zalo"}) == Reach("zalo", "zc1", "z1")
    assert reach(person, {"telegram"}) == Reach("telegram", "77", "77")  # only channels that can send
    assert reach(person, set()) is None


async def test_a_new_code_voids_the_question_not_yet_sent(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    code = code_in(await bot.say("lan", "/lienket"))
    await bot.conversation.handle(incoming("zalo", "z-lan", f"/lienket {code}"))
    await bot.say("lan", "/lienket")  # before the question went out
    assert not await Outbox(bot).deliver(containing="liên kết")
    assert "Không có yêu cầu" in (await bot.say("lan", "/lienket dongy"))[0].text
