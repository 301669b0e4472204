"""The channel-neutral shapes of a conversation: what a person sent (``Incoming``) and
what dondoc answers (``Outgoing``). Each channel (Telegram, Zalo, console) maps its
platform to these and back, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    kind: str = "document"  # "document" | "photo"
    ref: str | None = None  # the channel's own file id, kept as evidence reference
    size: int | None = None  # the announced size of a file too large to download (no data)


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram" | "zalo" | "console"
    user_id: str
    chat_id: str
    display_name: str = ""
    text: str = ""
    chat_type: str = "private"  # "private" | "group"
    message_id: str | None = None
    reply_to: str | None = None  # id of the bot message this replies to
    callback: str | None = None  # data of a pressed button
    attachment: Attachment | None = None
    quoted: str = ""  # the text of a person's message this one replies to (a forwarded letter)
    written_at: datetime | None = None  # when the person sent it (Telegram's date), if known


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    web_app: str = ""  # a Mini App's https address (Telegram only): the button opens it


@dataclass
class Outgoing:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    document: Attachment | None = None
    photo: Attachment | None = None
    task_id: int | None = None  # the task this message is about: a reply to it maps back
    task_ids: tuple[int, ...] = ()  # several tasks it lists: a bare reply is asked about
    score_item_ids: tuple[int, ...] = ()  # the score items it is about (same rule)
    edit: bool = False  # replace the message whose button was pressed, where the channel can
    chat_id: str | None = None  # another chat than the sender's (notifications)
    aside: bool = False  # a side remark ("Dạ, cảm ơn"): the focus and choices stay as they were


MAX_REPLY = 4096  # Telegram's longest message; a longer text is read up to here
MAX_ID = 2**31 - 1  # ids in button data and typed answers fit a database integer


def small_id(text: str) -> int | None:
    """A database id typed or in button data; anything else (too long, "²") is None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
