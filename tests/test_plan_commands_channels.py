"""Issue 21 over the real channels: "/capnhat 6 …" when two plans have a task 6 is asked
with one tap per task on Telegram (python-telegram-bot against the fake Bot API) and by
number on Zalo (the real ZaloChannel against the fake Zalo API); the kept command is
carried out on the task chosen only. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.telegram_support import buttons, polling, register
from tests.test_many_plans import task_of, two_plans
from tests.test_plan_commands import kinds
from tests.test_zalo_channel import LAN
from tests.zalo_support import config, say, serving

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


async def test_telegram_command_asks_with_a_tap_and_runs_after_it(tg: FakeTelegram, sessions, clock) -> None:  # noqa: ANN001
    harness = await two_plans(sessions, clock, "telegram")
    async with polling(tg, harness, post_init=True, per_chat_interval=0):
        await register(tg, harness, 42, "officer", "Phòng Văn hóa - Xã hội", "Lan")
        mark = len(tg.sent)
        tg.send_text(42, "/capnhat 6 đang thực hiện 60%, đã số hóa 300 hồ sơ")
        asked = await tg.wait_for(lambda m: m.chat_id == 42 and "Có 2 nhiệm vụ số 6" in (m.text or ""), since=mark)
        assert "«/capnhat 6 đang thực hiện 60%, đã số hóa 300 hồ sơ»" in asked.text
        taps = buttons(asked)
        assert [label.split(":")[0] for label in taps] == ["CCHC 6", "CĐS 6"]
        assert (await task_of(harness, "CĐS", "6")).percent is None  # nothing before the tap
        mark = len(tg.sent)
        tg.press_button(42, asked.message_id, taps[next(k for k in taps if k.startswith("CĐS 6"))])
        await tg.wait_for(lambda m: m.chat_id == 42 and "Đã ghi nhận nhiệm vụ" in (m.text or ""), since=mark)
        assert (await task_of(harness, "CĐS", "6")).percent == 60
        assert (await task_of(harness, "CCHC", "6")).status == "not_started"


async def test_zalo_command_asks_by_number(zalo: FakeZalo, sessions, clock) -> None:  # noqa: ANN001
    harness = await two_plans(sessions, clock, "zalo")
    async with serving(harness, config(zalo)):
        code = await harness.invite("officer", "Phòng Văn hóa - Xã hội")
        assert "Đăng ký thành công" in await say(zalo, LAN, f"/dangky {code}")
        asked = await say(zalo, LAN, "/giahan 6 15/9/2026 chờ kinh phí")
        assert "Có 2 nhiệm vụ số 6" in asked and "«/giahan 6 15/9/2026 chờ kinh phí»" in asked
        assert "1 = CCHC 6: " in asked and "2 = CĐS 6: " in asked  # no buttons on Zalo
        chosen = await say(zalo, LAN, "1")
        assert "gia hạn" in chosen, chosen
        assert await kinds(harness, "CCHC", "6") == ["extension_request"], chosen
        assert await kinds(harness, "CĐS", "6") == []
