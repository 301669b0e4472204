"""What the imports feature adds to the router: /nhap (admins)."""

from __future__ import annotations

from handlers.imports import command
from handlers.router import Router


def register(router: Router) -> None:
    router.command("nhap", command.import_plan, roles=("admin",))
