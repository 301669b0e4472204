"""Write sample score sheets to samples/: the "Chính quyền thân thiện" six-month
self-assessment in the shape of the real one (tests/score_sheet.py), filled and empty,
as .docx and .xlsx, and the filled one as pasted text.

Usage: ``python scripts/make_sample_scores.py [--out-dir DIR]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "bang-diem-chinh-quyen-than-thien-6thang-2026"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.score_sheet import sheet_docx, sheet_rows, sheet_text, sheet_xlsx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "samples")
    args = parser.parse_args()
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    filled, empty = sheet_rows(), sheet_rows(filled=False)
    files = {
        f"{NAME}.docx": sheet_docx(filled),
        f"{NAME}.xlsx": sheet_xlsx(filled),
        f"{NAME}.txt": sheet_text(filled).encode("utf-8"),
        f"{NAME}-trong.docx": sheet_docx(empty),
        f"{NAME}-trong.xlsx": sheet_xlsx(empty),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
