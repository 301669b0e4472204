"""Issue 21 item 7: a database made before plans had codes — one plan a year, with
status history, an extension request and an evidence file — is upgraded by
``0013_plans``: its plan gets a code, nothing is lost, and a second plan then imports
beside it. The old shape is made by going down to ``0008_score_focus`` from a database
filled by today's conversation (what 0009 adds is all that goes)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from handlers.messages import Attachment
from models.db import downgrade, upgrade
from models.evidence import EvidenceFile
from models.plans import Plan, StatusUpdate, Task
from tests.conftest import BACKENDS
from tests.harness import Harness, text_of
from tests.test_evidence import PDF_BYTES
from tests.test_many_plans import import_cds, task_of

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


async def snapshot(bot: Harness) -> dict[str, object]:
    async with bot.sessions() as session:
        return {
            "tasks": await session.scalar(select(func.count()).select_from(Task)),
            "history": list(
                (await session.execute(
                    select(StatusUpdate.task_id, StatusUpdate.kind, StatusUpdate.status,
                           StatusUpdate.text, StatusUpdate.until).order_by(StatusUpdate.id)
                )).all()
            ),
            "evidence": list(
                (await session.execute(select(EvidenceFile.task_id, EvidenceFile.sha256))).all()
            ),
            "statuses": dict((await session.execute(select(Task.id, Task.status))).all()),
        }  # fmt: skip


async def test_upgrade_keeps_everything_and_gives_the_plan_a_code(engine, sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="console")
    await bot.import_sample()
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    assert "Đã ghi nhận" in text_of(await bot.say("lan", "1 hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"))
    await bot.say("lan", "/giahan 6 20/4 chờ hướng dẫn của Sở")
    await bot.say("lan", "nhiệm vụ 2 đang thực hiện 50%", attachment=Attachment("bc.pdf", PDF_BYTES, "document"))
    before = await snapshot(bot)
    assert before["evidence"] and any(row[1] == "extension_request" for row in before["history"])

    await downgrade(engine, "0008_score_focus")  # the shape of today's main
    async with engine.connect() as conn:
        columns = (await conn.execute(text('SELECT * FROM "plan"'))).keys()
        assert "code" not in columns
    await upgrade(engine)

    assert await snapshot(bot) == before
    async with sessions() as session:
        plan = await session.scalar(select(Plan))
        assert plan.code == "CCHC" and plan.title == "Kế hoạch cải cách hành chính năm 2026"
        assert not any(t.withdrawn for t in await session.scalars(select(Task)))
    await import_cds(bot)  # a second plan beside it, the first untouched
    assert (await task_of(bot, "CĐS", "6")).status == "not_started"
    after = await snapshot(bot)
    assert after["history"] == before["history"] and after["tasks"] == before["tasks"] + 12
