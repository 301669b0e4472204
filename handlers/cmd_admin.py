"""Admin commands: /nhap (import a plan file sent as a document) and /moi ĐƠN_VỊ
[vai_trò] (make an invite code)."""

from __future__ import annotations

from documents.plan_reader import too_large
from documents.plan_table import PlanFileError
from handlers.choices import AWAIT_IMPORT, await_next
from handlers.cmd_register import not_registered, role_name
from handlers.context import Request
from handlers.messages import Attachment, Outgoing
from handlers.permissions import is_admin
from handlers.plan_import import QUOTE_CHARS, clip, review_line
from handlers.score_import import import_any
from locales import _, ngettext
from models.invites import create_invite
from models.plan_store import resolve_unit
from models.queries import units_of
from models.unit_names import fold

ROLE_WORDS = {
    "canbo": "officer",
    "officer": "officer",
    "cb": "officer",
    "lanhdao": "leader",
    "leader": "leader",
    "ld": "leader",
    "quantri": "admin",
    "admin": "admin",
    "theodoi": "viewer",
    "viewer": "viewer",
}


def admin_only(request: Request) -> list[Outgoing] | None:
    """The answer to a person who may not use admin commands; None for an admin."""
    if request.organization is None:
        return not_registered()
    if not is_admin(request.grants, request.organization.id):
        return [Outgoing(_("Lệnh này chỉ dành cho quản trị của xã/phường."))]
    return None


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
                ).format(org=org.name)
            )
        ]
    try:
        if attachment.size is not None and attachment.size > len(attachment.data):
            # The channel did not download it (over its limit): too large, not empty.
            raise too_large(attachment.filename, attachment.size)
        # The file is read before anything is written, so a bad file changes nothing.
        kind, summary = await import_any(
            request.session,
            data=attachment.data,
            filename=attachment.filename,
            organization=org.name,
            now=request.now,
            timezone=org.timezone,
        )
    except PlanFileError as error:
        if attachment.filename and attachment.filename in error.message:  # named once
            text = _("Không nhập được: {problem}\nDữ liệu cũ vẫn giữ nguyên.")
        else:
            text = _("Không nhập được tệp «{name}»: {problem}\nDữ liệu cũ vẫn giữ nguyên.")
        return [Outgoing(text.format(name=attachment.filename, problem=error.message))]
    if kind == "scores":
        return [Outgoing(summary.text())]
    lines = [
        _("Đã nhập «{plan}»: {tasks} trong {sections}.").format(
            plan=summary.plan,
            tasks=ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", summary.tasks).format(n=summary.tasks),
            sections=ngettext("{n} mục", "{n} mục", len(summary.sections)).format(
                n=len(summary.sections)
            ),
        )
    ]
    if not summary.plan_created:
        lines.append(
            _("Nhập lại: thêm {added}, thay đổi {changed}, giữ nguyên {same}.").format(
                added=len(summary.added), changed=len(summary.changed), same=summary.unchanged
            )
        )
    units = [clip(unit, QUOTE_CHARS) for unit in summary.units]
    lines.append(_("Đơn vị: {units}").format(units="; ".join(units)))
    if summary.needs_review:
        lines.append(_("Cần xem lại {n} nhiệm vụ:").format(n=len(summary.needs_review)))
        lines += [review_line(item["number"], item["problem"]) for item in summary.needs_review[:10]]
    return [Outgoing("\n".join(lines))]


async def invite(request: Request, args: str) -> list[Outgoing]:
    if refusal := admin_only(request):
        return refusal
    if request.incoming.chat_type != "private":  # an invite code is a credential
        return [
            Outgoing(
                _(
                    "Vì an toàn, mã mời chỉ được tạo trong trò chuyện riêng với dondoc. Anh/chị vui lòng nhắn /moi cho dondoc ở cửa sổ riêng."
                )
            )
        ]
    org = request.organization
    words = args.split()
    role = "officer"
    for size in (2, 1):  # "canbo", "cán bộ", "lãnh đạo", "admin"…
        tail = fold("".join(words[-size:])) if len(words) >= size else ""
        if tail in ROLE_WORDS:
            role = ROLE_WORDS[tail]
            words = words[:-size]
            break
    unit = None
    if words:
        unit = await resolve_unit(request.session, org, " ".join(words))
        if unit is None:
            known = "; ".join(u.name for u in await units_of(request.session, org))
            text = _("Không tìm thấy đơn vị «{name}» trong {org}.").format(
                name=" ".join(words), org=org.name
            )
            return [Outgoing(text + "\n" + _("Các đơn vị: {units}").format(units=known))]
    elif role == "officer":
        return [
            Outgoing(
                _(
                    "Cách dùng: /moi ĐƠN_VỊ [canbo|lanhdao|quantri|theodoi], ví dụ: /moi Phòng Kinh tế canbo"
                )
            )
        ]
    created = await create_invite(
        request.session, org, role=role, unit=unit, uses=1, now=request.now
    )
    where = unit.name if unit else org.name
    return [
        Outgoing(
            _(
                "Mã mời cho {where} (vai trò {role}): {code}\nNgười được mời nhắn cho dondoc: /dangky {code}\nMã dùng được một lần, trong 30 ngày."
            ).format(where=where, role=role_name(role), code=created.code)
        )
    ]
