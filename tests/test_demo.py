"""The console demo, driven as a newcomer would: sessions piped through ``dondoc demo``,
Ctrl-C sent to it (alone, and under ``make demo`` in a terminal), and two demos at once
in one folder."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DONDOC = BIN / "dondoc"
PROMPT = "› "

SCRIPT = """\
/viec
1
1
/hoantac
/tua 2026-01-13 08:00
/la trinh
/tiendo
/baocao
/la ha
/nhap samples/ke-hoach-cchc-2026-mau.docx
/la khach
/viec 1
/thoat
"""


def demo_env(tmp_path: Path) -> dict[str, str]:
    """The demo's temporary folder inside the test's, so that what it leaves is seen."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp_path / "tmp")}


def run_script(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DONDOC), "demo", *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=demo_env(tmp_path),
        check=False,
    )


def test_demo_session(tmp_path: Path) -> None:
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    result = run_script(tmp_path, SCRIPT)
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
    # /baocao: the two files, at absolute paths, that open.
    paths = [Path(p) for p in re.findall(r"\[tệp đã ghi: (.+)\]", out)]
    assert [p.suffix for p in paths] == [".docx", ".xlsx"]
    assert all(p.is_absolute() and p.parent == tmp_path / "dondoc-tep" for p in paths)
    assert "PHỤ LỤC 01" in [p.text for p in Document(paths[0]).paragraphs]
    assert "Biểu mẫu 1" in load_workbook(paths[1]).sheetnames
    # /nhap PATH as the admin: the sample again, which changes nothing.
    assert "không có gì thay đổi (giữ nguyên 39)" in out
    # The per-run database is gone, and none was made in the folder.
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "var").exists()


def test_a_time_jump_says_what_was_sent_to_whom(tmp_path: Path) -> None:
    # No /thoat: the input just ends, which ends the demo as cleanly.
    result = run_script(tmp_path, "/tua 2026-01-20 08:00\n/tua 1 tuần\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.strip() == ""
    first = out.split("Đồng hồ chuyển tới thứ Ba 20/01/2026 08:00.", 1)[1]
    lines = first.splitlines()[1:]
    assert re.fullmatch(r"Trong lúc tua, dondoc đã gửi \d+ tin cho \d+ người:", lines[0])
    assert "• Nguyễn Thị Lan (Phòng VH-XH): nhắc NV 1; quá hạn NV 1" in lines
    assert "• Đoàn Phụng Trinh (Chủ tịch): đôn đốc NV 1; tổng hợp tuần" in lines
    assert "Đồng hồ chuyển tới thứ Ba 27/01/2026 08:00." in out  # "/tua 1 tuần"


def wait_for(read: object, wanted: str | None, timeout: float = 60.0) -> str:
    """What ``read()`` gives until ``wanted`` appears (None: until the end of the output),
    or the time is up."""
    seen = ""
    end = time.monotonic() + timeout
    while (wanted is None or wanted not in seen) and time.monotonic() < end:
        chunk = read()  # type: ignore[operator]
        if not chunk:
            break
        seen += chunk
    return seen


def pipe_reader(stream: object) -> object:
    fd = stream.fileno()  # type: ignore[attr-defined]

    def read() -> str:
        ready, _w, _x = select.select([fd], [], [], 60)
        return os.read(fd, 65536).decode("utf-8", "replace") if ready else ""

    return read


def start_demo(tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(DONDOC), "demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=demo_env(tmp_path),
    )


def test_ctrl_c_ends_the_demo_at_once(tmp_path: Path) -> None:
    demo = start_demo(tmp_path)
    assert PROMPT in wait_for(pipe_reader(demo.stdout), PROMPT)
    # The demo waits for a line (stdin stays open): Ctrl-C must not wait for one.
    demo.send_signal(signal.SIGINT)
    demo.wait(timeout=15)  # stdin still open: only the signal can end it
    out, err = demo.communicate()
    assert demo.returncode == 0, err.decode()[-2000:]
    assert "Đã dừng demo." in out.decode()
    assert err.decode().strip() == ""
    assert list((tmp_path / "tmp").iterdir()) == []  # its database went with it


@pytest.mark.skipif(not Path("/usr/bin/make").exists(), reason="needs make")
def test_make_demo_exits_0_on_ctrl_c_in_a_terminal(tmp_path: Path) -> None:
    """In a real terminal Ctrl-C reaches make too; make must not report an interrupt."""
    pid, master = pty.fork()
    if pid == 0:  # the child: a terminal session running make, as a person would
        try:
            os.chdir(ROOT)
            os.environ.update(demo_env(tmp_path))
            stamp = ".venv/.installed"  # never set up again from a test
            os.execvp("make", ["make", "-o", stamp, f"BIN={BIN}", "demo"])
        finally:
            os._exit(127)

    def read() -> str:
        ready, _w, _x = select.select([master], [], [], 60)
        try:
            return os.read(master, 65536).decode("utf-8", "replace") if ready else ""
        except OSError:  # the terminal closed
            return ""

    try:
        seen = wait_for(read, PROMPT)
        assert PROMPT in seen, seen[-2000:]
        os.write(master, b"\x03")  # Ctrl-C, as typed
        seen += wait_for(read, None, timeout=15)  # everything until the terminal closes
        _pid, status = os.waitpid(pid, 0)
    finally:
        os.close(master)
    assert os.waitstatus_to_exitcode(status) == 0, seen[-2000:]
    assert "Đã dừng demo." in seen
    assert "Interrupt" not in seen and "Error" not in seen and "Traceback" not in seen
    assert list((tmp_path / "tmp").iterdir()) == []


def test_two_demos_in_one_folder(tmp_path: Path) -> None:
    first = start_demo(tmp_path)
    read_first = pipe_reader(first.stdout)
    assert PROMPT in wait_for(read_first, PROMPT)
    assert first.stdin is not None
    first.stdin.write("1 hoàn thành, QĐ số 5/QĐ-UBND\n".encode())
    first.stdin.flush()
    assert "Đã ghi nhận nhiệm vụ 1" in wait_for(read_first, "Đã ghi nhận")
    # A second demo in the same folder, from start to end, while the first runs.
    second = run_script(tmp_path, "/viec 1\n/thoat\n")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "Nhiệm vụ 1: Ban hành Kế hoạch" in second.stdout
    assert "Tình trạng: Hoàn thành" not in second.stdout  # its own data, not the first's
    # The first one still has its data: task 1 done, the others open.
    first.stdin.write(b"/viec\n/thoat\n")
    first.stdin.flush()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err.decode()[-2000:]
    assert "Anh/chị có 15 nhiệm vụ đang mở" in out.decode()
    assert "Traceback" not in err.decode()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_kept_database_goes_on_where_it_was(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    script = "1 hoàn thành, QĐ số 5/QĐ-UBND\n/tua 2026-01-20 08:00\n/thoat\n"
    first = run_script(tmp_path, script, "--db", db)
    assert first.returncode == 0, first.stderr[-2000:]
    again = run_script(tmp_path, "/viec\n/thoat\n", "--db", db)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Tiếp tục với dữ liệu demo đã có của xã Nguyễn Bình Khiêm: 39 nhiệm vụ." in again.stdout
    assert "Anh/chị có 15 nhiệm vụ đang mở" in again.stdout  # task 1 stays done
    # Its time goes on from its last message or report, never back to the start.
    found = re.search(r"Đồng hồ demo: .* (\d\d)/01/2026 ", again.stdout)
    assert found is not None and 12 < int(found.group(1)) <= 20, again.stdout[:600]
