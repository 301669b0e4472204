"""/giao: a leader or admin gives the task the city assigned, in one message —
``/giao ĐƠN_VỊ: nội dung, hạn …, theo Công văn số … của UBND thành phố`` — or as a reply
to the letter's text. Each part is read (``language.assignment_words``); the unit by the
plans' unit-name rules. When a part is missing or unclear dondoc asks for it, one part a
message (the unit with one tap each, numbers on Zalo; the others typed), keeping what
was typed in a ``Question``; the task is given once every part is clear
(``handlers.assigned.record``)."""

from __future__ import annotations

from dataclasses import replace

from handlers.assigned import list_import
from handlers.assigned.draft import QUESTION_KIND, Draft, answered, from_assignment, missing
from handlers.assigned.draft import the_deadline as draft_deadline
from handlers.assigned.record import give
from handlers.choices import await_next
from handlers.context import Request
from handlers.guards import not_registered
from handlers.messages import Button, Outgoing, small_id
from handlers.permissions import is_leader
from handlers.short_text import short
from language.assignment_words import combine, read_assignment, read_letter
from locales import N_, _
from models.conversation import Question
from models.people import Unit
from models.plan_store import resolve_unit
from models.queries import units_of
from models.unit_names import fold, normalise_unit_name

STEP = "@assign:"  # + question id + ":" + part: the next text answers that part
UNIT, NO_SOURCE, CANCEL = "asu", "asn", "asx"  # button kinds: a unit, no document, cancel
CANCEL_WORDS = {"huy", "huy bo", "thoi", "bo qua", "cancel"}
NO_SOURCE_WORDS = {"khong", "khong co", "khong co van ban", "khong van ban", "none"}
UNIT_PREFIX_WORDS = 8  # "/giao Phòng Kinh tế rà soát …": the longest prefix naming a unit
EXAMPLE = N_(
    "/giao Phòng Văn hóa - Xã hội: Báo cáo kết quả tự kiểm tra CCHC trước 15/12/2026 "
    "(Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố)"
)


def usage() -> str:
    return _(
        "Cách dùng: /giao tên đơn vị: nội dung, hạn …, theo Công văn số … — ví dụ:\n{example}\nCũng có thể trả lời tin có nội dung công văn bằng /giao và tên đơn vị."
    ).format(example=_(EXAMPLE))


async def give_command(request: Request, args: str) -> list[Outgoing]:
    if not request.grants:
        return not_registered()
    org = request.organization
    if not is_leader(request.grants, org.id):
        return [Outgoing(_("Chỉ lãnh đạo hoặc quản trị mới giao nhiệm vụ được."))]
    if request.incoming.attachment is not None:  # the city's list of tasks, as a file
        return await list_import.offer_file(request, request.incoming.attachment)
    today = request.today()
    typed = read_assignment(args, today)
    quoted = request.incoming.quoted.strip()
    if quoted:
        typed = combine(typed, read_letter(quoted, today))
    elif not args.strip():
        return [Outgoing(usage())]
    draft = from_assignment(typed)
    draft = await _find_unit(request, draft)
    question = Question(
        person_id=request.person.id,
        channel=request.incoming.channel,
        kind=QUESTION_KIND,
        candidates=[],
        text=(args + ("\n" + quoted if quoted else ""))[:4000],
        reading=draft.to_json(),
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    return await advance(request, question, draft)


async def _find_unit(request: Request, draft: Draft) -> Draft:
    """The unit typed before ":"; else the longest opening words of the content that
    name one of the organization's units ("Phòng Kinh tế rà soát …")."""
    org = request.organization
    if draft.unit:
        unit = await resolve_unit(request.session, org, draft.unit)
        return replace(draft, unit_id=unit.id) if unit is not None else draft
    words = draft.content.split()
    keys = {u.normalized_name: u for u in await units_of(request.session, org)}
    for size in range(min(len(words) - 1, UNIT_PREFIX_WORDS), 0, -1):
        unit = keys.get(normalise_unit_name(" ".join(words[:size])))
        if unit is not None:
            rest = " ".join(words[size:]).lstrip(" :,-–")
            return replace(
                draft, unit_id=unit.id, unit=unit.name, content=rest[:1].upper() + rest[1:]
            )
    return draft


def _so_far(draft: Draft, unit: Unit | None) -> str:
    """What was understood so far, so the person sees nothing typed was lost."""
    parts = []
    if unit is not None:
        parts.append(_("Đơn vị: {unit}").format(unit=unit.name))
    if draft.content:
        parts.append(_("Nội dung: {content}").format(content=short(draft.content, 160)))
    if draft.deadline:
        parts.append(_("Hạn: {deadline}").format(deadline=draft.deadline))
    if draft.source:
        parts.append(_("Văn bản: {source}").format(source=short(draft.source, 160)))
    return (_("Đã ghi nhận") + " — " + "; ".join(parts) + ".") if parts else ""


async def advance(request: Request, question: Question, draft: Draft) -> list[Outgoing]:
    """Ask for the first part still missing, or give the task."""
    question.reading = draft.to_json()
    today = request.today()
    left = missing(draft, today)
    unit = await request.session.get(Unit, draft.unit_id) if draft.unit_id else None
    if not left:
        question.answered_at = request.now
        assert unit is not None
        deadline, _problem = draft_deadline(draft, today)
        assert deadline is not None
        return await give(request, unit, draft.content, deadline, draft.source)
    part = left[0]
    await await_next(
        request.session,
        request.person.id,
        request.incoming.channel,
        f"{STEP}{question.id}:{part}",
        request.now,
    )
    lines = [line for line in (_so_far(draft, unit),) if line]
    cancel = Button(_("Hủy"), f"{CANCEL}:{question.id}")
    if part == "unit":
        if draft.unit:
            lines.append(_("Không tìm thấy đơn vị «{name}».").format(name=short(draft.unit, 80)))
        units = await units_of(request.session, request.organization)
        lines.append(_("Giao cho đơn vị nào? Chọn một đơn vị hoặc nhắn tên đơn vị."))
        rows = [[Button(u.name, f"{UNIT}:{question.id}:{u.id}")] for u in units]
        return [Outgoing("\n".join(lines), buttons=[*rows, [cancel]])]
    if part == "content":
        lines.append(
            _(
                "Nhiệm vụ giao là gì? Anh/chị nhắn nội dung (hoặc dán nội dung công văn) ở tin tiếp theo."
            )
        )
    elif part == "deadline":
        _deadline, problem = draft_deadline(draft, today)
        lines.append(problem or _("Chưa có hạn hoàn thành."))
        lines.append(
            _(
                "Hạn hoàn thành là khi nào? Ví dụ «15/12/2026», «Trước ngày 15/12/2026», «Quý IV/2026»."
            )
        )
    else:
        lines.append(
            _(
                "Nhiệm vụ này theo văn bản nào? Nhắn số văn bản, ví dụ «Công văn số 1234/UBND-NV ngày 01/12/2026 của UBND thành phố», hoặc chọn «Không có văn bản»."
            )
        )
        none = Button(_("Không có văn bản"), f"{NO_SOURCE}:{question.id}")
        return [Outgoing("\n".join(lines), buttons=[[none, cancel]])]
    return [Outgoing("\n".join(lines), buttons=[[cancel]])]


async def _open(request: Request, question_id: int | None) -> tuple[Question | None, str | None]:
    """The person's open /giao question; else None and why."""
    question = await request.session.get(Question, question_id) if question_id else None
    if (
        question is None
        or question.kind != QUESTION_KIND
        or question.person_id != request.person.id
    ):
        return None, _("Nút này không còn dùng được. Nhắn /giao để giao nhiệm vụ.")
    if question.answered_at is not None:
        return None, _("Việc giao nhiệm vụ này đã xong hoặc đã hủy.")
    return question, None


async def short_answer(request: Request, text: str) -> list[Outgoing] | None:
    """A ``SHORT`` reader: a short typed answer ("hủy", "không", "20/12/2026", "Kinh
    tế") to what /giao asked, before it could be taken for thanks; a bare number is a
    numbered choice and is left to the choices."""
    awaited = request.awaited or ""
    if not awaited.startswith(STEP) or (text.isascii() and text.isdigit() and len(text) <= 2):
        return None
    return await step(request, awaited[len(STEP) :], text)


async def step(request: Request, rest: str, text: str) -> list[Outgoing]:
    """The typed answer to the part asked (``STEP`` + "ID:part")."""
    qid, _sep, part = rest.partition(":")
    question, problem = await _open(request, small_id(qid))
    if question is None:
        return [Outgoing(problem or "")]
    words = " ".join(fold(text).strip(" .!").split())
    if words in CANCEL_WORDS:
        return await button(request, CANCEL, str(question.id))
    if part == "source" and words in NO_SOURCE_WORDS:
        return await button(request, NO_SOURCE, str(question.id))
    draft = answered(Draft.from_json(question.reading), part, text, request.today())
    if part == "unit":
        unit = await resolve_unit(request.session, request.organization, draft.unit)
        draft = replace(draft, unit_id=unit.id if unit is not None else None)
    return await advance(request, question, draft)


async def button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """A unit chosen (``asu:ID:UNIT``), "Không có văn bản" (``asn:ID``), "Hủy" (``asx:ID``)."""
    qid, _sep, choice = rest.partition(":")
    question, problem = await _open(request, small_id(qid))
    if question is None:
        return [Outgoing(problem or "")]
    draft = Draft.from_json(question.reading)
    if kind == CANCEL:
        question.answered_at = request.now
        return [Outgoing(_("Đã hủy, chưa giao nhiệm vụ nào."), edit=True)]
    if kind == NO_SOURCE:
        return await advance(request, question, replace(draft, no_source=True, source=""))
    unit_id = small_id(choice)
    unit = await request.session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.organization_id != request.organization.id:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /giao để giao nhiệm vụ."))]
    return await advance(request, question, replace(draft, unit_id=unit.id, unit=unit.name))
