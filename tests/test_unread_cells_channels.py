"""Issue 26 over the real channels: after /nhap, a deadline cell not read is asked about
with a tap per meaning on Telegram (the real python-telegram-bot client against the fake
Bot API) and by number on Zalo (a table pasted after /nhap, the real ZaloChannel against
the fake Zalo API); the tap puts the meaning on the tasks and the next import of the
same text does not ask again. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import BACKENDS
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.harness import Harness
from tests.telegram_support import buttons, polling
from tests.test_unread_cells import plan_text, trial_task
from tests.test_zalo_channel import LAN
from tests.zalo_support import config, serving

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


async def sample(sessions, clock, channel: str) -> Harness:  # noqa: ANN001
    harness = Harness(sessions, clock, channel=channel)
    await harness.import_sample()
    return harness


def asking(cell: str):  # noqa: ANN201 - a predicate on sent messages
    return lambda m: f"Ô thời hạn «{cell}»" in (m.text or "")


async def test_telegram_a_tap_per_cell(tg: FakeTelegram, sessions, clock) -> None:  # noqa: ANN001
    harness = await sample(sessions, clock, "telegram")
    async with polling(tg, harness, post_init=True, per_chat_interval=0):
        code = await harness.invite("admin")
        tg.send_text(11, f"/dangky {code}")
        await tg.wait_for(lambda m: m.chat_id == 11)
        mark = len(tg.sent)
        tg.send_document(11, "thu.txt", plan_text(), caption="/nhap")
        listing = await tg.wait_for(lambda m: "Có 2 ô thời hạn" in (m.text or ""), since=mark, timeout=10)
        assert "«Đầu quý III/2026» (nhiệm vụ 2, 3)" in listing.text
        first = await tg.wait_for(asking("30/9/2026 hoặc sớm hơn"), since=mark)
        taps = buttons(first)
        assert list(taps) == ["30/09/2026 là hạn chót", "Thường xuyên (không có hạn chót)", "Khi có yêu cầu", "Để sau"]
        mark = len(tg.sent)
        tg.press_button(11, first.message_id, taps["30/09/2026 là hạn chót"])
        second = await tg.wait_for(asking("Đầu quý III/2026"), since=mark)
        assert any(
            (m.text or "").startswith("Đã ghi: «30/9/2026 hoặc sớm hơn» — 30/09/2026 là hạn chót")
            for m in tg.sent[mark:]
        )
        answered = tg.message(11, first.message_id)
        assert answered is not None and "reply_markup" not in answered  # no second tap
        assert (await trial_task(harness, "1")).deadline_due == date(2026, 9, 30)
        mark = len(tg.sent)
        tg.press_button(11, second.message_id, buttons(second)["Từ 01/07/2026 đến 30/09/2026"])
        await tg.wait_for(lambda m: "Đã xong các ô thời hạn" in (m.text or ""), since=mark)
        assert (await trial_task(harness, "3")).deadline_kind == "period"
        # The same cells in a file again: read as chosen, nothing asked.
        mark = len(tg.sent)
        tg.send_document(11, "thu.txt", plan_text(), caption="/nhap")
        again = await tg.wait_for(lambda m: m.chat_id == 11, since=mark, timeout=10)
        assert "không có gì thay đổi" in again.text
        assert not [m for m in tg.sent[mark:] if "ô thời hạn" in (m.text or "")]


async def test_zalo_a_number_per_cell(zalo: FakeZalo, sessions, clock) -> None:  # noqa: ANN001
    harness = await sample(sessions, clock, "zalo")
    async with serving(harness, config(zalo)):
        code = await harness.invite("admin")
        zalo.send_text(LAN, f"/dangky {code}")
        await zalo.wait_for(lambda m: m.chat_id == LAN)
        mark = len(zalo.sent)
        zalo.send_text(LAN, "/nhap\n" + plan_text().decode("utf-8"))  # no documents on Zalo
        first = await zalo.wait_for(asking("30/9/2026 hoặc sớm hơn"), since=mark, timeout=10)
        assert "1 = 30/09/2026 là hạn chót" in first.text and "4 = Để sau" in first.text
        mark = len(zalo.sent)
        zalo.send_text(LAN, "4")  # later
        second = await zalo.wait_for(asking("Đầu quý III/2026"), since=mark)
        assert "1 = Từ 01/07/2026 đến 30/09/2026" in second.text
        assert (await trial_task(harness, "1")).deadline_kind == "unknown"
        mark = len(zalo.sent)
        zalo.send_text(LAN, "2")
        await zalo.wait_for(lambda m: "Đã xong các ô thời hạn" in (m.text or ""), since=mark)
        task = await trial_task(harness, "2")
        assert (task.deadline_kind, task.deadline_due) == ("due", date(2026, 9, 30))
        # Again: the chosen cell is read, the one left for later is asked again.
        mark = len(zalo.sent)
        zalo.send_text(LAN, "/nhap\n" + plan_text().decode("utf-8"))
        asked = await zalo.wait_for(asking("30/9/2026 hoặc sớm hơn"), since=mark, timeout=10)
        assert "Có 1 ô thời hạn" in "\n".join(m.text or "" for m in zalo.sent[mark:])
        assert asked and not [m for m in zalo.sent[mark:] if "«Đầu quý III/2026»" in (m.text or "")]
