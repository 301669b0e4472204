"""Files for a channel that cannot carry them (Zalo): put on the download shelf
(``Services.downloads``, ``bot.download_links``), and a message listing their signed
links with the moment they stop working. Used by the appendix, the draft report and
the score sheet alike."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.context import Request
from handlers.messages import Attachment
from handlers.task_view import format_date
from locales import _


def links_text(request: Request, files: list[tuple[str, Attachment]]) -> str:
    """For a channel that cannot send files (Zalo): ``files`` put on the download shelf,
    and their signed links, each after its label, with the moment they stop working."""
    shelf = request.services.downloads
    assert shelf is not None
    links = [(label, shelf.publish(file.filename, file.data)) for label, file in files]
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
