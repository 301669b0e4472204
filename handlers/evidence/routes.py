"""What the evidence feature adds to the router: the download button under a card."""

from __future__ import annotations

from handlers.evidence import download
from handlers.evidence.files import DOWNLOAD
from handlers.router import Router


def register(router: Router) -> None:
    router.button(DOWNLOAD, download.download_button)
