"""One person, two channels: /lienket joins a Telegram and a Zalo account into one
person with one history, and reminders go to the channel the person chose."""

from __future__ import annotations

from sqlalchemy import func, select

from handlers.context import Services
from handlers.messages import Incoming, Outgoing
from handlers.router import Conversation
from models.people import Identity, Person
from models.plans import StatusUpdate
from tests.harness import Harness


def incoming(channel: str, user: str, text: str) -> Incoming:
    return Incoming(channel=channel, user_id=user, chat_id=user, display_name=user, text=text)


async def test_link_telegram_and_zalo_into_one_person(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.say("lan", "/capnhat 1 đang thực hiện 30%")
    conversation: Conversation = bot.conversation
    code_reply = await bot.say("lan", "/lienket")
    code = code_reply[0].text.split("Mã liên kết: ")[1].split()[0]

    wrong = await conversation.handle(incoming("zalo", "z-lan", "/lienket 000000"))
    assert "không đúng" in wrong[0].text
    joined = await conversation.handle(incoming("zalo", "z-lan", f"/lienket {code}"))
    assert "Đã liên kết" in joined[0].text and "Telegram, Zalo" in joined[0].text

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


async def test_reminders_follow_the_chosen_channel(sessions, clock) -> None:  # noqa: ANN001
    from bot.reminders import ReminderService

    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    code = (await bot.say("lan", "/lienket"))[0].text.split("Mã liên kết: ")[1].split()[0]
    await bot.conversation.handle(incoming("zalo", "z-lan", f"/lienket {code}"))
    got: dict[str, list[Outgoing]] = {"telegram": [], "zalo": []}

    def sender(channel: str):  # noqa: ANN202
        async def send(chat_id: str, outgoing: Outgoing) -> str:
            got[channel].append(outgoing)
            return str(len(got[channel]))

        return send

    services: Services = bot.conversation.services
    service = ReminderService(services, {"telegram": sender("telegram"), "zalo": sender("zalo")})
    async with sessions() as session, session.begin():
        from models.outbox import Owed, upsert

        person = await session.scalar(select(Person))
        await upsert(session, [Owed(1, None, "weekly_digest", "test", person.id, clock.now())])
    await service.dispatcher.tick()
    assert len(got["zalo"]) == 1 and not got["telegram"]  # the channel used last
    await bot.conversation.handle(incoming("zalo", "z-lan", "/kenh telegram"))
    async with sessions() as session, session.begin():
        await upsert(session, [Owed(1, None, "weekly_digest", "test2", person.id, clock.now())])
    await service.dispatcher.tick()
    assert len(got["telegram"]) == 1


async def test_link_cannot_take_over_an_account(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    refused = await bot.say("stranger", "/lienket")  # an unregistered account makes no code
    assert "Chỉ tài khoản đã đăng ký" in refused[0].text and "Mã liên kết" not in refused[0].text
    await bot.register("minh", "officer", "Phòng Kinh tế")
    code = (await bot.say("minh", "/lienket"))[0].text.split("Mã liên kết: ")[1].split()[0]
    taken = await bot.say("lan", f"/lienket {code}")  # a registered account is never merged away
    assert "đã đăng ký" in taken[0].text
    async with sessions() as session:
        names = set(await session.scalars(select(Person.display_name)))
    assert {"Lan", "Minh"} <= names
