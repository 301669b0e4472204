"""Attacks on /lienket and /dangky, tried as a stranger would (issue 12, item 1): guess
codes, use a code seen in a group, reuse one, forge button data, wait out the expiry,
aim at an admin. None of them may join an account or register anyone."""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from handlers.conversation import Conversation
from models.attempts import (
    COOLDOWN,
    PER_ACCOUNT,
    STRANGERS,
    AttemptCounter,
    locked_until,
    record_failure,
    scopes_for,
)
from models.invites import ALPHABET, CODE_LENGTH
from models.linking import LINK_LENGTH
from models.people import Identity, Membership, Person
from tests.conftest import BACKENDS
from tests.harness import Harness
from tests.test_linking import Outbox, code_in, incoming, link_on_zalo


async def _people(sessions) -> int:  # noqa: ANN001
    async with sessions() as session:
        return await session.scalar(select(func.count(Person.id)))


async def _identities_of(sessions, name: str) -> set[str]:  # noqa: ANN001
    async with sessions() as session:
        person = await session.scalar(select(Person).where(Person.display_name == name))
        return set(await session.scalars(select(Identity.external_id).where(Identity.person_id == person.id)))


async def _owner(sessions, clock, role: str = "officer", unit: str | None = "Phòng Văn hóa - Xã hội") -> Harness:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="telegram")
    await bot.import_sample()
    await bot.register("lan", role, unit)
    return bot


def test_codes_are_too_long_to_guess() -> None:
    # 50 bits: at the strangers' limit (100 per 15 minutes, all day, every day) one live
    # code is hit less than once in a hundred thousand years.
    assert LINK_LENGTH >= 10 and CODE_LENGTH >= 10
    bits = LINK_LENGTH * math.log2(len(set(ALPHABET)))
    guesses_per_year = STRANGERS * (365 * 24 * 60 / 15)
    assert bits >= 50 and guesses_per_year / 2**bits < 1e-5


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_wrong_guesses_from_several_processes_all_count(sessions, clock) -> None:  # noqa: ANN001
    scopes = scopes_for("zalo", "mallory", [])
    now = clock.now()

    async def guess() -> None:  # one bot process, its own transaction
        async with sessions() as session, session.begin():
            await record_failure(session, scopes, now)

    await asyncio.gather(*(guess() for _ in range(PER_ACCOUNT - 1)))
    async with sessions() as session:
        counted = await session.get(AttemptCounter, scopes[0].name)
        assert counted.failures == PER_ACCOUNT - 1 and counted.locked_until is None
        assert (await session.get(AttemptCounter, "strangers:zalo")).failures == PER_ACCOUNT - 1
    await guess()
    async with sessions() as session:
        assert await locked_until(session, scopes, now) == now + COOLDOWN
        assert await locked_until(session, scopes, now + COOLDOWN) is None  # the cool-down ends


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_brute_force_on_a_link_code_stops_after_the_limit(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    code = code_in(await bot.say("lan", "/lienket"))
    for guess in range(PER_ACCOUNT):
        wrong = await bot.conversation.handle(incoming("zalo", "mallory", f"/lienket AAAAA-AAA{guess:02d}"))
        assert "không đúng" in wrong[0].text
    # The right code no longer helps: during the cool-down no code is looked at at all.
    locked = await bot.conversation.handle(incoming("zalo", "mallory", f"/lienket {code}"))
    assert "quá nhiều lần nhập sai" in locked[0].text and "15 phút" in locked[0].text
    # Kept in the database: another process (a new Conversation) sees the same lock.
    other_process = Conversation(bot.conversation.services)
    again = await other_process.handle(incoming("zalo", "mallory", f"/lienket {code}"))
    assert "quá nhiều lần nhập sai" in again[0].text
    assert not await Outbox(bot).deliver(containing="liên kết")  # the owner was never asked
    clock.move_to(clock.now() + COOLDOWN + timedelta(seconds=1))
    code = code_in(await bot.say("lan", "/lienket"))
    later = await bot.conversation.handle(incoming("zalo", "mallory", f"/lienket {code}"))
    assert "Đã gửi yêu cầu liên kết" in later[0].text


async def test_a_swarm_of_fresh_accounts_gets_one_guess_each(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    code = code_in(await bot.say("lan", "/lienket"))
    for n in range(STRANGERS):  # each account guesses once, under its own limit
        await bot.conversation.handle(incoming("zalo", f"bot-{n}", f"/lienket ZZZZZ-{n:05d}"))
    # The strangers' source is locked now: an account that guessed wrong waits...
    again = await bot.conversation.handle(incoming("zalo", "bot-0", f"/lienket {code}"))
    assert "quá nhiều lần nhập sai" in again[0].text
    # ...but a fresh account's first attempt is always looked at (issue 25, point 2).
    fresh = await bot.conversation.handle(incoming("zalo", "bot-fresh", f"/lienket {code}"))
    assert "Đã gửi yêu cầu liên kết" in fresh[0].text
    invite = await bot.invite("viewer")
    assert "Đăng ký thành công" in (await bot.say("lan", f"/dangky {invite}"))[0].text


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_brute_force_on_invite_codes_stops_after_the_limit(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    invite = await bot.invite("admin")
    assert len(invite) >= 10
    for guess in range(PER_ACCOUNT):
        wrong = await bot.say("mallory", f"/dangky WRONG{guess:05d}")
        assert "không đúng" in wrong[0].text
    locked = await bot.say("mallory", f"/dangky {invite}")
    assert "quá nhiều lần nhập sai" in locked[0].text
    via_start = await bot.say("mallory", f"/start {invite}")  # the deep link too
    assert "quá nhiều lần nhập sai" in via_start[0].text
    async with sessions() as session:
        roles = set(await session.scalars(select(Membership.role)))
    assert roles == {"officer"}  # lan only: mallory got nothing
    clock.move_to(clock.now() + COOLDOWN + timedelta(seconds=1))
    assert "Đăng ký thành công" in (await bot.say("mallory", f"/dangky {invite}"))[0].text


async def test_a_link_code_is_never_shown_in_a_group(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    asked = await bot.say("lan", "/lienket", chat_type="group")
    assert "Mã liên kết:" not in asked[0].text and "riêng" in asked[0].text
    async with sessions() as session:
        from models.linking import LinkCode

        assert await session.scalar(select(func.count(LinkCode.id))) == 0


async def test_a_code_typed_in_a_group_is_void(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    code = code_in(await bot.say("lan", "/lienket"))
    seen = await bot.conversation.handle(
        incoming("telegram", "mallory", f"/lienket {code}", chat_type="group", chat_id="-100")
    )
    assert "riêng" in seen[0].text and "Đã gửi yêu cầu" not in seen[0].text
    # Whoever read it in the group cannot use it in private either.
    private = await bot.conversation.handle(incoming("zalo", "eve", f"/lienket {code}"))
    assert "không đúng" in private[0].text
    assert not await Outbox(bot).deliver(containing="liên kết")
    assert await _people(sessions) == 1  # lan: nobody joined, no stranger left a row


async def test_a_code_is_used_once(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    code = code_in(await bot.say("lan", "/lienket"))
    first = await bot.conversation.handle(incoming("zalo", "z-lan", f"/lienket {code}"))
    assert "Đã gửi yêu cầu" in first[0].text
    second = await bot.conversation.handle(incoming("zalo", "mallory", f"/lienket {code}"))
    assert "không đúng" in second[0].text
    sent = await Outbox(bot).deliver(containing="liên kết")
    assert len(sent) == 1 and "«z-lan»" in sent[0][2].text and "mallory" not in sent[0][2].text
    await bot.say("lan", "/lienket dongy")
    assert await _identities_of(sessions, "Lan") == {"lan", "z-lan"}
    # After the link, the same code joins nothing more.
    third = await bot.conversation.handle(incoming("zalo", "eve", f"/lienket {code}"))
    assert "không đúng" in third[0].text
    assert await _identities_of(sessions, "Lan") == {"lan", "z-lan"}


async def test_forged_button_data_joins_nothing(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    await bot.register("minh", "officer", "Phòng Kinh tế")
    question = await link_on_zalo(bot, "lan", "z-lan")
    agree = question.buttons[0][0].data
    # Another registered person presses (or forges) lan's button: nothing happens.
    for forged in (agree, "lkok:99999999999999999999", "lkok:-1", "lkok:", "lkno:" + agree[5:]):
        out = await bot.say("minh", callback=forged)
        assert "Đã liên kết" not in out[0].text and "Đã từ chối" not in out[0].text, forged
    # A stranger typing the agreement word has nothing to agree to.
    typed = await bot.conversation.handle(incoming("zalo", "z-lan", "/lienket dongy"))
    assert "Không có yêu cầu liên kết" in typed[0].text
    assert await _identities_of(sessions, "Lan") == {"lan"}
    assert await _identities_of(sessions, "Minh") == {"minh"}
    # lan's own request is still there for her to answer.
    joined = await bot.say("lan", callback=agree)
    assert "Đã liên kết" in joined[0].text
    assert await _identities_of(sessions, "Lan") == {"lan", "z-lan"}


async def test_expired_codes_and_requests_join_nothing(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    code = code_in(await bot.say("lan", "/lienket"))
    clock.move_to(clock.now() + timedelta(minutes=15, seconds=1))
    late = await bot.conversation.handle(incoming("zalo", "z-lan", f"/lienket {code}"))
    assert "không đúng hoặc đã hết hạn" in late[0].text
    # A request the owner leaves unanswered expires too.
    await link_on_zalo(bot, "lan", "z-lan")
    clock.move_to(clock.now() + timedelta(minutes=15, seconds=1))
    too_late = await bot.say("lan", "/lienket dongy")
    assert "Không có yêu cầu liên kết" in too_late[0].text
    assert await _identities_of(sessions, "Lan") == {"lan"}


async def test_an_admin_code_gives_a_stranger_nothing_without_the_admin(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock, role="admin", unit=None)
    question = await link_on_zalo(bot, "lan", "mallory")  # suppose mallory saw the code
    assert "«mallory»" in question.text
    tried = await bot.conversation.handle(incoming("zalo", "mallory", "/moi Phòng Kinh tế"))
    assert "chưa đăng ký" in tried[0].text
    refused = await bot.say("lan", "/lienket khong")
    assert "Đã từ chối" in refused[0].text and "«mallory»" in refused[0].text
    still = await bot.conversation.handle(incoming("zalo", "mallory", "/moi Phòng Kinh tế"))
    assert "chưa đăng ký" in still[0].text
    async with sessions() as session:
        admins = list(await session.scalars(select(Membership.person_id).where(Membership.role == "admin")))
    assert len(admins) == 1
    assert await _identities_of(sessions, "Lan") == {"lan"}


async def test_every_link_tells_the_original_account(sessions, clock) -> None:  # noqa: ANN001
    bot = await _owner(sessions, clock)
    question = await link_on_zalo(bot, "lan", "z-lan")
    assert "Tài khoản Zalo «z-lan» xin liên kết" in question.text
    joined = await bot.say("lan", "/lienket dongy")  # lan's own Telegram account hears of it
    assert "Đã liên kết tài khoản Zalo «z-lan»" in joined[0].text and "báo quản trị" in joined[0].text
