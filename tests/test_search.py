"""/tim TỪ KHÓA: tasks found by words of their content, unit or recorded evidence,
without diacritics or case, in the scope of the person's role; one message in the
compact list format with buttons to open what the person may see."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from handlers.tasks.search_rank import Haystack, Query, rank, read_query
from models.plans import Task, TaskUnit
from tests.conftest import BACKENDS
from tests.harness import Harness, sample_harness, text_of

VHXH = "Phòng Văn hóa - Xã hội"


@pytest.fixture
async def bot(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "telegram")


async def numbers_with(bot: Harness, words: str) -> set[str]:
    async with bot.sessions() as session:
        return {t.number for t in await session.scalars(select(Task)) if words in t.content.lower()}


def listed(text: str) -> list[str]:
    return [line.split(".")[0].lstrip("❗⏳") for line in text.split("\n")[1:] if line[:1].isdigit() or line[:1] in "❗⏳"]


async def test_search_without_diacritics_finds_the_task(bot: Harness) -> None:
    await bot.register("trinh", "leader")
    expected = await numbers_with(bot, "tuyên truyền")
    assert len(expected) >= 2
    replies = await bot.say("trinh", "/tim tuyen truyen")
    assert len(replies) == 1
    text = replies[0].text
    assert text.startswith(f"Tìm thấy {len(listed(text))} nhiệm vụ có «tuyen truyen»:")
    assert set(listed(text)) >= expected and listed(text)[:2] == sorted(expected, key=int)  # in the content first
    assert [b.label for row in replies[0].buttons for b in row] == listed(text)
    same = await bot.say("trinh", "/tìm TUYÊN TRUYỀN")
    assert listed(same[0].text) == listed(text)
    card = await bot.say("trinh", callback=replies[0].buttons[0][0].data)
    assert card[0].text.startswith("Nhiệm vụ ")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_search_by_unit_and_by_evidence(bot: Harness) -> None:
    await bot.register("lan", "officer", VHXH)
    await bot.say("lan", "/capnhat 25 Hoàn thành, QĐ số 77/QĐ-UBND ngày 02/01/2026 về biên chế")
    found = (await bot.say("lan", "/tim 77/QĐ-UBND"))[0].text
    assert listed(found) == ["25"] and "Hoàn thành" in found
    by_unit = (await bot.say("lan", "/tim cong an xa"))[0]
    assert "Công an xã" in by_unit.text  # officers search their organization's tasks
    async with bot.sessions() as session:
        loaded = select(Task).options(selectinload(Task.unit_links).selectinload(TaskUnit.unit))
        ca = [t for t in await session.scalars(loaded) if any(u.name == "Công an xã" for u in t.units("lead"))]
    assert ca and set(listed(by_unit.text)) >= {t.number for t in ca}
    # …and may open only their own unit's: no button for another unit's task
    openable = {b.label for row in by_unit.buttons for b in row}
    assert not openable & {t.number for t in ca if not any(u.name == VHXH for u in t.units("lead") + t.units("cooperating"))}


async def test_usage_nothing_found_and_bounds(bot: Harness) -> None:
    await bot.register("lan", "officer", VHXH)
    assert text_of(await bot.say("lan", "/tim")).startswith("Cách dùng: /tim TỪ KHÓA")
    assert text_of(await bot.say("lan", "/tim !!!")).startswith("Cách dùng: /tim TỪ KHÓA")
    assert text_of(await bot.say("lan", "/tim khủng long")) == "Không tìm thấy nhiệm vụ nào có «khủng long». Anh/chị thử từ khóa khác."
    assert "dài quá" in text_of(await bot.say("lan", "/tim " + "a" * 101))
    assert "dài quá" in text_of(await bot.say("lan", "/tim " + "a " * 9))
    assert "/dangky" in text_of(await bot.say("stranger", "/tim dan chu"))


async def test_viewer_searches_the_organizations_they_follow_on_zalo(sessions, clock) -> None:  # noqa: ANN001
    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("so", "viewer")
    reply = (await bot.say("so", "/tim ke hoach"))[0]
    assert reply.text.startswith("Tìm thấy") and reply.buttons == []
    assert len(reply.text) < 2000 and "… và " in reply.text and "thêm từ khóa để thu hẹp" in reply.text
    assert len(listed(reply.text)) == 9


async def test_many_results_fit_telegram(bot: Harness) -> None:
    await bot.register("trinh", "leader")
    reply = (await bot.say("trinh", "/tim cong"))[0]
    assert "… và " in reply.text, reply.text[:60]
    assert len(listed(reply.text)) == 20 and len(reply.text) < 4096


def test_matching_rules() -> None:
    hay = Haystack.of("Thực hiện Quy chế dân chủ ở cơ sở", ["Phòng Nội vụ", "QĐ số 12/QĐ-UBND"])
    query = lambda text: read_query(text)[0]  # noqa: E731
    assert rank(query("dan chu"), hay) == 0
    assert rank(query("chu dan"), hay) == 1
    assert rank(query("noi vu"), hay) == 2 and rank(query("12 qd"), hay) == 2
    assert rank(query("dan toc"), hay) is None
    assert rank(query("dan"), Haystack.of("Danh sách", [])) is None  # whole words
    assert rank(query("chuyen"), Haystack.of("chuyển đổi số", [])) == 0
    assert read_query("") == (None, "empty") and read_query("x" * 101) == (None, "long")
    assert read_query("Đất đai")[0] == Query(("dat", "dai"))


async def test_a_viewer_of_two_communes_sees_which_commune_each_task_is_of(sessions, clock) -> None:  # noqa: ANN001
    from handlers.imports.plans import import_plan_file
    from models.invites import create_invite
    from models.plan_store import find_organization
    from tests.harness import SAMPLE_DOCX

    bot = Harness(sessions, clock, channel="zalo")
    await bot.import_sample()
    await bot.register("so", "viewer")
    async with sessions() as session, session.begin():
        await import_plan_file(session, data=SAMPLE_DOCX.read_bytes(), filename=SAMPLE_DOCX.name,
                               organization="Xã Vĩnh Bảo", now=clock.now())  # fmt: skip
        other = await find_organization(session, "Xã Vĩnh Bảo")
        code = (await create_invite(session, other, role="viewer", unit=None, uses=1, now=clock.now())).code
    await bot.say("so", f"/dangky {code}")
    text = (await bot.say("so", "/tim tuyen truyen"))[0].text
    assert "Xã Vĩnh Bảo · Phòng Văn hóa - Xã hội" in text
    assert "Xã Nguyễn Bình Khiêm · Phòng Văn hóa - Xã hội" in text
