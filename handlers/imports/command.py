"""/nhap: an admin imports a plan or a score sheet sent as a document, pasted after the
command, or sent right after it (``choices.AWAIT_IMPORT``). What a plan file does to
the organization's plans is shown and confirmed in ``handlers.imports.confirm``."""

from __future__ import annotations

from documents.plan_file_error import PlanFileError
from documents.plan_reader import too_large
from handlers.assigned.list_import import offer_list
from handlers.choices import AWAIT_IMPORT, await_next
from handlers.context import Request
from handlers.guards import admin_only
from handlers.imports.any_file import store_parsed_sheet
from handlers.imports.confirm import offer, read_file
from handlers.messages import Attachment, Outgoing
from locales import _
from models.org_names import org_name


async def import_plan(request: Request, args: str) -> list[Outgoing]:
    if refusal := admin_only(request):
        return refusal
    org = request.organization
    attachment = request.incoming.attachment
    if attachment is None and "\n" in args.strip() and ("\t" in args or args.count("|") > 8):
        # A table pasted after the command: read as a text file would be.
        attachment = Attachment(_("bảng dán.txt"), args.strip().encode("utf-8"))
    if attachment is None or attachment.kind != "document":
        await await_next(
            request.session, request.person.id, request.incoming.channel, AWAIT_IMPORT, request.now
        )
        return [
            Outgoing(
                _(
                    "Anh/chị gửi tệp kế hoạch (.docx, .xlsx hoặc .csv) vào đây, tôi sẽ nhập cho {org}."
                ).format(org=org_name(org.name).of_whom)
            )
        ]
    try:
        if attachment.size is not None and attachment.size > len(attachment.data):
            # The channel did not download it (over its limit): too large, not empty.
            raise too_large(attachment.filename, attachment.size)
        # A list of tasks the city gave (unit, content, deadline, source columns).
        if (listed := await offer_list(request, attachment)) is not None:
            return listed
        # The file is read before anything is written, so a bad file changes nothing.
        kind, read = await read_file(request, attachment.data, attachment.filename)
        if kind == "plan":
            return await offer(request, attachment.data, attachment.filename, read)
        summary = await store_parsed_sheet(
            request.session, read, filename=attachment.filename, organization=org.name,
            now=request.now, timezone=org.timezone,
        )  # fmt: skip
    except PlanFileError as error:
        if attachment.filename and attachment.filename in error.message:  # named once
            text = _("Không nhập được: {problem}\nDữ liệu cũ vẫn giữ nguyên.")
        else:
            text = _("Không nhập được tệp «{name}»: {problem}\nDữ liệu cũ vẫn giữ nguyên.")
        return [Outgoing(text.format(name=attachment.filename, problem=error.message))]
    return [Outgoing(summary.text())]
