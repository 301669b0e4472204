"""Everything that is not a command or a button: a file, a short typed answer to the
question dondoc just asked, a numbered choice on a text channel, a bare task number, or
free text about a task. The order matters and is written once, here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.choices import AWAIT_IMPORT
from handlers.context import Request
from handlers.imports.command import import_plan
from handlers.messages import Outgoing
from handlers.replies import files, free_text, questions
from handlers.router import SHORT
from handlers.tasks.commands import my_tasks
from models.conversation import chat_state

Handler = Callable[[Request, str], Awaitable[list[Outgoing]]]
SHORT_ANSWER = 20  # characters: longer texts are replies, never "6" or "1.2" answers


def with_file(handler: Handler) -> Handler:
    """``handler`` for a command whose words may come with a file (a caption): the file
    is kept as evidence for the tasks the words were recorded for."""

    async def handle(request: Request, args: str) -> list[Outgoing]:
        if request.incoming.attachment is None:
            return await handler(request, args)
        return await files.with_words(request, lambda: handler(request, args))

    return handle


async def text_or_file(request: Request) -> list[Outgoing]:
    incoming = request.incoming
    text = incoming.text.strip()
    if incoming.attachment:
        # After /nhap, or an admin's plan file: an import. Otherwise: evidence.
        if request.awaited == AWAIT_IMPORT or files.plan_import(request):
            return await import_plan(request, "")
        if not text:
            return await files.file_alone(request)
        return await files.with_words(request, lambda: free_text.free_text(request))
    if text and len(text) <= SHORT_ANSWER:
        if typed := await questions.typed_which(request, text):
            return typed
        if typed := await request.router.read(SHORT, request, text):
            return typed  # "1.2" answering which score item
    bare = text.rstrip(".)").rstrip()  # "1." and "1)" are the bare "1" typed on a phone
    if bare.isascii() and bare.isdigit() and len(bare) <= 2:
        state = await chat_state(request.session, request.person.id, incoming.channel, request.now)
        index = int(bare) - 1
        offered = [c for c in state.choices if not c.startswith("@")]  # not what is awaited
        if 0 <= index < len(offered):
            return await request.router.press(request, offered[index])
        if request.grants:  # not a choice on offer: a task's number, never a note "2"
            return await my_tasks(request, str(int(bare)))  # "01" is task 1
    return await free_text.free_text(request)
