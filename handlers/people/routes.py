"""What the people feature adds to the router: registering and linking (the only
commands a stranger may use), invites, language, help, the link buttons, and the
answers to strangers and to mistyped commands."""

from __future__ import annotations

from handlers.guards import not_registered
from handlers.messages import Outgoing
from handlers.people import group_codes, invites, linking
from handlers.people import register as registration
from handlers.router import BEFORE_TASKS, Router


def _stranger(unknown: str | None) -> list[Outgoing]:
    """A stranger's command dondoc does not know, or anything else they send."""
    return registration.unknown_for_stranger(unknown) if unknown else not_registered()


def register(router: Router) -> None:
    router.command("start", group_codes.start, joining=True)  # never registers in a group
    router.command("dangky", group_codes.register, joining=True)
    router.command("trogiup", registration.help_, aliases=("help",))
    router.command("ngonngu", registration.set_language)
    router.command("moi", invites.invite, roles=("admin",))
    router.command("lienket", linking.link, joining=True)
    router.command("kenh", linking.choose_channel)
    router.button(linking.BUTTON_KINDS, linking.button)
    router.reader(BEFORE_TASKS, group_codes.bare_code)  # an invite code alone, in a group
    router.unknown_command = registration.unknown_command
    router.stranger = _stranger
