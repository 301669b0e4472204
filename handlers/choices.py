"""What a person's next bare reply means. The last task shown or reminded is the task
in focus (a reply without a number is about it); on text-only channels the buttons of
the last message become numbered choices ("Trả lời 1 = Hoàn thành, 2 = …") and a bare
"1" picks the first. Used for answers and for reminders alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Outgoing
from locales import _
from models.conversation import Focus, chat_state

LONG_CHOICES = 80  # characters of choices that still read well on one line
AWAIT_IMPORT = "@import"  # an admin said /nhap and the file comes next
AWAIT_EXTENSION = "@ext:"  # + task id: the next text is the date and reason asked for
AWAIT_DECISION = "@why:"  # + decision row id: a leader's next text is its reason or instruction


async def take_awaited(
    session: AsyncSession, person_id: int, channel: str, now: datetime
) -> str | None:
    """What the previous answer asked for (an ``AWAIT_*`` marker), removed: it is good
    for the one message that follows."""
    state = await chat_state(session, person_id, channel, now)
    found = next((c for c in state.choices if c.startswith("@")), None)
    if found is not None:
        state.choices = [c for c in state.choices if not c.startswith("@")]
    return found


async def await_next(
    session: AsyncSession, person_id: int, channel: str, marker: str, now: datetime
) -> None:
    """Ask for something in the next message (the file after /nhap, the date after
    "Xin gia hạn")."""
    state = await chat_state(session, person_id, channel, now)
    state.choices = [c for c in state.choices if not c.startswith("@")] + [marker]


def render_choices(outgoing: list[Outgoing], *, has_buttons: bool) -> list[str] | None:
    """On a text-only channel, turn the last message's buttons into numbered choices
    (other messages lose theirs); returns the choices' data, or None if there were none.
    On a channel with buttons nothing changes and None is returned."""
    if has_buttons:
        return None
    own = [m for m in outgoing if m.chat_id is None]
    with_buttons = [m for m in own if m.buttons]
    for message in with_buttons[:-1]:
        message.buttons = []
    if not with_buttons:
        return None
    last = with_buttons[-1]
    flat = [b for row in last.buttons for b in row]
    pairs = [f"{i} = {b.label}" for i, b in enumerate(flat, 1)]
    if sum(len(p) for p in pairs) > LONG_CHOICES:  # on a phone, one choice a line
        last.text += "\n" + _("Trả lời") + ":\n" + "\n".join(pairs)
    else:
        last.text += "\n" + _("Trả lời") + " " + ", ".join(pairs)
    last.buttons = []
    return [b.data for b in flat]


def message_focus(message: Outgoing) -> Focus:
    return Focus(message.task_id, tuple(message.task_ids), tuple(message.score_item_ids))


def focus_of(outgoing: list[Outgoing]) -> Focus:
    """What the last of the person's own messages about tasks is about."""
    focus = Focus()
    for message in outgoing:
        if message.chat_id is None and message_focus(message):
            focus = message_focus(message)
    return focus


async def save_focus(
    session: AsyncSession,
    person_id: int,
    channel: str,
    *,
    focus: Focus,
    choices: list[str] | None,
    text_only: bool,
    now: datetime,
) -> None:
    state = await chat_state(session, person_id, channel, now)
    if focus:
        state.task_id = focus.task_id
        state.task_ids = list(focus.task_ids)
        state.score_item_ids = list(focus.score_items)
        state.focus_at = now
    if choices is not None:
        # What this message asked to be typed next (``await_next``) stays beside its choices.
        state.choices = choices + [c for c in state.choices if c.startswith("@")]
    elif text_only:
        # A bare number now names a task; what the next message is awaited for stays.
        state.choices = [c for c in state.choices if c.startswith("@")]
    state.updated_at = now


async def remember_focus(
    session: AsyncSession,
    person_id: int,
    channel: str,
    outgoing: list[Outgoing],
    *,
    has_buttons: bool,
    now: datetime,
) -> None:
    if not outgoing or all(m.aside for m in outgoing):
        return
    choices = render_choices(outgoing, has_buttons=has_buttons)
    await save_focus(
        session,
        person_id,
        channel,
        focus=focus_of(outgoing),
        choices=choices,
        text_only=not has_buttons,
        now=now,
    )
