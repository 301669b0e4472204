"""A loss is never silent (issue 23, point 3): reminders the dispatcher tried and could
not send until they were no longer useful are "lost": never sent later, never counted
as delivered, counted in the health report and /metrics, and named (person and tasks)
in the admins' notice. Reminders merely missed while dondoc was down still go in the
person's digest. On the controlled clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.channel_watch import ChannelWatch
from bot.config import Config
from bot.health import check_health, health_text
from bot.metrics import Metrics
from models.outbox import PENDING, SENT, OutboxItem
from models.outbox_lost import LOST
from models.outbox_stats import outbox_figures
from models.people import Identity
from scheduler.dispatcher import TemporaryFailure
from tests.conftest import BACKENDS
from tests.test_reminders import TZ, setup


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_reminders_unsendable_until_useless_are_lost_counted_and_named(sessions, engine, database_url, clock, tmp_path) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))  # Friday: many reminders due
    await service.plan()

    async def down(chat_id: str, outgoing):  # noqa: ANN001, ANN202
        raise TemporaryFailure("502 Bad Gateway")

    async def no() -> bool:
        raise TemporaryFailure("502")

    service.senders["console"], service.probes["console"] = down, no
    lost = 0
    while clock.now() < at(2026, 3, 21, 1, 0):  # the API down until past midnight
        lost += (await service.dispatcher.tick()).lost
        clock.move_to(clock.now() + timedelta(minutes=30))
    async with sessions() as session:
        rows = list(await session.scalars(select(OutboxItem)))
    gone = [r for r in rows if r.state == LOST]
    assert gone and lost == len({(r.recipient_id, r.task_id) for r in gone})
    assert all(r.useful_until <= clock.now() and r.sent_at is None for r in gone)
    notices = [r for r in rows if r.kind == "reminders_lost" and r.state == PENDING]
    async with sessions() as session:
        admin = await session.scalar(
            select(Identity.person_id).where(Identity.external_id == "admin")
        )
    assert notices and {n.recipient_id for n in notices} == {admin}

    # health: the JSON, the terminal text, /metrics
    config = Config()
    config.database.url = database_url
    config.monitoring.min_free_mb = 0
    config.evidence.folder = str(tmp_path)
    watch = ChannelWatch(clock.now, [])
    report = await check_health(config, clock.now(), watch, engine=engine, probe_channels=False)
    assert report["outbox"]["lost"] == len(gone) and report["outbox"]["lost_last_day"] == len(gone)
    assert not report["healthy"]
    assert any("tin nhắc bị mất" in p for p in report["problems"]), report["problems"]
    assert f"Tin nhắc bị mất: {len(gone)}" in health_text(report)
    metrics = Metrics()
    async with sessions() as session:
        metrics.observe_outbox(await outbox_figures(session, clock.now()), clock.now())
    exposition = metrics.exposition().decode()
    assert f"dondoc_reminders_lost_last_day {float(len(gone))}" in exposition
    assert f'dondoc_outbox_rows{{state="lost"}} {float(len(gone))}' in exposition

    # the API is back on Monday: the admin hears whose reminders were lost, by task;
    # the lost reminders themselves never go
    service.senders["console"] = inbox
    service.probes["console"] = lambda: _yes()
    clock.move_to(at(2026, 3, 23, 8, 0))
    await service.dispatcher.tick()
    told = " ".join(o.text for o in inbox.to("admin"))
    assert "Không gửi được tin nhắc cho" in told and "trước khi hết thời hạn" in told, told
    some = gone[0]
    async with sessions() as session:
        number = await session.scalar(
            select(OutboxItem.task_id).where(OutboxItem.id == some.id)
        )
        still = await session.get(OutboxItem, some.id)
    assert number is not None and still.state == LOST
    async with sessions() as session:
        sent_ids = set(await session.scalars(select(OutboxItem.id).where(OutboxItem.state == SENT)))
    assert not sent_ids & {r.id for r in gone}


async def _yes() -> bool:
    return True


async def test_missed_while_down_is_a_digest_not_a_loss(sessions, clock) -> None:  # noqa: ANN001
    bot, service, inbox = await setup(sessions, clock)
    clock.move_to(at(2026, 3, 20, 8, 0))
    await service.plan()
    clock.move_to(at(2026, 3, 23, 8, 0))  # dondoc was stopped the whole weekend: never tried
    result = await service.dispatcher.tick()
    assert result.lost == 0 and result.folded > 0
    assert not [o for o in inbox.to("admin") if "Không gửi được" in o.text]
