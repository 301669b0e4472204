"""Issue 21: a bare task number that two plans share, typed to a command (/capnhat,
/giahan, /nhac, /duyet, /ketqua, a leader's instruction) is asked about with one tap per
task (numbers on the console), the rest of the command kept, and carried out on the
task chosen; nothing is recorded before the answer."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from handlers.messages import Attachment
from models.evidence import EvidenceFile
from models.plans import StatusUpdate
from tests.conftest import BACKENDS
from tests.harness import Harness, text_of
from tests.test_many_plans import task_of, two_plans

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await two_plans(sessions, clock)


async def kinds(bot: Harness, code: str, number: str) -> list[str]:
    task = await task_of(bot, code, number)
    async with bot.sessions() as session:
        rows = await session.scalars(select(StatusUpdate.kind).where(StatusUpdate.task_id == task.id))
        return list(rows)


def asked_well(text: str, typed: str) -> None:
    assert "Có 2 nhiệm vụ số 6 trong các kế hoạch" in text, text
    assert f"«{typed}»" in text
    assert "1 = CCHC 6: " in text and "2 = CĐS 6: " in text


async def test_update_command_asks_then_records_on_the_task_chosen(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    typed = "/capnhat 6 Hoàn thành, đã số hóa 120 hồ sơ"
    asked = text_of(await bot.say("lan", typed))
    asked_well(asked, typed)
    assert "CĐS6" in asked  # the way to name it in a command next time
    assert await kinds(bot, "CĐS", "6") == [] and await kinds(bot, "CCHC", "6") == []
    done = text_of(await bot.say("lan", "2"))
    assert "Đã ghi nhận nhiệm vụ" in done, done
    assert (await task_of(bot, "CĐS", "6")).status == "done"
    assert (await task_of(bot, "CCHC", "6")).status == "not_started"
    # Named in the command, nothing is asked.
    named = text_of(await bot.say("lan", "/capnhat CCHC6 đang thực hiện 30%"))
    assert "Đã ghi nhận" in named and (await task_of(bot, "CCHC", "6")).percent == 30


async def test_update_with_a_photo_keeps_the_file_for_the_task_chosen(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    photo = Attachment("anh.png", PNG, "photo", ref="file-1")
    asked = text_of(await bot.say("lan", "/capnhat 6 Hoàn thành", attachment=photo))
    assert "Có 2 nhiệm vụ số 6" in asked and "anh.png" in asked
    done = text_of(await bot.say("lan", "1"))
    assert "Đã lưu tệp «anh.png»" in done, done
    cchc = await task_of(bot, "CCHC", "6")
    async with bot.sessions() as session:
        files = list(await session.scalars(select(EvidenceFile)))
    assert [f.task_id for f in files] == [cchc.id]


async def test_extension_nudge_approval_and_wording_ask_the_same_way(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("chu", "leader")
    await bot.register("ha", "admin")
    asked = text_of(await bot.say("lan", "/giahan 6 20/12/2026 chờ kinh phí"))
    asked_well(asked, "/giahan 6 20/12/2026 chờ kinh phí")
    await bot.say("lan", "2")
    assert await kinds(bot, "CĐS", "6") == ["extension_request"]
    assert await kinds(bot, "CCHC", "6") == []
    # The leader approves by number: asked too, then decided on the chosen task.
    asked = text_of(await bot.say("chu", "/duyet 6 đồng ý"))
    asked_well(asked, "/duyet 6 đồng ý")
    approved = text_of(await bot.say("chu", "2"))
    assert "extension_approved" in await kinds(bot, "CĐS", "6"), approved
    asked = text_of(await bot.say("chu", "/nhac 6"))
    asked_well(asked, "/nhac 6")
    await bot.say("chu", "1")
    assert "nudge" in await kinds(bot, "CCHC", "6")
    assert "nudge" not in await kinds(bot, "CĐS", "6")
    asked = text_of(await bot.say("ha", "/ketqua 6 Đã số hóa 120 hồ sơ"))
    asked_well(asked, "/ketqua 6 Đã số hóa 120 hồ sơ")
    await bot.say("ha", "2")
    assert "appendix_text" in await kinds(bot, "CĐS", "6")
    assert "appendix_text" not in await kinds(bot, "CCHC", "6")


async def test_an_answer_by_another_person_or_late_does_nothing(bot: Harness) -> None:
    await bot.register("lan", "officer", "Phòng Văn hóa - Xã hội")
    await bot.register("mai", "officer", "Phòng Văn hóa - Xã hội")
    asked = await bot.say("lan", "/capnhat 6 Hoàn thành")
    assert "Có 2 nhiệm vụ số 6" in text_of(asked)
    async with bot.sessions() as session:
        from models.conversation import Question

        question = await session.scalar(select(Question).where(Question.kind == "command"))
        assert question is not None
        data = f"qp:{question.id}:{question.candidates[1]}"
    assert "không còn dùng được" in text_of(await bot.say("mai", callback=data))
    assert (await task_of(bot, "CĐS", "6")).status == "not_started"
    assert "không còn dùng được" in text_of(await bot.say("lan", callback=f"qp:{question.id}:999999"))
    await bot.say("lan", callback=data)
    assert (await task_of(bot, "CĐS", "6")).status == "done"
    assert "đã được trả lời rồi" in text_of(await bot.say("lan", callback=data))
    assert await kinds(bot, "CĐS", "6") == ["status"]  # once


async def test_plan_decision_takes_a_code_or_asks_which_plan(bot: Harness) -> None:
    from models.plans import Plan

    await bot.register("ha", "admin")
    named = text_of(await bot.say("ha", "/baocao kehoach CĐS 45/QĐ-UBND ngày 20/01/2026"))
    assert "Quyết định số 45/QĐ-UBND ngày 20 tháng 01 năm 2026" in named or "45/QĐ-UBND" in named, named
    typed = "/baocao kehoach 128/QĐ-UBND ngày 10/01/2026"
    asked = text_of(await bot.say("ha", typed))
    assert f"đang theo dõi 2 kế hoạch; «{typed}» là cho kế hoạch nào?" in asked, asked
    assert "1 = CCHC — " in asked and "2 = CĐS — " in asked
    assert "«/baocao kehoach CĐS 128/QĐ-UBND ngày 10/01/2026»" in asked
    done = text_of(await bot.say("ha", "1"))
    assert "128/QĐ-UBND" in done and "cải cách hành chính" in done, done
    async with bot.sessions() as session:
        plans = {p.code: p for p in await session.scalars(select(Plan))}
    assert plans["CCHC"].decision_number == "128/QĐ-UBND"
    assert plans["CĐS"].decision_number == "45/QĐ-UBND"  # untouched by the second
    # An appendix without a code is asked the same way, then made for the plan tapped.
    asked = text_of(await bot.say("ha", "/baocao quy1"))
    assert "«/baocao CĐS quy1»" in asked
    sent = await bot.say("ha", "2")
    files = [r.document for r in sent if r.document is not None and r.document.filename.endswith(".docx")]
    assert files, text_of(sent)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files[0].data)).paragraphs)
    assert "chuyển đổi số" in text, text[:300]
