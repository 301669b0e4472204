"""The console demo, driven as a newcomer would: a session piped through ``dondoc demo``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """\
/viec
1
1
/hoantac
/tua 2026-01-13 08:00
/la trinh
/tiendo
/la khach
/viec 1
/thoat
"""


def test_demo_session(tmp_path: Path) -> None:
    dondoc = Path(sys.executable).parent / "dondoc"
    result = subprocess.run(
        [str(dondoc), "demo", "--db", f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "39 nhiệm vụ" in out
    assert "Anh/chị có 16 nhiệm vụ đang mở" in out
    assert "Trả lời 1 = Hoàn thành, 2 = Đang thực hiện" in out  # "1" opened task 1
    assert "Đã ghi nhận nhiệm vụ 1" in out  # the second "1" chose Hoàn thành
    assert "Đã hoàn tác" in out
    assert "Hạn 14/01/2026 — còn 1 ngày làm việc" in out  # the reminder /tua brings
    assert "Hoàn thành: 0/39 (0%)" in out
    assert "Anh/chị chưa đăng ký với dondoc" in out
    assert "Xin lỗi" not in out and "Traceback" not in result.stderr
