"""Attempt limits that slow a guesser without locking out the honest, and strangers who
leave no row (issue 25, points 2 and 4). The swarm, insider and row cases fail on the
main of issue 25: 20 strangers × 5 wrong /dangky locked every newcomer out, 6 insiders
× 5 wrong codes locked their commune, and every /start made a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import attempts
from models.attempts import COOLDOWN, PER_ACCOUNT, AttemptCounter, account_cooldown
from models.people import Identity, Person
from tests.conftest import BACKENDS
from tests.harness import Harness, sample_harness, text_of
from tests.test_linking import code_in, incoming

VHXH = "Phòng Văn hóa - Xã hội"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram", ("lan", "officer", VHXH))


async def count(bot: Harness, table: type) -> int:
    async with bot.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table))


async def test_a_swarm_of_strangers_cannot_lock_out_a_newcomer(bot: Harness) -> None:
    for account in range(20):
        for guess in range(5):
            await bot.say(f"mallory-{account}", f"/dangky WRONG{account:02d}{guess}")
    assert "quá nhiều lần" in text_of(await bot.say("mallory-3", "/dangky WRONG99999"))
    invite = await bot.invite("officer", VHXH)
    assert "Đăng ký thành công" in text_of(await bot.say("newcomer", f"/dangky {invite}"))


async def test_insiders_cannot_lock_their_commune(bot: Harness) -> None:
    for n in range(6):
        await bot.register(f"insider{n}", "officer", "Phòng Kinh tế")
        for guess in range(5):
            await bot.say(f"insider{n}", f"/dangky BAD{n}{guess:05d}")
    assert "quá nhiều lần" in text_of(await bot.say("insider0", f"/dangky {await bot.invite('viewer')}"))
    # lan is a member of the same commune and never guessed: her valid code works.
    assert "Đăng ký thành công" in text_of(await bot.say("lan", f"/dangky {await bot.invite('viewer')}"))


async def test_cool_downs_grow_for_one_account(bot: Harness) -> None:
    assert [account_cooldown(n) for n in (1, 4)] == [None, None]
    assert [account_cooldown(n) for n in range(5, 11)] == [timedelta(minutes=m) for m in (15, 30, 60, 120, 240, 240)]
    for guess in range(PER_ACCOUNT):
        assert "không đúng" in text_of(await bot.say("eve", f"/dangky WRONG{guess:05d}"))
    assert "15 phút" in text_of(await bot.say("eve", "/dangky WRONG99999"))
    bot.clock.move_to(bot.clock.now() + COOLDOWN + timedelta(seconds=1))
    assert "không đúng" in text_of(await bot.say("eve", "/dangky WRONG88888"))
    assert "30 phút" in text_of(await bot.say("eve", "/dangky WRONG77777"))
    bot.clock.move_to(bot.clock.now() + timedelta(hours=25))  # forgotten after a day
    assert "không đúng" in text_of(await bot.say("eve", "/dangky WRONG66666"))


async def test_the_global_ceiling_holds_back_guessers_not_first_attempts(bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attempts, "GLOBAL", 10)
    monkeypatch.setattr(attempts, "PER_CHANNEL_STRANGERS", 1000)
    for n in range(10):
        await bot.say(f"flood-{n}", f"/dangky FLOOD{n:05d}")
    assert "quá nhiều lần" in text_of(await bot.say("flood-1", "/dangky FLOOD99999"))
    invite = await bot.invite("viewer")
    assert "Đăng ký thành công" in text_of(await bot.say("honest", f"/dangky {invite}"))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_strangers_leave_no_person_and_no_name(bot: Harness) -> None:
    people, accounts = await count(bot, Person), await count(bot, Identity)
    code = code_in(await bot.say("lan", "/lienket"))
    for n, text in enumerate(["/start", "/start@dondoc_bot", "/dangky", "/dangky SAI0000000", "/lienket", "/lienket SAI00-00000", "/lienket dongy", "/start SAI0000000", "/lienket khong"]):
        await bot.say(f"Kẻ Lạ {n}", text)
    assert (await count(bot, Person), await count(bot, Identity)) == (people, accounts)
    async with bot.sessions() as session:
        scopes = list(await session.scalars(select(AttemptCounter.scope)))
    assert scopes and not [s for s in scopes if "Kẻ" in s or "Lạ" in s]  # counted by hashed ids
    # A refused link request leaves no row either; an accepted one keeps one person.
    await bot.conversation.handle(incoming("zalo", "z-eve", f"/lienket {code}"))
    assert await count(bot, Person) == people + 1  # waiting for lan's answer
    await bot.say("lan", "/lienket khong")
    assert (await count(bot, Person), await count(bot, Identity)) == (people, accounts)
    bot.clock.move_to(bot.clock.now() + timedelta(days=2))
    await bot.say("newcomer", "/dangky SAI1111111")
    async with bot.sessions() as session:  # counts expire
        assert len(list(await session.scalars(select(AttemptCounter.scope)))) <= 4
