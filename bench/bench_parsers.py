"""Benchmark: the worst case of each text parser on long adversarial inputs — every
piece its patterns use (a character or a token) repeated 10,000 times, alone and
around a phrase the parser reads. A parser whose patterns backtrack takes seconds on
one of them; a linear one takes milliseconds. Prints, per parser, the worst time and
the input that caused it. A measurement for ``make bench``, not a pass/fail test; the
tests hold each input to 50 ms (tests/test_deadline_speed.py).

Sections: ``deadline`` (scheduler/deadlines.py, plan cells). A ``status`` section
(handlers/status_text.py, replies) is added to ``SECTIONS`` below in the same way: a
function returning (label, seconds, input) rows.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPEAT = 10_000
RUNS = 3  # the best of three runs: a busy machine slows one run, not three
Row = tuple[str, float, str]

# Every character and token the deadline patterns and rules look at.
DEADLINE_PIECES = (
    *"<>()[]-–—,;:./ \n\t0123456789qQiđÐạ",
    "<>",
    "<a",
    "<<>",
    "(a",
    "[a)",
    "a>",
    "<i>",
    "1/",
    "12/",
    "1/qd ",
    "1/qd-ubnd/",
    "1/2026/qd ",
    "so 1/",
    "số 12/KH-UBND ngày ",
    "ngay 1/1/",
    "ngày 1/1/2026 ",
    "theo ",
    " theo",
    "tiep theo ",
    "q ",
    "qi ",
    "quy ",
    "quý I ",
    "iii ",
    "iv ",
    "thang ",
    "tháng 3, ",
    "3, ",
    "3 và ",
    "nam ",
    "năm 2026 ",
    "2026-",
    "2026 ",
    "trước ",
    "trước ngày ",
    "ngày ",
    "ngày 10 ",
    "hằng ",
    "hằng tháng ",
    "mỗi ",
    "và ",
    "các ",
    "từ ",
    "đến ",
    "hết ",
    "chậm nhất ",
    "cuối ",
    "định kỳ ",
    "trong ",
    "thời gian ",
    "hoàn thành ",
    "sáu ",
    "mười ",
    "mười một ",
    "1 lần ",
    "6 tháng ",
    "15/6 và ",
    "Quý I/2026 và ",
    "thường xuyên ",
    "theo yêu cầu ",
    "sau khi ",
    "đột xuất ",
    "tháng cuối quý ",
    "trở đi ",
    "và các năm tiếp theo ",
    "2026-10-31 ",
    "2026-10-",
    "00:00:00 ",
    "1:",
    "T9/",
    "t.",
    "Q.3 ",
    "Quí ",
    "không quá ",
    "muộn nhất ",
    "hạn cuối: ",
    "từ nay đến ",
    "đến cuối ",
    "đầu năm ",
    "mùng ",
    "duy trì ",
    "Tháng 5, 6, ",
    "Quý I và quý II ",
)
_TAILS = ("", " Quý III/2026", " Trước ngày 15/01/2026")


def adversarial(
    pieces: Iterable[str], n: int = REPEAT, *, chars: int | None = None
) -> Iterator[str]:
    """Each piece ``n`` times (or repeated to ``chars`` characters), alone, followed by
    a readable phrase, and after one."""
    for piece in pieces:
        body = piece * n if chars is None else (piece * (chars // len(piece) + 1))[:chars]
        for tail in _TAILS:
            yield body + tail
        yield "Quý III/2026 " + body


def best_time(parse: Callable[[str], object], text: str, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        parse(text)
        times.append(time.perf_counter() - t0)
    return min(times)


def worst(parse: Callable[[str], object], inputs: Iterable[str]) -> tuple[float, str]:
    return max(((best_time(parse, text), text) for text in inputs), key=lambda r: r[0])


def deadline_section() -> list[Row]:
    from language.deadlines import MAX_CELL, _parse, parse_deadline

    today = date(2026, 5, 20)
    capped = f"deadline: parse_deadline, {REPEAT:,} repeats (over {MAX_CELL:,} characters: refused)"
    uncapped = f"deadline: the grammar without the cap, {REPEAT:,} characters"
    return [
        (capped, *worst(lambda t: parse_deadline(t, 2026, today), adversarial(DEADLINE_PIECES))),
        (
            uncapped,
            *worst(lambda t: _parse(t, 2026, today), adversarial(DEADLINE_PIECES, chars=REPEAT)),
        ),
    ]


def choices_section() -> list[Row]:
    """The choices offered for an unread cell and the key its answer is kept under."""
    from language.deadline_choices import all_choices, cell_key

    today = date(2026, 5, 20)
    return [
        (
            f"choices: all_choices + cell_key of an unread cell, {REPEAT:,} repeats",
            *worst(
                lambda t: (all_choices(t, 2026, today), cell_key(t)),
                adversarial(DEADLINE_PIECES),
            ),
        )
    ]


SECTIONS: dict[str, Callable[[], list[Row]]] = {
    "deadline": deadline_section,
    "choices": choices_section,
    # "status": status_section,  # handlers/status_text.py: add it here
}


def _shown(text: str) -> str:
    head = text[:24].replace("\n", "\\n")
    return f"{head!r}… ({len(text):,} characters)"


def deadline_share() -> tuple[int, int]:
    """(cells read right, cells) of tests/data/deadline_cells.tsv, as the table test reads."""
    from language.deadlines import occurrences, parse_deadline

    def day(value: str) -> date | None:
        return None if value == "-" else date.fromisoformat(value)

    table = Path(__file__).resolve().parent.parent / "tests" / "data" / "deadline_cells.tsv"
    right = total = 0
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, kind, start, due, every, windows, *_note = line.split("\t")
        d = parse_deadline(text, 2026, date(2026, 5, 20))
        want = (kind, day(start), day(due), None if every == "-" else every)
        total += 1
        right += (d.kind, d.start, d.due, d.every) == want and len(occurrences(d, 2026)) == int(
            windows
        )
    return right, total


def main() -> None:
    right, total = deadline_share()
    print(f"deadline cells: {right}/{total} read right ({right / total:.1%})")
    print(f"Parsers on adversarial inputs ({REPEAT:,} repeats of each piece), worst case:")
    for name, section in SECTIONS.items():
        for label, seconds, text in section():
            print(f"  {label}: {seconds * 1000:.1f} ms worst, on {_shown(text)}")
        del name


if __name__ == "__main__":
    main()
