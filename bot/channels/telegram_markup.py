"""What Telegram shows besides text: the bot's menu (setMyCommands, in the order of
``handlers.features.MENU``) and the inline keyboard of a message's buttons."""

from __future__ import annotations

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from handlers.features import MENU
from handlers.messages import Outgoing

MENU_DESCRIPTIONS = {
    "viec": "Nhiệm vụ của tôi",
    "capnhat": "Báo cáo tình trạng: /capnhat SỐ nội dung",
    "quahan": "Nhiệm vụ quá hạn",
    "tim": "Tìm nhiệm vụ: /tim TỪ KHÓA",
    "tiendo": "Tiến độ chung",
    "baocao": "Phụ lục, dự thảo báo cáo: /baocao quy | 6thang | nam | baocao | diem",
    "diem": "Bảng điểm tự đánh giá: /diem",
    "giahan": "Xin gia hạn: /giahan SỐ NGÀY lý do",
    "hoantac": "Hoàn tác lần cập nhật vừa rồi",
    "dangky": "Đăng ký bằng mã mời",
    "ngonngu": "Ngôn ngữ: vi | en",
    "trogiup": "Hướng dẫn",
}



def menu_commands() -> list[BotCommand]:
    return [BotCommand(name, MENU_DESCRIPTIONS[name]) for name in MENU]


def keyboard(outgoing: Outgoing) -> InlineKeyboardMarkup | None:
    if not outgoing.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in outgoing.buttons
        ]
    )
