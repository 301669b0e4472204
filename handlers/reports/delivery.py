"""How a report's files reach the person, the one rule for the appendix, the draft
report and the score sheet (``deliver``): as documents where the channel sends files
(Telegram; the console writes them to a folder); as signed links that expire where it
cannot (Zalo) and the bot has a public address (``Services.downloads``,
``bot.download_links``); otherwise the summary and how else to get them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from handlers.context import Request
from handlers.messages import Attachment, Outgoing
from handlers.permissions import is_admin
from handlers.reports.file_shelf import ShelfFull, owner_of, shelf_full_text
from language.formats import format_date
from locales import _


def can_send_files(request: Request) -> bool:
    """Only Telegram delivers pictures and documents (Zalo bots cannot send files)."""
    return request.incoming.channel == "telegram"


def can_send_pictures(request: Request) -> bool:
    """Telegram, and Zalo when the bot has a public address: Zalo sends a picture by its
    URL, so the chart goes on the download shelf first (``as_sent``)."""
    return can_send_files(request) or (
        request.incoming.channel == "zalo" and request.services.downloads is not None
    )


def as_sent(request: Request, picture: Attachment) -> Attachment:
    """``picture`` as the channel sends it: on Zalo, by a signed link to it."""
    shelf = request.services.downloads
    if request.incoming.channel != "zalo" or shelf is None:
        return picture
    try:
        link = shelf.publish(picture.filename, picture.data, owner_of(request))
    except ShelfFull:
        return picture  # the figures are in the text; the chart waits for room
    return Attachment(picture.filename, picture.data, "photo", ref=link.url)


@dataclass(frozen=True)
class ReportFile:
    attachment: Attachment
    label: str  # its line among the links: "Word", "Excel (phụ lục và Biểu mẫu 1)"
    caption: str = ""  # its own message as a document (the first goes with the summary)


async def deliver(
    request: Request,
    summary: str,
    render: Callable[[], Awaitable[list[ReportFile]]],
    *,
    telegram_only: str,
    command: str,
) -> list[Outgoing]:
    """The report's messages. ``render`` builds the files only when they go out;
    without a way to send them, ``telegram_only`` says so, with the operator's
    ``command`` for admins."""
    # The console writes them to a folder; the web view serves them (web/downloads.py).
    if can_send_files(request) or request.incoming.channel in ("console", "web"):
        files = await render()
        first, *rest = files
        return [
            Outgoing(summary, document=first.attachment),
            *(Outgoing(f.caption, document=f.attachment) for f in rest),
        ]
    if request.services.downloads is not None:
        labelled = [(f.label, f.attachment) for f in await render()]
        return [Outgoing(summary + "\n\n" + links_text(request, labelled))]
    where = telegram_only
    org = request.organization
    if org is not None and is_admin(request.grants, org.id):  # the operator's way
        where += "\n" + _("Trên máy chủ, người vận hành có thể xuất bằng lệnh:") + "\n" + command
    return [Outgoing(summary + "\n" + where)]


def links_text(request: Request, files: list[tuple[str, Attachment]]) -> str:
    """For a channel that cannot send files (Zalo): ``files`` put on the download shelf,
    and their signed links, each after its label, with the moment they stop working."""
    shelf = request.services.downloads
    assert shelf is not None
    try:
        links = [
            (label, shelf.publish(file.filename, file.data, owner_of(request)))
            for label, file in files
        ]
    except ShelfFull:
        return shelf_full_text()
    org = request.organization
    zone = ZoneInfo(org.timezone if org is not None else request.services.timezone)
    until = links[0][1].expires.astimezone(zone)
    return "\n".join(
        [
            _("Tải tệp (liên kết dùng được đến {time} ngày {date}):").format(
                time=until.strftime("%H:%M"), date=format_date(until.date())
            ),
            *(_("- {label}: {url}").format(label=label, url=link.url) for label, link in links),
            _("Ai có liên kết cũng tải được tệp, xin đừng chuyển tiếp ra ngoài. Hết hạn thì nhắn lại /baocao."),
        ]
    )
