"""Real ``dondoc run`` processes against the fake Bot API and the fake Zalo API, with a
backlog: officers of three chats send many messages at once, each answered slowly, and
the process is stopped in the middle of the work.

- SIGTERM: the process exits within a bound far below the time the backlog would take
  (it finishes what is being handled, a few seconds' grace); the next start answers
  the rest. Every message is answered exactly once, each chat's in the order sent.
- kill -9 (Telegram): the next start answers every message that was taken; only those
  being handled at the kill may be answered twice (at most one per chat).

Slow: Telegram paces one answer a second per chat (the real pacing, by the config);
the fake Zalo answers each message after a second. The run after a stop answers at
once, so the test takes seconds."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from models.people import Identity
from scheduler.clock import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.test_runner import TZ, seed

ROOT = Path(__file__).resolve().parent.parent
UNIT = "Phòng Văn hóa - Xã hội"
BACKLOG = {42: 20, 43: 6, 44: 6}  # messages per chat: one chat floods, two others write
OFFICERS = {user: ("officer", UNIT) for user in BACKLOG}
EXIT_BOUND = 10.0  # seconds from SIGTERM to exit; the slow backlog needs 18 s or more
ANSWER = re.compile(r"«(q\d+x\d+)»")  # /tim's answer names what was searched

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class SlowZalo(FakeZalo):
    """The fake Zalo answering each ``sendMessage`` after ``delay`` seconds."""

    delay = 0.0

    async def _api_sendmessage(self, params: dict) -> dict:
        await asyncio.sleep(self.delay)
        return await super()._api_sendmessage(params)


def write_config(path: Path, database_url: str, section: str) -> Path:
    path.write_text(f'[database]\nurl = "{database_url}"\n{section}[reminders]\ndispatch_interval = 1\n', encoding="utf-8")
    return path


async def start(config: Path, log: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "DONDOC_CONFIG": str(config)}
    env.pop("DONDOC_TELEGRAM_TOKEN", None)
    env.pop("DONDOC_ZALO_TOKEN", None)
    with log.open("ab") as out:  # at 20:00 no reminder is due: only answers are sent
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--now", "2026-01-13T20:00",
            cwd=ROOT, env=env, stdout=out, stderr=out,
        )  # fmt: skip


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


class Chats:
    """One platform as the test drives it: users write, answers are read back."""

    def __init__(self, fake: FakeTelegram | SlowZalo) -> None:
        self.fake = fake

    def write(self, user: int, text: str) -> None:
        if isinstance(self.fake, FakeTelegram):
            self.fake.send_text(user, text)
        else:
            self.fake.send_text(f"z{user}", text)

    def answers(self) -> dict[int, list[str]]:
        """Per chat, the messages answered (by what they searched), in the order answered."""
        found: dict[int, list[str]] = {user: [] for user in BACKLOG}
        for sent in self.fake.sent:
            chat = int(str(sent.chat_id).lstrip("z"))
            match = ANSWER.search(sent.text or "")
            if match and chat in found:
                found[chat].append(match.group(1))
        return found

    def backlog(self, round_: int) -> dict[int, list[str]]:
        """Every officer's messages, queued at once (interleaved, as they would arrive)."""
        sent: dict[int, list[str]] = {user: [] for user in BACKLOG}
        for index in range(max(BACKLOG.values())):
            for user, count in BACKLOG.items():
                if index < count:
                    word = f"q{round_}x{user}{index:02d}"
                    self.write(user, f"/tim {word}")
                    sent[user].append(word)
        return sent


async def stop_in_a_backlog(
    chats: Chats, slow: Callable[[], Path], quick: Callable[[], Path], log: Path, *, kill: bool = True
) -> None:
    """``slow``/``quick``: make the next run answer slowly or at once; its config.
    ``kill``: a kill -9 too (one platform is enough for it: seconds)."""
    # SIGTERM in the middle of the backlog: quick, and the rest answered after restart
    first = chats.backlog(1)
    process = await start(slow(), log)
    await until(lambda: all(len(a) >= 2 for a in chats.answers().values()))
    stopped_at = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    took = time.monotonic() - stopped_at
    left = sum(map(len, first.values())) - sum(map(len, chats.answers().values()))
    assert took < EXIT_BOUND and left > 0, (took, left)  # it did not wait for them
    assert not chats.fake.pending_updates  # the platform counts them all received
    process = await start(quick(), log)
    await until(lambda: chats.answers() == first)  # all, once each, in order
    await asyncio.sleep(1.0)  # time for any repeat to show
    assert chats.answers() == first
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    if not kill:
        return

    # kill -9 in the middle of the backlog: what was taken is answered after restart
    process = await start(slow(), log)
    second = chats.backlog(2)
    await until(lambda: all(sum(w.startswith("q2") for w in a) >= 2 for a in chats.answers().values()))
    process.kill()
    await process.wait()
    process = await start(quick(), log)
    wanted = {user: first[user] + second[user] for user in BACKLOG}
    await until(lambda: all(set(chats.answers()[u]) == set(wanted[u]) for u in BACKLOG))
    await asyncio.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    for user in BACKLOG:  # a repeat only for what was being handled: one per chat
        repeats = Counter(chats.answers()[user]) - Counter(wanted[user])
        assert sum(repeats.values()) <= 1, (user, repeats)


def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("one SQLite file shared with the subprocess")


async def test_telegram_stop_in_a_backlog_is_quick_and_loses_or_repeats_nothing(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    sqlite_only(database_url)
    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids=OFFICERS)
    async with FakeTelegram() as tg:
        def config(name: str, pace: float) -> Path:
            section = (f'[telegram]\ntoken = "{tg.token}"\nbase_url = "{tg.base_url}"\n'
                       f'base_file_url = "{tg.base_file_url}"\nper_chat_interval = {pace}\n')  # fmt: skip
            return write_config(tmp_path / name, database_url, section)

        slow, quick = config("slow.toml", 1.0), config("quick.toml", 0)
        await stop_in_a_backlog(Chats(tg), lambda: slow, lambda: quick, tmp_path / "run.log")



async def test_zalo_stop_in_a_backlog_is_quick_and_loses_or_repeats_nothing(sessions, database_url, tmp_path) -> None:  # noqa: ANN001
    sqlite_only(database_url)
    await seed(sessions, Clock.starting_at(datetime(2026, 1, 2, 9, 0, tzinfo=TZ), frozen=True), telegram_ids=OFFICERS)
    async with sessions() as session, session.begin():  # the same officers on Zalo
        for identity in (await session.scalars(select(Identity).where(Identity.channel == "telegram"))).all():
            zid = f"z{identity.external_id}"
            session.add(Identity(person_id=identity.person_id, channel="zalo", external_id=zid, chat_id=zid))
    async with SlowZalo() as zalo:
        section = f'[zalo]\ntoken = "{zalo.token}"\nbase_url = "{zalo.base_url}"\npoll_timeout = 1\n'
        config = write_config(tmp_path / "zalo.toml", database_url, section)

        def pace(delay: float) -> Path:
            zalo.delay = delay  # the fake's own: Zalo's answers are not paced by dondoc
            return config

        await stop_in_a_backlog(Chats(zalo), lambda: pace(1.0), lambda: pace(0.0), tmp_path / "run.log", kill=False)
