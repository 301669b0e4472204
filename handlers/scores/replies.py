"""A plain reply about the score items a message was about: the "score_due" reminder
(its items are the message's focus), an item's card (/diem SỐ) or a score just
recorded. The officer answers as for a task, with the same reading order and freshness
(``task_access.reply_focus``): the reply to that message, else in a private chat the
items in focus while fresh.

- One item in focus: "đạt 1 điểm, đã công khai đầy đủ" is that item's proposal
  (``cmd_scores.propose``: the lead unit's officers or a leader only; a score above the
  maximum is refused, naming it). A file with it, or right after, is its evidence.
- Several: the text (and file) are kept and dondoc asks which item — one button per
  item on Telegram (``qs:QUESTION:ITEM``), the item's reference typed elsewhere ("1.2")
  — and records after the answer. Never guessed.
- A focus on tasks as well (one reminder of both): a reply with points is about the
  items, one without about the tasks; a reply naming a task by number is about it.
"""

from __future__ import annotations

import re

from handlers.context import Request
from handlers.evidence import files as evidence
from handlers.evidence import score_items as score_evidence
from handlers.messages import Button, Outgoing, small_id
from handlers.replies.questions import LAPSE, latest_open
from handlers.scores.commands import may_propose, propose
from handlers.short_text import short, without_bullet
from handlers.tasks.access import reply_focus
from language.score_result_words import OTHER, UNSURE, result_reading
from language.score_words import find_points
from language.task_refs import split_by_task
from locales import _
from models.conversation import Question
from models.score_queries import SheetView, load_sheet
from models.scores import ScoreItem, ScoreSheet
from models.unit_names import fold

ANSWER = "qs"  # button data: qs:<question id>:<item id>
QUESTION = "score_which"
_ITEM_WORD = re.compile(r"^(?:muc|tieu chi)\s+")


def gone() -> list[Outgoing]:
    return [Outgoing(_("Nút này không còn dùng được. Nhắn /diem để xem lại bảng điểm."))]


async def _views(
    request: Request, item_ids: tuple[int, ...] | list[int]
) -> list[tuple[SheetView, ScoreItem]]:
    """The items among ``item_ids`` that still count in their sheet, of the person's
    communes, in the order given, each with its sheet."""
    found: list[tuple[SheetView, ScoreItem]] = []
    views: dict[int, SheetView | None] = {}
    for item_id in dict.fromkeys(item_ids):
        row = await request.session.get(ScoreItem, item_id)
        sheet = await request.session.get(ScoreSheet, row.sheet_id) if row else None
        org = request.organizations.get(sheet.organization_id) if sheet else None
        if sheet is None or org is None:
            continue
        if sheet.id not in views:
            views[sheet.id] = await load_sheet(
                request.session, org, period=sheet.period, year=sheet.year
            )
        view = views[sheet.id]
        item = next((i for i in view.items if i.id == item_id), None) if view else None
        if view is not None and item is not None and view.is_leaf(item):
            found.append((view, item))
    return found


async def focused_reply(request: Request, text: str) -> list[Outgoing] | None:
    """The reply recorded (or asked about) for the score items in focus; None when the
    focus holds no item or the words are about tasks."""
    if _ITEM_WORD.match(fold(text.strip())):
        return None  # "mục 99 …" names an item itself (``cmd_scores.typed_score``)
    focus = await reply_focus(request)
    if not focus.score_items:
        return None
    points, words = find_points(text)
    if points is None and (focus.tasks or split_by_task(text)[0].number is not None):
        return None
    found = await _views(request, focus.score_items)
    if not found:
        return None
    if len(found) == 1:
        view, item = found[0]
        if points is None and not request.incoming.attachment:
            reading = result_reading(words)
            if reading == OTHER:  # a question, a thanks: not the item's result
                return None
            if reading == UNSURE:  # kept, and recorded only once confirmed
                lead = _(
                    "Nội dung vừa gửi có phải là kết quả của mục {ref} không? Tôi đã giữ lại nội dung; bấm để ghi vào mục."
                ).format(ref=item.ref)
                return (await ask(request, text, [item], lead=lead))[0]
        return [await propose(request, view, item, points, words)]
    return (await ask(request, text, [item for _view, item in found]))[0]


async def ask(
    request: Request, text: str, items: list[ScoreItem], *, lead: str | None = None
) -> tuple[list[Outgoing], Question]:
    """Keep ``text`` (and the message's file) and ask which of ``items`` it is about."""
    incoming = request.incoming
    question = Question(
        person_id=request.person.id,
        channel=incoming.channel,
        kind=QUESTION,
        candidates=[i.id for i in items],
        text=text,
        attachment=(incoming.attachment.ref or incoming.attachment.filename)
        if incoming.attachment
        else None,
        created_at=request.now,
    )
    request.session.add(question)
    await request.session.flush()
    lead = lead or _(
        "Tin vừa rồi nhắc {n} mục chấm điểm; nội dung anh/chị gửi là cho mục nào? Tôi đã giữ lại nội dung."
    ).format(n=len(items))
    example = _("Lần sau anh/chị có thể ghi kèm số mục, ví dụ «mục {ref} đạt 1 điểm».").format(
        ref=items[0].ref
    )
    if not request.has_buttons:
        lines = [lead, *(f"• {i.ref}. {short(without_bullet(i.content), 60)}" for i in items)]
        lines.append(_("Nhắn số mục, ví dụ «{ref}».").format(ref=items[0].ref))
        if text:
            lines.append(example)
        return [Outgoing("\n".join(lines))], question
    rows = [
        [
            Button(
                _("Mục {ref}: {content}").format(ref=i.ref, content=short(without_bullet(i.content), 40)),
                f"{ANSWER}:{question.id}:{i.id}",
            )
        ]
        for i in items
    ]
    return [Outgoing(lead + ("\n" + example if text else ""), buttons=rows)], question


async def typed_item(request: Request, text: str) -> list[Outgoing] | None:
    """An item's reference ("1.2", "mục 3") typed to the which-item question dondoc
    just asked; None when no such question is open or the text names none of its items."""
    question = await latest_open(request, QUESTION)
    if question is None:
        return None
    ref = _ITEM_WORD.sub("", fold(text.strip())).strip().rstrip(".").upper()
    for _view, item in await _views(request, question.candidates):
        if item.ref.upper() == ref:
            return await answer_button(request, ANSWER, f"{question.id}:{item.id}")
    return None


async def answer_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """The item chosen (a tap, or its reference typed): the kept text is recorded for
    it, and the files kept with the question become its evidence."""
    qid_text, _sep, choice = rest.partition(":")
    qid, item_id = small_id(qid_text), small_id(choice)
    question = await request.session.get(Question, qid) if qid else None
    if question is None or question.person_id != request.person.id or question.kind != QUESTION:
        return gone()
    if question.answered_at is not None:
        return [Outgoing(_("Câu hỏi này đã được trả lời rồi."))]
    if request.now - question.created_at > LAPSE:
        question.answered_at = request.now
        return [Outgoing(_("Câu hỏi này đã hết hạn; nội dung anh/chị gửi vẫn được lưu."))]
    found = await _views(request, [item_id] if item_id in question.candidates else [])
    if not found:
        return gone()
    question.answered_at = request.now
    view, item = found[0]
    if not may_propose(request, view.sheet.organization_id, item):
        return [await propose(request, view, item, None, question.text)]  # says whose it is
    kept = await score_evidence.assign_held(request, question.id, item)
    if not question.text.strip():  # a file alone: it is the whole answer
        return [Outgoing("\n".join(kept) or gone()[0].text, edit=True, score_item_ids=(item.id,))]
    points, words = find_points(question.text)
    out = await propose(request, view, item, points, words)
    out.edit = True
    if kept:
        out.text += "\n" + "\n".join(kept)
    return [out]


async def keep_for(
    request: Request, screened: evidence.Screened, item_ids: tuple[int, ...]
) -> list[str]:
    """A file that came with a score reply recorded for one item: its evidence."""
    found = await _views(request, item_ids)
    if len(found) != 1 or not may_propose(request, found[0][0].sheet.organization_id, found[0][1]):
        return []
    return await score_evidence.keep(request, screened, found[0][1])


async def file_alone(
    request: Request, screened: evidence.Screened, item_ids: tuple[int, ...]
) -> list[Outgoing] | None:
    """A file with no words while score items are in focus: the one item's evidence, or
    asked about (the file held until the answer); None when none of them is the person's."""
    found = [
        (view, item)
        for view, item in await _views(request, item_ids)
        if may_propose(request, view.sheet.organization_id, item)
    ]
    if not found:
        return None
    if len(found) == 1:
        lines = await score_evidence.keep(request, screened, found[0][1])
        return [Outgoing("\n".join(lines), score_item_ids=(found[0][1].id,))]
    lead = _("Tin vừa rồi nhắc {n} mục chấm điểm; tệp «{name}» là minh chứng của mục nào?").format(
        n=len(found), name=screened.name
    )
    out, question = await ask(request, "", [item for _view, item in found], lead=lead)
    await evidence.hold(request, screened, question.id)
    out[0].text += "\n" + score_evidence.held_line(screened)
    return out
