"""Which chat reaches a person with their personal messages (reminders, notices): the
channel they chose, else the one they used last, and on it their private chat — never
the group where they happened to register.

On Telegram a private chat's id is the user's own id, so the private chat is known even
when the person first wrote in a group (sending there fails with "blocked" until they
press Start, which the dispatcher already handles as unreachable). Zalo bots have
private chats only; the console has one chat per person."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from models.people import Identity, Person

# Channels where a private chat's id is the user's id.
USER_ID_IS_PRIVATE_CHAT = ("telegram",)


@dataclass(frozen=True)
class Reach:
    """Where to send: shaped like an ``Identity`` for the code that sends."""

    channel: str
    chat_id: str
    external_id: str


def private_chat(identity: Identity) -> str:
    """The chat id of the person's private chat with dondoc on this identity's channel."""
    if identity.channel in USER_ID_IS_PRIVATE_CHAT:
        return identity.external_id
    return identity.chat_id or identity.external_id


def is_private_chat(channel: str, external_id: str, chat_id: str | None) -> bool:
    """Whether a message from ``external_id`` in ``chat_id`` came through a private chat
    (as far as the ids tell; every Zalo bot chat is private)."""
    if channel in USER_ID_IS_PRIVATE_CHAT:
        return chat_id is not None and str(chat_id) == str(external_id)
    return True


def reach(person: Person, channels: Collection[str]) -> Reach | None:
    """The private chat that reaches ``person`` among the ``channels`` that can send."""
    usable = [i for i in person.identities if i.channel in channels]
    wanted = [person.preferred_channel, person.last_channel]
    ordered = sorted(
        usable, key=lambda i: (wanted.index(i.channel) if i.channel in wanted else 2, i.id)
    )
    if not ordered:
        return None
    first = ordered[0]
    return Reach(first.channel, private_chat(first), first.external_id)


def group_chat(person: Person, where: Reach) -> str | None:
    """The group the person first wrote from on ``where``'s channel, when that is not the
    private chat (they registered in a group and never opened a private chat)."""
    for identity in person.identities:
        if (
            identity.channel == where.channel
            and identity.chat_id
            and not is_private_chat(identity.channel, identity.external_id, identity.chat_id)
        ):
            return identity.chat_id
    return None
