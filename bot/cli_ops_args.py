"""The arguments of the commands that live in modules of their own (status, backup,
restore: ``bot.cli_ops``; assign: ``bot.cli_assign``), apart from what runs them so
that ``dondoc --help`` stays light."""

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


def add_assign_parser(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("assign", "giao một nhiệm vụ UBND thành phố giao (như /giao)")
    p.add_argument("--org", required=True, help="tên xã/phường")
    p.add_argument("--unit", required=True, help="đơn vị chủ trì")
    p.add_argument("--text", required=True, help="nội dung nhiệm vụ")
    p.add_argument(
        "--due", required=True, help="hạn: 15/12/2026, «Trước ngày 15/12/2026», «Quý IV/2026»"
    )
    p.add_argument("--source", default="", help="văn bản giao: «Công văn số … của UBND thành phố»")
