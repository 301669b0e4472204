"""Issue 12: the /nhap answer. Item 3: it never echoes a whole cell; its review lines
are cut to a readable length. Item 10: a Telegram document over the Bot API's 20 MB is
called too large, not empty."""

from __future__ import annotations

import pytest

from handlers.messages import Attachment
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import Harness, sample_harness

READABLE = 300  # characters of one review line on a phone
LONG_LEAD = "Các phòng, ban, ngành " + "và đơn vị liên quan " * 100  # no unit named
LONG_DEADLINE = "Chưa xác định " + "thời điểm cụ thể " * 100  # not a deadline


@pytest.fixture
async def admin(sessions, clock) -> Harness:  # noqa: ANN001
    return await sample_harness(sessions, clock, "console", ("ha", "admin"))


async def test_review_lines_never_echo_a_whole_cell(admin: Harness) -> None:
    rows = [
        "STT\tNội dung công việc\tCơ quan chủ trì\tThời gian hoàn thành",
        f"1\tRà soát thủ tục\t{LONG_LEAD}\tQuý I/2026",
        f"2\tCông khai thủ tục\tPhòng Văn hóa - Xã hội\t{LONG_DEADLINE}",
    ]
    data = "\n".join(rows).encode()
    answer = await admin.say("ha", "/nhap", attachment=Attachment("kh.csv", data, "document"))
    text = answer[0].text
    assert "Cần xem lại 2 nhiệm vụ" in text
    review = [line for line in text.splitlines() if line.startswith("•")]
    assert len(review) == 2
    assert all(len(line) <= READABLE for line in review)
    assert LONG_LEAD.strip() not in text and " ".join(LONG_DEADLINE.split()) not in text
    assert "«Các phòng, ban, ngành và đơn vị liên quan" in review[0] and "…»" in review[0]
    assert "«Chưa xác định thời điểm cụ thể" in review[1] and "…»" in review[1]


async def test_telegram_document_over_20_mb_is_too_large_not_empty(
    tg: FakeTelegram,
    running: Harness,
) -> None:
    code = await running.invite("admin")
    tg.send_text(11, f"/dangky {code}")
    await tg.wait_for(lambda m: m.chat_id == 11)
    mark = len(tg.sent)
    tg.send_document(11, "ke-hoach.docx", b"PK" + bytes(21 * 1024 * 1024), caption="/nhap")
    answer = await tg.wait_for(lambda m: m.chat_id == 11, since=mark, timeout=10)
    assert "quá lớn (21,1 MB); chỉ nhận tệp đến 20 MB" in answer.text
    assert "trống" not in answer.text
