"""What Telegram shows besides text: the bot's menu (setMyCommands, in the order of
``handlers.features.MENU``), its menu button (the Mini App when the web view is served
over https) and the inline keyboard of a message's buttons."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import TelegramError

from handlers.context import SignInLinks
from handlers.features import MENU
from handlers.messages import Button, Outgoing

log = logging.getLogger(__name__)

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
            [inline_button(b) for b in row]
            for row in outgoing.buttons
        ]
    )


def inline_button(button: Button) -> InlineKeyboardButton:
    """A button that answers through the bot, or one that opens the Mini App."""
    if button.web_app:
        return InlineKeyboardButton(button.label, web_app=WebAppInfo(button.web_app))
    return InlineKeyboardButton(button.label, callback_data=button.data)


async def set_menu_button(bot: Bot, web: SignInLinks | None) -> None:
    """The menu button opens the Mini App when the web view has one (https), else the
    command list (Telegram's default). A refusal is logged: the bot works without it."""
    url = web.mini_app_url() if web is not None else None
    button = MenuButtonWebApp("dondoc", WebAppInfo(url)) if url else MenuButtonDefault()
    try:
        await bot.set_chat_menu_button(menu_button=button)
    except TelegramError as error:
        log.warning("the menu button was not set: %s", error)
