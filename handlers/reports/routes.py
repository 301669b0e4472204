"""What the reports feature adds to the router: /tiendo, /baocao and /ketqua."""

from __future__ import annotations

from handlers.reports import appendix, commands, progress
from handlers.router import Router


def register(router: Router) -> None:
    router.command("tiendo", progress.progress)
    router.command("baocao", commands.report)
    router.command("ketqua", appendix.appendix_wording, roles=("admin",))
