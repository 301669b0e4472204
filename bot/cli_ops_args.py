"""The operator commands' arguments (status, backup, restore), apart from what runs
them (``bot.cli_ops``) so that ``dondoc --help`` stays light."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    command("status", "tình trạng: cơ sở dữ liệu, kênh, hàng đợi nhắc, chỗ trống (mã 1 khi không ổn)")
    p = command("backup", "sao lưu cơ sở dữ liệu, tệp minh chứng và cấu hình vào một tệp")
    p.add_argument("--out", required=True, help="tệp sao lưu ghi ra (.tar.gz)")
    p = command("restore", "khôi phục một bản sao lưu vào cơ sở dữ liệu --db")
    p.add_argument("file", help="tệp sao lưu (.tar.gz)")
    p.add_argument("--force", action="store_true", help="thay cả khi cơ sở dữ liệu đích đã có dữ liệu")
    p.add_argument("--evidence", help="thư mục minh chứng (mặc định theo cấu hình)")
