"""What the web access feature adds to the router: /web."""

from __future__ import annotations

from handlers.router import Router
from handlers.web_access import command


def register(router: Router) -> None:
    router.command("web", command.web_command)
