"""The registry every feature adds itself to, the way aiogram's feature routers do.

A feature's ``routes.register(router)`` names its commands (and who may use them), its
buttons (by the kind before the first ":" of their data), the steps that answer what
dondoc asked for (by the prefix of ``request.awaited``) and its readers of free text
that go before the task replies (a score typed in words). The conversation and the
features dispatch through it (``press``), so no feature imports another to route.
``handlers.features.build_router`` builds the one the product uses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Outgoing
from language import command_names
from locales import _

Handler = Callable[[Request, str], Awaitable[list[Outgoing]]]
ButtonHandler = Callable[[Request, str, str], Awaitable[list[Outgoing]]]  # (request, kind, rest)
Reader = Callable[[Request, str], Awaitable[list[Outgoing] | None]]  # None: not mine
StrangerAnswer = Callable[[str | None], list[Outgoing]]  # the command typed, if any
UnknownCommand = Callable[[Request, str, str | None], Awaitable[list[Outgoing]]]

# Where a reader of free text is asked: ``SHORT`` for a short typed answer to a
# which-question ("1.2"), before numbered choices; ``BEFORE_TASKS`` before the text is
# read as a reply about tasks ("mục 1.2 đạt 1 điểm").
SHORT, BEFORE_TASKS = "short", "before_tasks"


@dataclass(frozen=True)
class Command:
    handler: Handler
    roles: tuple[str, ...] | None = None  # None: everyone
    joining: bool = False  # may make a stranger a person (register, link)


@dataclass
class Router:
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    steps: dict[str, Callable[[Request, str, str], Awaitable[list[Outgoing]]]] = field(
        default_factory=dict
    )
    left: dict[str, Callable[[Request, str], Awaitable[list[Outgoing]]]] = field(
        default_factory=dict
    )
    readers: dict[str, list[Reader]] = field(default_factory=dict)
    text: Callable[[Request], Awaitable[list[Outgoing]]] | None = None
    unknown_command: UnknownCommand | None = None
    stranger: StrangerAnswer | None = None

    # --- registration -------------------------------------------------------------
    def command(
        self,
        name: str,
        handler: Handler,
        *,
        roles: tuple[str, ...] | None = None,
        aliases: tuple[str, ...] = (),
        joining: bool = False,
    ) -> None:
        for each in (name, *aliases):
            if each in self.commands:
                raise ValueError(f"command /{each} registered twice")
            self.commands[each] = Command(handler, roles, joining)

    def button(self, kinds: tuple[str, ...] | str, handler: ButtonHandler) -> None:
        for kind in (kinds,) if isinstance(kinds, str) else kinds:
            if kind in self.buttons:
                raise ValueError(f"button kind {kind!r} registered twice")
            self.buttons[kind] = handler

    def step(
        self,
        prefix: str,
        handler: Callable[[Request, str, str], Awaitable[list[Outgoing]]],
        *,
        left: Callable[[Request, str], Awaitable[list[Outgoing]]] | None = None,
    ) -> None:
        """``handler(request, rest_of_awaited, text)`` answers the text that follows a
        message which asked for it (``choices.await_next``); ``left(request, rest)``
        may add a line when a command or a button came instead, so what was asked for
        is not dropped without a word."""
        self.steps[prefix] = handler
        if left is not None:
            self.left[prefix] = left

    def reader(self, stage: str, reader: Reader) -> None:
        self.readers.setdefault(stage, []).append(reader)

    # --- dispatch -------------------------------------------------------------------
    def parse_command(self, text: str) -> tuple[str, str] | None:
        return command_names.parse_command(text, self.commands)

    def usable_commands(self, role: str | None) -> list[str]:
        """The commands a person of ``role`` may use: a mistyped command is never
        answered with one they cannot use ("/nhac" typed by a leader is not "/nhap")."""
        return [
            name
            for name, command in self.commands.items()
            if command.roles is None or role in command.roles
        ]

    async def press(self, request: Request, data: str) -> list[Outgoing]:
        """A pressed button, or the numbered choice standing for it on text channels."""
        if not request.grants:
            return not_registered()
        kind, _sep, rest = data.partition(":")
        handler = self.buttons.get(kind)
        if handler is None:
            return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
        return await handler(request, kind, rest)

    async def read(self, stage: str, request: Request, text: str) -> list[Outgoing] | None:
        """The first answer of the readers of ``stage``; None when none takes the text."""
        for reader in self.readers.get(stage, ()):
            found = await reader(request, text)
            if found is not None:
                return found
        return None

    async def step_left(self, request: Request) -> list[Outgoing]:
        """What to add when the message that came was not the awaited text."""
        awaited = request.awaited or ""
        for prefix, handler in self.left.items():
            if awaited.startswith(prefix):
                return await handler(request, awaited[len(prefix) :])
        return []

    async def awaited_step(self, request: Request, text: str) -> list[Outgoing] | None:
        """The answer of the step the previous message asked for, if one is waiting."""
        awaited = request.awaited or ""
        for prefix, handler in self.steps.items():
            if awaited.startswith(prefix):
                return await handler(request, awaited[len(prefix) :], text)
        return None
