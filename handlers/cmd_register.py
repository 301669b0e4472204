"""Joining and getting help: /start, /dangky MÃ, /ngonngu vi|en, /trogiup, and the
answer to a command dondoc does not know."""

from __future__ import annotations

from handlers.context import Request
from handlers.messages import Outgoing
from locales import LANGUAGES, N_, _
from locales import set_language as use_language
from models.invites import InviteProblem, redeem_invite
from models.outbox import request_replan

ROLE_NAMES = {
    "officer": N_("cán bộ phụ trách"),
    "leader": N_("lãnh đạo"),
    "admin": N_("quản trị"),
    "viewer": N_("theo dõi"),
}


def role_name(role: str) -> str:
    return _(ROLE_NAMES.get(role, role))


def not_registered() -> list[Outgoing]:
    return [
        Outgoing(
            _(
                "Anh/chị chưa đăng ký với dondoc. Vui lòng nhắn /dangky MÃ_MỜI (mã do văn phòng cấp)."
            )
        )
    ]


def help_text(request: Request) -> str:
    lines = [_("Các lệnh của dondoc:")]
    lines.append(_("/viec — nhiệm vụ của tôi, hạn gần nhất trước; /viec SỐ — xem một nhiệm vụ"))
    lines.append(
        _(
            "/capnhat SỐ nội dung — báo cáo tình trạng, ví dụ: /capnhat 12 Hoàn thành, QĐ số 12/QĐ-UBND ngày 09/01/2026"
        )
    )
    lines.append(
        _(
            "/quahan — nhiệm vụ quá hạn; /tiendo [ĐƠN_VỊ|quy1…quy4] — tiến độ; /baocao [quy|6thang|nam] — phụ lục kết quả"
        )
    )
    lines.append(_("/giahan SỐ NGÀY_MỚI lý do — xin gia hạn, ví dụ: /giahan 12 20/12 chờ kinh phí"))
    if request.role in ("leader", "admin"):
        lines.append(_("Lãnh đạo: /duyet SỐ — duyệt gia hạn; /tuchoi SỐ lý do — từ chối"))
    lines.append(_("/hoantac — hoàn tác lần cập nhật vừa rồi"))
    lines.append(_("/dangky MÃ — đăng ký bằng mã mời; /ngonngu vi|en — đổi ngôn ngữ"))
    lines.append(
        _(
            "/lienket — dùng dondoc trên cả Telegram và Zalo; /kenh telegram|zalo — chọn nơi nhận lời nhắc"
        )
    )
    if request.role == "admin":
        lines.append(
            _("Quản trị: /nhap (gửi kèm tệp kế hoạch), /moi ĐƠN_VỊ [vai_trò] — tạo mã mời")
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
    try:
        redeemed = await redeem_invite(request.session, request.person, code, now=request.now)
    except InviteProblem as problem:
        messages = {
            "unknown": _(
                "Mã mời «{code}» không đúng. Anh/chị kiểm tra lại hoặc xin mã mới ở văn phòng."
            ),
            "expired": _("Mã mời «{code}» đã hết hạn. Vui lòng xin mã mới ở văn phòng."),
            "used_up": _("Mã mời «{code}» đã được dùng hết lượt. Vui lòng xin mã mới ở văn phòng."),
        }
        return [Outgoing(messages[problem.reason].format(code=code))]
    membership = redeemed.membership
    await request_replan(request.session, membership.organization_id, request.now)  # remind them at once
    where = membership.organization.name
    if membership.unit is not None:
        where = f"{membership.unit.name}, {where}"
    if redeemed.already_member:
        text = _("Anh/chị đã đăng ký rồi: {where}, vai trò {role}.")
    else:
        text = _("Đăng ký thành công: {where}, vai trò {role}.")
    text = text.format(where=where, role=role_name(membership.role))
    hint = (
        _("Nhắn /viec để xem nhiệm vụ của mình.")
        if membership.role != "viewer"
        else _("Nhắn /tiendo để xem tiến độ.")
    )
    return [Outgoing(text + "\n" + hint)]


async def set_language(request: Request, args: str) -> list[Outgoing]:
    lang = args.strip().lower()[:2]
    if lang not in LANGUAGES:
        return [Outgoing(_("Chọn ngôn ngữ: /ngonngu vi (Tiếng Việt) hoặc /ngonngu en (English)."))]
    request.person.language = lang
    use_language(lang)
    return [Outgoing(_("Đã chuyển sang tiếng Việt."))]


async def unknown_command(request: Request, name: str) -> list[Outgoing]:
    text = _("Tôi chưa hiểu lệnh /{name}.").format(name=name)
    if not request.grants:
        return [Outgoing(text + " " + _("Để bắt đầu, nhắn /dangky MÃ_MỜI."))]
    return [Outgoing(text + "\n" + help_text(request))]
