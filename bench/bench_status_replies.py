"""How well are officers' replies read? (``make bench``; the table test uses the same rules.)

Reads ``tests/data/status_replies.tsv`` (text, status, percent, notes; the notes may hold
``reason=…``, ``evidence=…|…`` and ``until=YYYY-MM-DD``, separated by "; ") and prints:

- the share of replies read right: the status, the percent (an empty cell means none; done
  is 100) and, where the notes give them, the reason, the evidence and the date asked for;
- on its own line, the precision of "done": of the replies the bot would *record* as done
  (status done with confidence ≥ SURE), the share the officer meant as done. A done
  reading below SURE is asked ("Ghi: Hoàn thành?"), not recorded, so it does not count
  against precision; it is listed apart;
- the worst parse time over long adversarial inputs (10,000 repetitions of a fragment),
  in CPU time of the one call (``time.process_time``): on a shared machine the wall clock
  mostly measures the other processes.
"""

from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from language.status_text import SURE, StatusReading, understand_status  # noqa: E402

TABLE = ROOT / "tests" / "data" / "status_replies.tsv"
TODAY = date(2026, 6, 15)  # a Monday, as in tests/test_status_text.py
ADVERSARIAL = (
    "chua ", "ly do ", "1/qd ", "%", "<", "xin gia han ", "1", "9", "1/", "12/QĐ-UBND ",
    "đã trình ", "chờ ", "hoan thanh ", "không ", "a", " ", ",", "đ", "\u200b", "́", "vì ",
    "do ", "ngày 9/1/2026 ", "thêm 10 ngày làm việc ", "đang ", "xong phần ", "2/4 ", "not ",
    "khong phat sinh ", "QĐ số ", "chưa, ", "k ", "hoanf ", "dạ ", "?", "\n", "ok ",
    "em bao cao ", "vang, ", "chi oi ", "anh ", "not yet ", "waiting ", "xong chua ", "con 2 ",
    "trinh ", "cho ", "đợi ", "dang ", "hoàn thành ", "da duoc ", "submitted for ", "- ",
    "ngày ", "tháng ", "quý ", "thứ ", "2 more weeks ", "xongggg", "iii ", "đ́", "ß",
    "cho em lùi ", "cho e xin thêm 2 tuần ", "lùi sang tuần sau ", "tỷ lệ ", "100% TTHC ",
    "giải ngân đạt 54,9% ", "không có đối tượng ", "không hoàn thành được, đang làm ",
    "one more week ", "a ", "dg ", "chưa TH ", "cho ", "dời sang ", "% of ",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    text: str
    status: str
    percent: int | None
    reason: str | None
    evidence: tuple[str, ...] | None
    until: date | None
    notes: str


def load_rows(path: Path = TABLE) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as f:
        for line in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            fields = dict(part.split("=", 1) for part in line["notes"].split("; ") if "=" in part)
            rows.append(
                Row(
                    line["text"],
                    line["status"],
                    int(line["percent"]) if line["percent"] else None,
                    fields.get("reason"),
                    tuple(fields["evidence"].split("|")) if "evidence" in fields else None,
                    date.fromisoformat(fields["until"]) if "until" in fields else None,
                    line["notes"],
                )
            )
    return rows


def misread(row: Row, reading: StatusReading) -> str | None:
    """What was read wrong, or None when the reading is right."""
    wrong = []
    if reading.status != row.status:
        wrong.append(f"status {reading.status}")
    if reading.percent != row.percent:
        wrong.append(f"percent {reading.percent}")
    if row.reason is not None and reading.reason != row.reason:
        wrong.append(f"reason {reading.reason!r}")
    if row.evidence is not None and reading.evidence != row.evidence:
        wrong.append(f"evidence {reading.evidence}")
    if row.status == "extension" and reading.until != row.until:
        wrong.append(f"until {reading.until}")
    return ", ".join(wrong) or None


@dataclass(frozen=True)
class Score:
    total: int
    right: int
    recorded_done: int  # read as done with confidence >= SURE
    recorded_done_meant: int  # ... and the officer did say done
    asked_done: int  # read as done below SURE: the bot asks
    misreads: list[tuple[Row, StatusReading, str]]

    @property
    def share(self) -> float:
        return self.right / self.total

    @property
    def done_precision(self) -> float:
        return self.recorded_done_meant / self.recorded_done if self.recorded_done else 1.0


def score(rows: list[Row], today: date = TODAY) -> Score:
    right = recorded = meant = asked = 0
    misreads = []
    for row in rows:
        reading = understand_status(row.text, today)
        problem = misread(row, reading)
        if problem is None:
            right += 1
        else:
            misreads.append((row, reading, problem))
        if reading.status == "done":
            if reading.confidence >= SURE:
                recorded += 1
                meant += row.status == "done"
            else:
                asked += 1
    return Score(len(rows), right, recorded, meant, asked, misreads)


def adversarial_inputs(repeat: int = 10_000) -> list[str]:
    return [fragment * repeat for fragment in ADVERSARIAL]


def worst_time(texts: list[str], today: date = TODAY) -> tuple[float, str]:
    """(slowest single parse in CPU seconds, the fragment that made it)."""
    understand_status("xin gia hạn đến ngày mai", today)  # dateparser loads once
    worst, which = 0.0, ""
    for text in texts:
        started = time.process_time()
        understand_status(text, today)
        took = time.process_time() - started
        if took > worst:
            worst, which = took, text[:12]
    return worst, which


def main() -> None:
    result = score(load_rows())
    print(f"status replies: {result.right}/{result.total} read right ({result.share:.1%})")
    print(
        f"done precision: {result.done_precision:.1%} "
        f"({result.recorded_done_meant}/{result.recorded_done} recorded as done were meant; "
        f"{result.asked_done} more done readings asked)"
    )
    worst, which = worst_time(adversarial_inputs())
    print(
        f"worst parse time on adversarial input: {worst * 1000:.1f} ms CPU "
        f"({which!r} × 10,000; {len(ADVERSARIAL)} fragments)"
    )
    for row, reading, problem in result.misreads:
        print(f"  misread: {row.text!r}: want {row.status}, got {problem} ({reading.confidence})")


if __name__ == "__main__":
    main()
