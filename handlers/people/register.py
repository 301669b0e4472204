"""Joining and getting help: /start, /dangky MÃ, /ngonngu vi|en, /trogiup, and the
answer to a command dondoc does not know."""

from __future__ import annotations

import math
from datetime import datetime

from handlers.context import Request
from handlers.messages import Outgoing
from locales import LANGUAGES, N_, _
from locales import set_language as use_language
from models.attempts import Scope, forget, locked_until, record_failure, scopes_for
from models.invites import InviteProblem, redeem_invite
from models.org_names import org_name
from models.outbox import request_replan

ROLE_NAMES = {
    "officer": N_("cán bộ phụ trách"),
    "leader": N_("lãnh đạo"),
    "admin": N_("quản trị"),
    "viewer": N_("theo dõi"),
}


def role_name(role: str) -> str:
    return _(ROLE_NAMES.get(role, role))



def guess_scopes(request: Request) -> list[Scope]:
    """Where a wrong code typed in this request is counted (models/attempts.py)."""
    incoming = request.incoming
    return scopes_for(incoming.channel, incoming.user_id, [g.organization_id for g in request.grants])


async def refused_for_guessing(request: Request, scopes: list[Scope]) -> list[Outgoing] | None:
    """The answer while a cool-down runs (no code is looked at then), else None."""
    until = await locked_until(request.session, scopes, request.now)
    if until is None:
        return None
    return [Outgoing(too_many_text(until, request.now))]


def too_many_text(until: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return _(
        "Đã có quá nhiều lần nhập sai mã. Để bảo vệ tài khoản, vui lòng thử lại sau {minutes} phút."
    ).format(minutes=minutes)


def help_text(request: Request) -> str:
    lines = [_("Các lệnh của dondoc:")]
    lines.append(_("/viec — nhiệm vụ của tôi, hạn gần nhất trước; /viec SỐ — xem một nhiệm vụ"))
    lines.append(
        _("/viec quahan — chỉ việc quá hạn; /tim và từ khóa — tìm nhiệm vụ, ví dụ: /tim dan chu")
    )
    lines.append(
        _(
            "/capnhat SỐ nội dung — báo cáo tình trạng, ví dụ: /capnhat 12 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"
        )
    )
    lines.append(
        _(
            "/quahan — nhiệm vụ quá hạn; /tiendo — tiến độ (ví dụ: /tiendo quy1, /tiendo Phòng Kinh tế); /baocao — phụ lục kết quả (ví dụ: /baocao 6thang, /baocao nam)"
        )
    )
    lines.append(
        _(
            "/baocao baocao — dự thảo báo cáo kèm phụ lục (ví dụ: /baocao baocao 6thang); /diem — bảng điểm tự đánh giá; /diem SỐ ĐIỂM kết quả — báo điểm một mục"
        )
    )
    lines.append(_("/giahan SỐ, ngày mới và lý do — xin gia hạn, ví dụ: /giahan 12 20/12 chờ kinh phí"))
    lines.append(
        _(
            "/kehoach — các kế hoạch đang theo dõi và mã của từng kế hoạch; khi có nhiều kế hoạch, ghi mã trước số nhiệm vụ, ví dụ: /capnhat CĐS6 Hoàn thành"
        )
    )
    if request.role in ("leader", "admin"):
        lines.append(
            _(
                "Lãnh đạo: /duyet — các đề nghị gia hạn đang chờ; /duyet SỐ — duyệt; /tuchoi SỐ lý do — từ chối"
            )
        )
        lines.append(_("Lãnh đạo: /nhac SỐ — nhắc lại cán bộ phụ trách nhiệm vụ quá hạn"))
        lines.append(
            _(
                "Lãnh đạo: /giao tên đơn vị: nội dung, hạn …, theo Công văn số … — giao nhiệm vụ UBND thành phố giao"
            )
        )
    lines.append(_("/hoantac — hoàn tác lần cập nhật vừa rồi"))
    lines.append(_("/dangky và mã mời — đăng ký; /ngonngu en hoặc /ngonngu vi — đổi ngôn ngữ (English, tiếng Việt)"))
    lines.append(
        _(
            "/lienket — dùng dondoc trên cả Telegram và Zalo; /kenh zalo hoặc /kenh telegram — chọn nơi nhận lời nhắc"
        )
    )
    if request.role == "admin":
        lines.append(
            _(
                "Quản trị: /nhap (gửi kèm tệp kế hoạch hoặc bảng điểm), /moi tên đơn vị và vai — tạo mã mời (ví dụ: /moi Phòng Kinh tế canbo), /ketqua SỐ nội dung — sửa lời ghi vào phụ lục, /chamdiem SỐ ĐIỂM — chấm điểm một mục, /kehoach mã cũ mã mới — đổi mã một kế hoạch (ví dụ: /kehoach KH1 CCHC)"
            )
        )
    lines.append(
        _(
            "Cũng có thể trả lời trực tiếp vào tin nhắc việc bằng lời thường: «Hoàn thành», «đang thực hiện 60%», «chưa thực hiện, lý do: …»."
        )
    )
    return "\n".join(lines)


async def start(request: Request, args: str) -> list[Outgoing]:
    if args:  # a deep link t.me/bot?start=CODE carries the invite code
        return await register(request, args)
    if not request.grants:
        return [
            Outgoing(
                _(
                    "Xin chào, tôi là dondoc — trợ lý đôn đốc nhiệm vụ kế hoạch của xã/phường.\n"
                    "Để bắt đầu, anh/chị nhắn /dangky kèm mã mời do văn phòng cấp, ví dụ: /dangky ABCD2345.\n"
                    "Sau đó tôi sẽ nhắc việc trước hạn và anh/chị trả lời tình trạng ngay tại đây."
                )
            )
        ]
    return [
        Outgoing(
            _("Chào anh/chị {name}.").format(name=request.person.display_name)
            + "\n"
            + help_text(request)
        )
    ]


async def help_(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return await start(request, "")
    return [Outgoing(help_text(request))]


async def register(request: Request, args: str) -> list[Outgoing]:
    code = args.split()[0] if args.split() else ""
    if not code:
        return [Outgoing(_("Vui lòng nhắn kèm mã mời, ví dụ: /dangky ABCD2345"))]
    scopes = guess_scopes(request)
    refused = await refused_for_guessing(request, scopes)
    if refused:
        return refused
    code = code[:20]  # echoed below; a code is never longer
    try:
        redeemed = await redeem_invite(request.session, request.person, code, now=request.now)
    except InviteProblem as problem:
        if problem.reason == "unknown":
            await record_failure(request.session, scopes, request.now)
        messages = {
            "unknown": _(
                "Mã mời «{code}» không đúng. Anh/chị kiểm tra lại hoặc xin mã mới ở văn phòng."
            ),
            "expired": _("Mã mời «{code}» đã hết hạn. Vui lòng xin mã mới ở văn phòng."),
            "used_up": _("Mã mời «{code}» đã được dùng hết lượt. Vui lòng xin mã mới ở văn phòng."),
        }
        return [Outgoing(messages[problem.reason].format(code=code))]
    await forget(request.session, scopes[0])
    membership = redeemed.membership
    await request_replan(request.session, membership.organization_id, request.now)  # remind them at once
    where = org_name(membership.organization.name).of_whom  # "xã X" inside a sentence
    if membership.unit is not None:
        where = f"{membership.unit.name}, {where}"
    if redeemed.already_member:
        text = _("Anh/chị đã đăng ký rồi: {where}, vai trò {role}.")
    else:
        text = _("Đăng ký thành công: {where}, vai trò {role}.")
    text = text.format(where=where, role=role_name(membership.role))
    if not redeemed.already_member and (others := earlier_roles(request, membership.id)):
        # A second code adds a role; say so, so that no one gains a role unnoticed.
        text += "\n" + _("Anh/chị vẫn giữ các vai trò đã có: {roles}.").format(roles=others)
    hint = (
        _("Nhắn /viec để xem nhiệm vụ của mình.")
        if membership.role != "viewer"
        else _("Nhắn /tiendo để xem tiến độ.")
    )
    return [Outgoing(text + "\n" + hint)]


def earlier_roles(request: Request, new_id: int) -> str:
    """The person's other roles, "cán bộ phụ trách (Phòng Kinh tế, Xã A)", or ""."""
    roles = []
    for m in request.person.memberships if request.person else []:
        if m.id == new_id or m.organization is None:
            continue
        where = f"{m.unit.name}, {m.organization.name}" if m.unit else m.organization.name
        roles.append(f"{role_name(m.role)} ({where})")
    return "; ".join(roles)


async def set_language(request: Request, args: str) -> list[Outgoing]:
    lang = args.strip().lower()[:2]
    if lang not in LANGUAGES:
        return [Outgoing(_("Chọn ngôn ngữ: /ngonngu vi (Tiếng Việt) hoặc /ngonngu en (English)."))]
    request.person.language = lang
    use_language(lang)
    return [Outgoing(_("Đã chuyển sang tiếng Việt."))]


def unknown_for_stranger(name: str) -> list[Outgoing]:
    text = _("Tôi chưa hiểu lệnh /{name}.").format(name=name[:30])
    return [Outgoing(text + " " + _("Để bắt đầu, anh/chị nhắn /dangky kèm mã mời do văn phòng cấp."))]


async def unknown_command(request: Request, name: str, near: str | None) -> list[Outgoing]:
    """One line, with the nearest command when there is one; never the whole help."""
    if not request.grants:
        return unknown_for_stranger(name)
    text = _("Tôi chưa hiểu lệnh /{name}.").format(name=name[:30])
    if near:
        return [
            Outgoing(
                text
                + " "
                + _("Ý anh/chị là /{command}? Nhắn /trogiup để xem các lệnh.").format(command=near)
            )
        ]
    return [Outgoing(text + " " + _("Nhắn /trogiup để xem các lệnh."))]
