"""Who decides an extension (issue 12, item 8): nobody decides their own request; in an
organization with an admin and no leader the request reaches the admin; with no one to
decide, the officer is told so instead of "sent to the leaders"."""

from __future__ import annotations

from sqlalchemy import select

from models.outbox import OutboxItem
from models.plans import StatusUpdate
from tests.harness import Harness, text_of


async def requests_to(bot: Harness) -> list[int]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(OutboxItem.recipient_id).where(OutboxItem.kind == "extension_request")))


async def test_no_one_to_decide_is_said(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    answer = text_of(await bot.say("lan", "/giahan 1 20/1 chờ kinh phí"))
    assert "chưa có lãnh đạo nào" in answer and "đã được gửi tới lãnh đạo" not in answer
    assert await requests_to(bot) == []


async def test_an_admin_without_leaders_gets_the_request(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("ha", "admin")
    answer = text_of(await bot.say("lan", "/giahan 1 20/1 chờ kinh phí"))
    assert "đã được gửi tới lãnh đạo" in answer
    assert len(await requests_to(bot)) == 1
    assert "Đã duyệt gia hạn nhiệm vụ 1" in text_of(await bot.say("ha", "/duyet 1"))


async def test_a_leader_cannot_approve_their_own_request(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock)
    await bot.import_sample()
    await bot.register("trinh", "leader")
    await bot.say("trinh", "/giahan 1 20/1 chờ kinh phí")
    assert "chính mình" in text_of(await bot.say("trinh", "/duyet 1"))
    async with bot.sessions() as session:
        kinds = list(await session.scalars(select(StatusUpdate.kind)))
    assert "extension_request" in kinds and "extension_approved" not in kinds
