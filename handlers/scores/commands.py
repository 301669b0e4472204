"""/diem and /chamdiem: the score sheet in the conversation.

- ``/diem``: the self-assessed points out of the maximum, by criterion and by lead unit,
  and the items not yet reported (officers: their units' items first). A viewer of
  several communes gets one line per commune; ``/diem TÊN_XÃ`` shows one.
- ``/diem SỐ [điểm] [kết quả]``: an officer of the item's lead unit (or a leader)
  proposes a score and/or the result ("/diem 1.2 0,5 …", "/diem 1.2 tự chấm 0,5",
  "/diem 1.2 đạt 1 điểm, Kế hoạch số …"); a score above the item's maximum is refused,
  naming the maximum. ``/diem SỐ`` alone shows the item's card: its maximum, history
  (who proposed what), confirmed score and evidence files.
- ``/chamdiem SỐ ĐIỂM [ghi chú]``: the compiler (admin) confirms or changes the score;
  the history keeps who proposed what. A new proposal after a confirmation waits for
  the compiler again (the confirmation is cleared, and kept in the history).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from documents.score_chart import score_chart
from handlers.context import Request
from handlers.evidence import score_items as score_evidence
from handlers.guards import admin_only, not_registered
from handlers.messages import Attachment, Outgoing
from handlers.permissions import is_leader, officer_units
from handlers.reports.delivery import can_send_files
from handlers.scores.notices import tell_lead_units
from handlers.short_text import short, without_bullet
from language.formats import format_date
from language.score_words import parse_score_words
from locales import _, ngettext
from models.org_names import org_name as name_forms
from models.outbox import request_replan
from models.people import Organization
from models.score_queries import SheetView, history, load_sheet
from models.score_tree import format_points
from models.scores import ScoreEntry, ScoreItem
from models.unit_names import fold

UNREPORTED_SHOWN = 20
PERIOD_WORDS = {"6thang": "6 tháng", "nam": "năm"}


def _of(points: Decimal, maximum: Decimal) -> str:
    return f"{format_points(points)}/{format_points(maximum)}"


def figures_text(org_name: str, view: SheetView, *, unit_names: list[str] | None = None) -> str:
    """The /diem answer for one sheet (``unit_names``: an officer's units, shown alone)."""
    overall = view.overall()
    sheet = view.sheet
    lines = [
        _("Bảng điểm «{title}» — {org}:").format(title=sheet.title, org=org_name),
        ngettext("Tự đánh giá: {points} điểm ({scored}/{items} mục đã báo cáo).", "Tự đánh giá: {points} điểm ({scored}/{items} mục đã báo cáo).", overall.leaves).format(
            points=_of(overall.points, sheet.max_points or overall.max_points),
            scored=overall.scored, items=overall.leaves,
        ),
        _("Theo tiêu chí:"),
    ]
    for criterion in view.criteria:
        got = view.totals_of(criterion)
        lines.append(f"• {criterion.ref}. {_short(criterion.content)}: {_of(got.points, got.max_points)}")
    units = view.by_unit()
    if unit_names is not None:
        units = [(name, t) for name, t in units if name in unit_names]
    lines.append(_("Theo đơn vị chủ trì:"))
    for name, got in units:
        missing = (
            ngettext(" — {n} mục chưa báo cáo", " — {n} mục chưa báo cáo", got.unscored).format(
                n=got.unscored
            ) if got.unscored else ""
        )
        lines.append(f"• {name}: {_of(got.points, got.max_points)}{missing}")
    unreported = view.unreported()
    if unit_names is not None:
        unreported = [i for i in unreported if {u.name for u in i.units("lead")} & set(unit_names)]
    if unreported:
        lines.append(_("Chưa báo cáo ({n}):").format(n=len(unreported)))
        for item in unreported[:UNREPORTED_SHOWN]:
            lines.append(f"• {item.ref}: {_short(item.content)} ({format_points(item.max_points)})")
        if len(unreported) > UNREPORTED_SHOWN:
            lines.append(ngettext("… và {n} mục khác.", "… và {n} mục khác.", len(unreported) - UNREPORTED_SHOWN).format(n=len(unreported) - UNREPORTED_SHOWN))
        lines.append(_("Báo điểm: /diem SỐ ĐIỂM kết quả, ví dụ /diem {ref} {max} Đã thực hiện …").format(
            ref=unreported[0].ref, max=format_points(unreported[0].max_points)))
    review = [i for i in view.items if i.needs_review]
    if view.gone:
        lines.append(_("Không còn trong bảng điểm mới nhập (giữ lại lịch sử, không tính điểm): {refs}").format(
            refs=", ".join(_short(i.content, 40) for i in view.gone[:10])))
    if review or sheet.needs_review:
        lines.append(_("Cần xem lại: {refs}").format(
            refs=", ".join([*(["Tổng"] if sheet.needs_review else []), *(i.ref for i in review)])))
    return "\n".join(lines)


def _short(text: str, limit: int = 70) -> str:
    return short(without_bullet(text), limit)


def overview_text(rows: list[tuple[str, SheetView | None]]) -> str:
    lines = [_("Điểm tự đánh giá theo xã/phường:")]
    for name, view in rows:
        if view is None:
            lines.append(_("{org}: chưa có bảng điểm").format(org=name))
            continue
        got = view.overall()
        lines.append(ngettext("{org}: {points} điểm, {scored}/{items} mục đã báo cáo", "{org}: {points} điểm, {scored}/{items} mục đã báo cáo", got.leaves).format(
            org=name, points=_of(got.points, view.sheet.max_points or got.max_points),
            scored=got.scored, items=got.leaves))
    lines.append(_("Nhắn /diem kèm tên một xã/phường ở trên để xem chi tiết."))
    return "\n".join(lines)


async def scores(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    viewed = list(request.organizations.values())
    words = parse_score_words(args) if args.strip() else None
    if request.role == "viewer" and len(viewed) > 1:
        chosen = [o for o in viewed if args.strip() and fold(o.name) == fold(args.strip())]
        if not chosen:
            rows = [(o.name, await load_sheet(request.session, o)) for o in sorted(viewed, key=lambda o: o.name)]
            return [Outgoing(overview_text(rows))]
        return await _figures(request, chosen[0])
    org = request.organization
    if words is None:
        return await _figures(request, org)
    view = await load_sheet(request.session, org)
    if view is None:
        return [_no_sheet(org)]
    item = _find(view, words.ref)
    if item is None:
        return [_unknown(words.ref)]
    if words.points is None and not words.text:  # the item's card; a bare reply is about it
        files, buttons = await score_evidence.card(request, item)
        text = "\n".join([await _item_text(request, view, item), *files])
        return [Outgoing(text, buttons=buttons, score_item_ids=(item.id,))]
    return [await propose(request, view, item, words.points, words.text)]


_ITEM_WORDS = ("muc ", "tieu chi ", "diem muc ", "cham muc ")


async def typed_score(request: Request, text: str) -> list[Outgoing] | None:
    """A score typed without the command: "mục 1.2 đạt 1 điểm, Kế hoạch số …" (or
    "tiêu chí 3 tự chấm 5,5"). None when the text names no item of the sheet, so the
    words go on to the task readers."""
    folded = fold(text.strip())
    word = next((w for w in _ITEM_WORDS if folded.startswith(w)), None)
    org = request.organization
    if word is None or org is None:
        return None
    words = parse_score_words(text.strip()[len(word) :])
    if words is None or (words.points is None and not words.text):
        return None
    view = await load_sheet(request.session, org)
    item = _find(view, words.ref) if view is not None else None
    if view is None or item is None:
        return None
    return [await propose(request, view, item, words.points, words.text)]


def _no_sheet(org: Organization) -> Outgoing:
    return Outgoing(_("{org} chưa có bảng điểm nào được nhập. Quản trị gửi tệp bảng điểm bằng /nhap.").format(org=org.name))


def _unknown(ref: str) -> Outgoing:
    return Outgoing(_("Không có mục «{ref}» trong bảng điểm. Nhắn /diem để xem các mục.").format(ref=ref))


def _find(view: SheetView, ref: str) -> ScoreItem | None:
    if ref.startswith("#") and ref[1:].isdigit():
        return next((i for i in view.items if i.id == int(ref[1:])), None)
    return view.by_ref(ref)


async def _figures(request: Request, org: Organization) -> list[Outgoing]:
    view = await load_sheet(request.session, org)
    if view is None:
        return [_no_sheet(org)]
    names = None
    if not is_leader(request.grants, org.id) and request.role != "viewer":
        names = [m.unit.name for m in request.person.memberships if m.unit and m.organization_id == org.id]
    reply = Outgoing(figures_text(name_forms(org.name).display, view, unit_names=names))
    if can_send_files(request):
        rows = []
        for criterion in view.criteria:
            got = view.totals_of(criterion)
            rows.append((f"{criterion.ref}. {criterion.content}", got.points, got.max_points))
        got = view.overall()
        heading = _("{org}: tự đánh giá {points} điểm").format(
            org=org.name, points=_of(got.points, view.sheet.max_points or got.max_points))
        png = await asyncio.to_thread(score_chart, rows, heading)
        reply.photo = Attachment("diem.png", png, "photo")
    return [reply]


def may_propose(request: Request, org_id: int, item: ScoreItem) -> bool:
    if is_leader(request.grants, org_id):
        return True
    return bool(officer_units(request.grants, org_id) & {u.id for u in item.units("lead")})


async def propose(
    request: Request, view: SheetView, item: ScoreItem, points: Decimal | None, text: str
) -> Outgoing:
    org_id = view.sheet.organization_id
    if not view.is_leaf(item):
        return Outgoing(_("Mục {ref} được tính từ các mục con ({refs}); anh/chị báo điểm cho từng mục con.").format(
            ref=item.ref, refs=", ".join(k.ref for k in view.kids(item))))
    if not may_propose(request, org_id, item):
        return Outgoing(_("Mục {ref} do {units} chủ trì; anh/chị chỉ báo điểm cho mục của đơn vị mình.").format(
            ref=item.ref, units="; ".join(u.name for u in item.units("lead")) or _("đơn vị khác")))
    if points is not None and item.max_points is not None and points > item.max_points:
        return Outgoing(_("Không ghi nhận: {points} điểm vượt điểm chuẩn của mục {ref} (tối đa {max} điểm).").format(
            points=format_points(points), ref=item.ref, max=format_points(item.max_points)))
    request.session.add(ScoreEntry(
        item_id=item.id, person_id=request.person.id, created_at=request.now, kind="proposed",
        points=points, text=text, channel=request.incoming.channel))
    if points is not None:
        item.self_points = points
        item.confirmed_points = None  # a new proposal waits for the compiler again
    if text:
        item.result_text = text
    item.updated_at = request.now
    await request.session.flush()
    await request_replan(request.session, org_id, request.now)  # a unit done is reminded no more
    said = _("tự đánh giá {points}/{max} điểm").format(
        points=format_points(points), max=format_points(item.max_points)) if points is not None else _("chưa có điểm")
    lines = [_("Đã ghi nhận mục {ref} «{content}»: {said}.").format(ref=item.ref, content=_short(item.content, 60), said=said)]
    if text:
        lines.append(_("Kết quả: {text}").format(text=_short(text, 300)))
    if points is None:
        lines.append(_("Anh/chị báo thêm điểm tự đánh giá: /diem {ref} ĐIỂM").format(ref=item.ref))
    got = view.overall()
    lines.append(_("Tổng tự đánh giá hiện nay: {points} điểm.").format(points=_of(got.points, view.sheet.max_points or got.max_points)))
    return Outgoing("\n".join(lines), score_item_ids=(item.id,))  # a file next is its evidence


async def _item_text(request: Request, view: SheetView, item: ScoreItem) -> str:
    got = view.totals_of(item)
    lines = [f"{item.ref}. {without_bullet(item.content)}", _("Điểm chuẩn: {max}").format(max=format_points(got.max_points))]
    if item.units("lead"):
        lines.append(_("Chủ trì: {units}").format(units="; ".join(u.name for u in item.units("lead"))))
    if item.evidence_required:
        lines.append(_("Minh chứng: {text}").format(text=item.evidence_required))
    if view.is_leaf(item):
        lines.append(_("Tự đánh giá: {points}").format(points=format_points(item.self_points, "—")))
        if item.confirmed_points is not None:
            lines.append(_("Đã xác nhận: {points}").format(points=format_points(item.confirmed_points)))
        if item.result_text:
            lines.append(_("Kết quả: {text}").format(text=item.result_text))
        for entry in await history(request.session, item):
            lines.append("  " + entry_line(entry, request))
    else:
        lines.append(_("Đạt: {points}").format(points=format_points(got.points)))
    return "\n".join(lines)


def entry_line(entry: ScoreEntry, request: Request) -> str:
    who = entry.person.display_name if entry.person else _("tệp nhập")
    when = format_date(entry.created_at.astimezone(request.now.tzinfo).date())
    if entry.kind == "confirmed":
        what = _("xác nhận {points} điểm").format(points=format_points(entry.points))
        if entry.text:  # the compiler's note stays with the score
            what += f" — {entry.text}"
    elif entry.kind == "proposed":
        what = _("đề xuất {points} điểm").format(points=format_points(entry.points, "—"))
    else:
        what = _("nhập lại: {text}").format(text=entry.text)
    return f"{when} — {who}: {what}"


async def confirm(request: Request, args: str) -> list[Outgoing]:
    """/chamdiem SỐ ĐIỂM [ghi chú]."""
    if refusal := admin_only(request):
        return refusal
    org = request.organization
    words = parse_score_words(args)
    if words is None or words.points is None:
        return [Outgoing(_("Cách dùng: /chamdiem SỐ ĐIỂM, có thể kèm ghi chú, ví dụ /chamdiem 1.2 2,5 hoặc /chamdiem 1.2 2,5 thiếu ảnh minh chứng"))]
    view = await load_sheet(request.session, org)
    if view is None:
        return [_no_sheet(org)]
    item = _find(view, words.ref)
    if item is None:
        return [_unknown(words.ref)]
    if not view.is_leaf(item):
        return [Outgoing(_("Mục {ref} được tính từ các mục con; anh/chị chấm từng mục con.").format(ref=item.ref))]
    if item.max_points is not None and words.points > item.max_points:
        return [Outgoing(_("Không ghi nhận: {points} điểm vượt điểm chuẩn của mục {ref} (tối đa {max} điểm).").format(
            points=format_points(words.points), ref=item.ref, max=format_points(item.max_points)))]
    proposals = [e for e in await history(request.session, item) if e.kind == "proposed" and e.points is not None]
    entry = ScoreEntry(
        item_id=item.id, person_id=request.person.id, created_at=request.now, kind="confirmed",
        points=words.points, text=words.text, channel=request.incoming.channel)
    request.session.add(entry)
    item.confirmed_points = words.points
    item.updated_at = request.now
    await request.session.flush()
    told = await tell_lead_units(request, item, entry)
    lines = [_("Đã chấm mục {ref}: {points}/{max} điểm.").format(
        ref=item.ref, points=format_points(words.points), max=format_points(item.max_points))]
    if words.text:
        lines.append(_("Ghi chú: {note}").format(note=words.text))
    if told:
        lines.append(_("Đã báo cho {units}.").format(units="; ".join(u.name for u in item.units("lead"))))
    if proposals:
        last = proposals[-1]
        who = last.person.display_name if last.person else _("tệp nhập")
        lines.append(_("Đề xuất trước đó: {points} điểm ({who}).").format(points=format_points(last.points), who=who))
    got = view.overall()
    lines.append(_("Tổng hiện nay: {points} điểm.").format(points=_of(got.points, view.sheet.max_points or got.max_points)))
    return [Outgoing("\n".join(lines))]
