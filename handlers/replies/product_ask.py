"""A task reported done without its product: recorded as said, and asked once.

The plan names each task's product ("Sản phẩm: Kế hoạch của UBND xã"); the appendix
needs the document's number and date. When an officer of the lead unit says "xong rồi"
and names no document, no product and sends no file, the confirmation asks for the
number and date or a file, with one tap to skip. Asked only when the task becomes done
(never again for a task already done), so nobody is asked twice for the same report.
What the officer types next ("Kế hoạch số 05/KH-UBND ngày 10/01/2026") or a file sent
within the evidence window is read as usual: done, with that document."""

from __future__ import annotations

import re

from handlers.context import Request
from handlers.messages import Button, Outgoing, small_id
from handlers.short_text import short
from handlers.tasks.access import may_report
from locales import _, ngettext
from models.evidence import files_of_task
from models.plans import Task
from models.queries import evidence_of, get_task
from models.unit_names import fold

# An example reference of the product's kind: an officer copies the shape he is shown.
EXAMPLES = {
    "ke hoach": "Kế hoạch số 05/KH-UBND ngày 10/01/2026",
    "bao cao": "Báo cáo số 05/BC-UBND ngày 10/01/2026",
    "quyet dinh": "Quyết định số 05/QĐ-UBND ngày 10/01/2026",
    "nghi quyet": "Nghị quyết số 05/NQ-HĐND ngày 10/01/2026",
    "thong bao": "Thông báo số 05/TB-UBND ngày 10/01/2026",
    "cong van": "Công văn số 05/UBND-VP ngày 10/01/2026",
}
SKIP = "nodoc"  # button "nodoc:<task id>": no document to give, nothing is recorded
_KINDS = re.compile(r"[,;/]|\bvà\b|\bhoặc\b")
_WORDS = re.compile(r"[a-z0-9]+")


def product_kinds(product: str) -> list[str]:
    """The kinds of document a product names, folded, without the issuer: "Kế hoạch của
    UBND xã" → ["ke hoach"]; "Kế hoạch, Báo cáo" → ["ke hoach", "bao cao"]."""
    kinds = []
    for part in _KINDS.split(product or ""):
        words = _WORDS.findall(fold(part).split(" cua ")[0])
        if words:
            kinds.append(" ".join(words[:2]))
    return kinds


def example_of(product: str) -> str:
    """A document reference shaped like the product ("Báo cáo số 05/BC-UBND …")."""
    found = (EXAMPLES.get(kind) for kind in product_kinds(product))
    return next((e for e in found if e), EXAMPLES["ke hoach"])


def names_product(text: str, product: str) -> bool:
    """Whether the officer's words name the product ("đã ban hành kế hoạch")."""
    said = " ".join(_WORDS.findall(fold(text)))
    return any(re.search(rf"\b{re.escape(kind)}\b", said) for kind in product_kinds(product))


def should_ask(
    product: str | None, text: str, evidence: tuple[str, ...] | list[str], was_done: bool
) -> bool:
    """A done report that names no document, no product and came with no file, for a
    task with a product that was not done already."""
    if not product or was_done or evidence:
        return False
    return not names_product(text, product)


async def question(
    request: Request, task: Task, text: str, evidence: list[str], was_done: bool
) -> tuple[str, Button] | None:
    """The question's line and its skip button, or None when nothing is to be asked
    (someone else's report, or documents or files already kept for the task)."""
    if not may_report(request, task) or not should_ask(task.product, text, evidence, was_done):
        return None
    if await evidence_of(request.session, task) or await files_of_task(request.session, task.id):
        return None
    line = _(
        "Sản phẩm của nhiệm vụ là «{product}»: nếu đã có, anh/chị nhắn giúp số, ngày văn bản "
        "(ví dụ «{example}») hoặc gửi tệp để đưa vào phụ lục."
    ).format(product=short(task.product or "", 80), example=example_of(task.product or ""))
    return line, Button(_("Bỏ qua"), f"{SKIP}:{task.id}")


def several_line(numbers: list[str]) -> str:
    """Several tasks reported done at once, some without their product: one line."""
    return ngettext(
        "Nhiệm vụ {numbers} chưa có số, ngày văn bản của sản phẩm; khi có, anh/chị nhắn kèm số nhiệm vụ, ví dụ «nhiệm vụ {first}: Kế hoạch số 05/KH-UBND ngày 10/01/2026», hoặc gửi tệp.",
        "Nhiệm vụ {numbers} chưa có số, ngày văn bản của sản phẩm; khi có, anh/chị nhắn kèm số nhiệm vụ, ví dụ «nhiệm vụ {first}: Kế hoạch số 05/KH-UBND ngày 10/01/2026», hoặc gửi tệp.",
        len(numbers),
    ).format(numbers=", ".join(numbers), first=numbers[0])


async def skip_button(request: Request, kind: str, rest: str) -> list[Outgoing]:
    """The officer has no document to give now: nothing more is asked."""
    key = small_id(rest)
    task = await get_task(request.session, key) if key else None
    if task is None:
        return [Outgoing(_("Nút này không còn dùng được. Nhắn /viec để xem lại nhiệm vụ."))]
    number = task.number
    return [
        Outgoing(
            _(
                "Vâng, tôi không hỏi thêm. Khi có văn bản, anh/chị nhắn /capnhat {number} kèm số, ngày văn bản hoặc gửi tệp."
            ).format(number=number)
        )
    ]
