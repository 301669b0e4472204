"""The narrative report ("Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính …;
phương hướng nhiệm vụ …") as a structure of parts, headings, paragraphs and list items,
each made of sentences: a pure function of what was recorded (``NarrativeData``).

Every sentence comes from the plan, the officers' reports or the figures of the appendix
(``Report.progress``, quoted as they are so the text, the appendix and /tiendo agree).
A sentence built from text typed without diacritics, or from a reason the compiler has
not reviewed (written the task's appendix row with /ketqua), carries ``review`` and is
highlighted in Word. The document is Vietnamese whoever asks for it; its wording is in
the gettext catalogs like every other message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from documents.narrative_citations import OPENINGS, Citations, after, only_cites, until_next
from documents.narrative_data import NarrativeData, TaskRecord
from documents.narrative_outlook import ahead_blocks, difficulties
from documents.narrative_words import (
    HEADING,
    ITEM,
    PART,
    TEXT,
    Block,
    Sentence,
    ahead_label,
    block,
    by_the_committee,
    full_stop,
    next_period,
    period_start,
    sentence_case,
    written_out,
)
from documents.report_review import typed_without_diacritics
from documents.report_rows import official_date
from documents.result_words import account_of, continuing_row, names_a_file
from locales import DEFAULT_LANGUAGE, _, language, ngettext
from models.progress import Reported, Tally
from models.unit_names import fold


@dataclass(frozen=True)
class Narrative:
    organization: str
    subject: str  # the line under "BÁO CÁO"
    blocks: tuple[Block, ...]
    cited: tuple[str, ...]  # the documents cited, each once, as written in the text
    issuer: tuple[str, str] = ("", "")  # the heading's issuing body (Report.issuer)
    by_unit: bool = False  # a unit's report (its own heading, signer and recipients)

    @property
    def to_review(self) -> int:
        return sum(s.review for b in self.blocks for s in b.sentences)


def _unmarked(reports: Iterable[Reported]) -> bool:
    return any(typed_without_diacritics(r.text) for r in reports)


def _standing_run(reports: Sequence[Reported]) -> list[Reported]:
    """The status reports behind the status that stands (as the appendix quotes them)."""
    statuses = [r for r in reports if r.status != "note"]
    run = len(statuses)
    while run > 0 and statuses[run - 1].status == statuses[-1].status:
        run -= 1
    return statuses[run:]


def _task_sentences(
    task: TaskRecord, head: str, of_whom: str, since: object, cited: Citations
) -> Block:
    """ "- {content}: {head}. UBND xã đã ban hành {documents}. {latest account}." """
    run = _standing_run(task.reports)
    latest = next(((r, a) for r in reversed(run) if (a := account_of(r.text)) is not None), None)
    if task.facts.status == "not_started":
        latest = None  # its reason is told under "Khó khăn, vướng mắc"
    account = latest[1] if latest else None
    documents: list[tuple[str, Reported]] = []
    for report in task.reports:
        if task.facts.status != "done" and report.on < since:  # type: ignore[operator]
            continue  # a continuing task: only what was issued in this period
        for item in report.evidence:
            if not names_a_file(item):  # a file name is no citation: the appendix flags it
                documents.append((item, report))
    # A task nobody reported is named from the figures only: the compiler checks it.
    sentences = [Sentence(f"{task.content}: {head}.", not task.reports)]
    by_committee, others, unmarked = [], [], False
    for item, report in documents:
        if not cited.new(item):
            if account and only_cites(account, item):
                account = None  # it only names a document cited before: once is enough
            continue
        written = written_out(item)
        if account:
            folded, key = fold(account), fold(item)
            at = folded.find(key)
            if at >= 0 and len(folded) == len(account):
                if folded[:at].strip(" ,.:;-") not in OPENINGS:
                    continue  # the account names it in its own words, as written
                # "Đã ban hành QĐ số 12/QĐ-UBND ngày 09/01/2026 về việc …": the reference
                # and what follows it become the sentence.
                written += until_next(account[at + len(item) :], documents, item)
                account = None
            elif key.startswith(folded):
                account = None  # "QĐ số 12" said, the fuller reference read: cite that
        said = after(report.text, item)  # "… của UBND thành phố" after the reference
        (by_committee if by_the_committee(item + said) else others).append(written)
        unmarked = unmarked or typed_without_diacritics(report.text)
    if by_committee:
        sentences.append(
            Sentence(
                _("Ủy ban nhân dân {of_whom} đã ban hành {documents}.").format(
                    of_whom=of_whom, documents="; ".join(by_committee)
                ),
                unmarked,
            )
        )
    if others:  # a higher body's document: carried out here, never issued here
        sentences.append(
            Sentence(
                _("Triển khai thực hiện {documents}.").format(documents="; ".join(others)),
                unmarked,
            )
        )
    if account and latest:
        sentences.append(Sentence(full_stop(account), _unmarked([latest[0]])))
    return Block(ITEM, tuple(sentences))


def _head(task: TaskRecord) -> str:
    """The task's state in words, from its category and standing status: the words of
    its appendix row (``result_words.continuing_row``)."""
    if continuing_row(task.facts):
        return _("đã thực hiện và tiếp tục thực hiện")
    if task.category == "done_late":
        return _("hoàn thành nhưng quá hạn")
    if task.category == "done_on_time":
        return _("đã hoàn thành")
    percents = [r.percent for r in task.reports if r.status == "in_progress" and r.percent]
    head = _("đang thực hiện")
    if task.facts.status == "in_progress" and percents:
        head = _("đang thực hiện (đạt {percent}%)").format(percent=percents[-1])
    if task.category == "overdue":
        head = (
            _("{head}, đã quá hạn").format(head=head)
            if task.facts.status == "in_progress"
            else _("chưa thực hiện, đã quá hạn")
        )
    return head


def _counts(t: Tally) -> str:
    parts = [
        ngettext("hoàn thành {done}/{total} nhiệm vụ", "hoàn thành {done}/{total} nhiệm vụ", t.total).format(done=t.done, total=t.total),
    ]
    if t.continuing:  # the one wording of the categories (documents.category_words)
        parts.append(
            ngettext("trong đó đã thực hiện và tiếp tục thực hiện {n} nhiệm vụ thường xuyên, định kỳ", "trong đó đã thực hiện và tiếp tục thực hiện {n} nhiệm vụ thường xuyên, định kỳ", t.continuing).format(
                n=t.continuing
            )
        )
    for key, words in (
        ("done_late", _("trong đó hoàn thành nhưng quá hạn {n}")),
        ("in_progress", _("đang thực hiện trong hạn {n}")),
        ("overdue", _("quá hạn nhưng chưa hoàn thành {n}")),
    ):
        if t.counts[key]:
            parts.append(words.format(n=t.counts[key]))
    return _("Kết quả: {counts}.").format(counts="; ".join(parts))


def _overall(data: NarrativeData, of_whom: str) -> list[Block]:
    report = data.report
    t = report.progress.overall
    rate = report.rate.split(" = ")[-1]  # "27/52 = 51,9%": the same rate as Biểu mẫu 1
    plan = _("Kế hoạch")
    if data.decision_number and data.decision_date:
        plan = _("Kế hoạch ban hành kèm theo Quyết định số {number} ngày {date}").format(
            number=data.decision_number, date=official_date(data.decision_date)
        )
    first = ngettext(
        "Tính đến ngày {date}, Ủy ban nhân dân {of_whom} đã hoàn thành {done}/{total} nhiệm vụ đề ra tại {plan}, đạt {rate}.", "Tính đến ngày {date}, Ủy ban nhân dân {of_whom} đã hoàn thành {done}/{total} nhiệm vụ đề ra tại {plan}, đạt {rate}.", t.total).format(
        date=official_date(report.as_of),
        of_whom=of_whom,
        done=t.done,
        total=t.total,
        plan=plan,
        rate=rate,
    )
    overdue = ", ".join(report.progress.overdue_numbers)
    figures = [
        _("Số nhiệm vụ hoàn thành đúng hạn: {n} nhiệm vụ;").format(n=t.counts["done_on_time"]),
        *(
            [
                ngettext(
                    "Trong đó đã thực hiện và tiếp tục thực hiện (nhiệm vụ thường xuyên, định kỳ): {n} nhiệm vụ;", "Trong đó đã thực hiện và tiếp tục thực hiện (nhiệm vụ thường xuyên, định kỳ): {n} nhiệm vụ;", t.continuing).format(n=t.continuing)
            ]
            if t.continuing
            else []
        ),
        _("Số nhiệm vụ hoàn thành nhưng quá hạn: {n} nhiệm vụ;").format(n=t.counts["done_late"]),
        _("Số nhiệm vụ đang thực hiện trong hạn: {n} nhiệm vụ;").format(n=t.counts["in_progress"]),
        (
            _("Số nhiệm vụ quá hạn nhưng chưa hoàn thành: {n} nhiệm vụ (nhiệm vụ {numbers});")
            if overdue
            else _("Số nhiệm vụ quá hạn nhưng chưa hoàn thành: {n} nhiệm vụ;")
        ).format(n=t.counts["overdue"], numbers=overdue),
        _("Số nhiệm vụ chưa thực hiện, chưa đến hạn: {n} nhiệm vụ;").format(
            n=t.counts["not_started"]
        ),
        _("Số nhiệm vụ chưa phát sinh: {n} nhiệm vụ.").format(n=t.counts["not_applicable"]),
    ]
    blocks = [block(TEXT, first), *(block(ITEM, f) for f in figures)]
    if (city := report.city) is not None:  # Biểu mẫu 1 row 4, in the seed's words
        blocks.append(block(TEXT, _("Thực hiện nhiệm vụ được Ủy ban nhân dân thành phố giao:")))
        blocks.extend(
            block(ITEM, words.format(n=n))
            for words, n in (
                (_("Tổng số nhiệm vụ được giao: {n} nhiệm vụ;"), city.total),
                (_("Số nhiệm vụ hoàn thành đúng hạn: {n} nhiệm vụ;"), city.counts["done_on_time"]),
                (
                    _("Số nhiệm vụ hoàn thành nhưng quá hạn: {n} nhiệm vụ;"),
                    city.counts["done_late"],
                ),
                (
                    _("Số nhiệm vụ quá hạn nhưng chưa hoàn thành: {n} nhiệm vụ."),
                    city.counts["overdue"],
                ),
            )
        )
    return blocks


def _sections(data: NarrativeData, of_whom: str) -> tuple[list[Block], list[str]]:
    since = period_start(data.report.period)
    as_of = data.report.as_of
    cited = Citations()
    blocks: list[Block] = []
    for index, (numeral, title) in enumerate(data.sections, start=1):
        tasks = [t for t in data.tasks if t.section == numeral]
        blocks.append(block(HEADING, f"{index}. {sentence_case(title)}"))
        tally = data.report.progress.by_section.get(numeral)
        if tally is not None:
            blocks.append(block(TEXT, _counts(tally)))
        done = [
            t
            for t in tasks
            if t.facts.status == "done"
            and not continuing_row(t.facts)
            and t.facts.done_on is not None
            and since <= t.facts.done_on <= as_of
        ]
        going = [
            t
            for t in tasks
            if t not in done and (continuing_row(t.facts) or t.facts.status == "in_progress")
        ]
        behind = [t for t in tasks if t.category == "overdue" and t not in going]
        for label, chosen in (
            (_("Các nhiệm vụ đã hoàn thành trong kỳ:"), done),
            (_("Các nhiệm vụ đang thực hiện, tiếp tục thực hiện:"), going),
            (_("Các nhiệm vụ quá hạn chưa hoàn thành:"), behind),
        ):
            if chosen:
                blocks.append(block(TEXT, label))
                blocks.extend(_task_sentences(t, _head(t), of_whom, since, cited) for t in chosen)
    return blocks, cited.seen


def _opening(data: NarrativeData, of_whom: str, subject: str) -> list[Block]:
    report = data.report
    if data.decision_number:
        day = (
            official_date(data.decision_date)
            if data.decision_date
            else f"     /     /{report.year}"
        )
        cite = Sentence(
            _(
                "Thực hiện Quyết định số {number} ngày {date} của Ủy ban nhân dân {of_whom} về việc ban hành {plan};"
            ).format(number=data.decision_number, date=day, of_whom=of_whom, plan=data.plan_title),
            data.decision_date is None,
        )
    else:  # the compiler fills in the decision (or the admin sets it: /baocao kehoach)
        cite = Sentence(
            _(
                "Thực hiện Quyết định số       /QĐ-UBND ngày      /     /{year} của Ủy ban nhân dân {of_whom} về việc ban hành {plan};"
            ).format(year=report.year, of_whom=of_whom, plan=data.plan_title),
            True,
        )
    basis = Sentence(
        _(
            "[Thực hiện Công văn số …/UBND-… ngày …/…/{year} của Ủy ban nhân dân thành phố về việc thực hiện chế độ báo cáo cải cách hành chính định kỳ;]"
        ).format(year=report.year - 1),
        True,
    )
    intro = _("{author} báo cáo {subject} như sau:").format(
        author=report.author, subject=subject[:1].lower() + subject[1:]
    )
    return [block(TEXT, basis, cite), block(TEXT, intro)]


def _placeholder(text: str) -> Block:
    """What only people know, left in brackets for them to write (never an empty part)."""
    return block(TEXT, Sentence(text, True))


def _direction(data: NarrativeData, of_whom: str) -> list[Block]:
    """Part I as the real reports open it: documents issued to direct the work, the
    progress of the plan (the figures), inspections, communication, the city's tasks."""
    return [
        block(PART, _("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")),
        block(HEADING, _("1. Ban hành văn bản chỉ đạo, điều hành")),
        _placeholder(_("[Các văn bản chỉ đạo, điều hành công tác cải cách hành chính đã ban hành trong kỳ: số, ngày, trích yếu.]")),
        block(HEADING, _("2. Đánh giá, cập nhật tiến độ thực hiện Kế hoạch cải cách hành chính")),
        *_overall(data, of_whom),
        block(HEADING, _("3. Công tác kiểm tra cải cách hành chính")),
        _placeholder(_("[Kết quả kiểm tra cải cách hành chính trong kỳ: số cơ quan, đơn vị được kiểm tra, số vấn đề phát hiện và đã xử lý.]")),
        block(HEADING, _("4. Công tác thông tin, tuyên truyền cải cách hành chính")),
        _placeholder(_("[Các hình thức và kết quả tuyên truyền cải cách hành chính trong kỳ.]")),
    ]  # fmt: skip


def narrative(data: NarrativeData) -> Narrative:
    """The whole report, in Vietnamese, from what was recorded, in the order of the
    real reports (the Nhị Chiểu six-month report): direction, results by area, general
    assessment, outlook by unit, proposals; brackets where only people know."""
    with language(DEFAULT_LANGUAGE):
        report = data.report
        of_whom = report.of_whom
        ahead = ahead_label(next_period(report.period))
        subject = _(
            "Kết quả thực hiện nhiệm vụ cải cách hành chính {period}; phương hướng nhiệm vụ {ahead}"
        ).format(period=report.period.label, ahead=ahead)
        body, cited = _sections(data, of_whom)
        blocks = [
            *_opening(data, of_whom, subject),
            *_direction(data, of_whom),
            block(PART, _("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")),
            *body,
            block(PART, _("III. ĐÁNH GIÁ CHUNG")),
            block(HEADING, _("1. Mặt tích cực")),
            _placeholder(_("[Đánh giá chung: những kết quả nổi bật, ưu điểm trong kỳ.]")),
            block(HEADING, _("2. Tồn tại, hạn chế, khó khăn, vướng mắc")),
            *difficulties(data),
            block(HEADING, _("3. Nguyên nhân")),
            _placeholder(_("[Nguyên nhân khách quan và chủ quan của những tồn tại, hạn chế.]")),
            block(PART, _("IV. PHƯƠNG HƯỚNG NHIỆM VỤ {ahead}").format(ahead=ahead.upper())),
            *ahead_blocks(data),
            block(PART, _("V. ĐỀ XUẤT, KIẾN NGHỊ")),
            _placeholder(_("[Đề xuất, kiến nghị với Ủy ban nhân dân thành phố, các sở, ngành (nếu có).]")),
            block(
                TEXT,
                _("Trên đây là báo cáo {subject} của {author}./.").format(
                    subject=subject[:1].lower() + subject[1:], author=report.author
                ),
            ),
        ]  # fmt: skip
        return Narrative(
            report.organization, subject, tuple(blocks), tuple(cited), report.issuer, bool(report.units)
        )
