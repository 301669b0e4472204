"""The one line a command prints when the database cannot be used (a URL that does not
parse, a host that does not resolve, a read-only file), with any password masked, and
the quiet end of a command whose reader went away (``dondoc tasks | head``)."""

from __future__ import annotations

import os
import sys

from sqlalchemy.engine import make_url

from bot.config_messages import mask_url
from locales import _


def database_problem(url: str, error: BaseException) -> str:
    """``Lỗi cơ sở dữ liệu (URL): reason`` on one line, secrets masked."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - unparseable: masked by pattern
        shown = mask_url(url)
    reason = getattr(error, "orig", None) or error
    text = " ".join(str(reason).split()) or type(reason).__name__
    if "readonly" in text or "read-only" in text:
        text = _("tệp cơ sở dữ liệu chỉ đọc (kiểm tra quyền ghi của tệp và thư mục): ") + text
    return _("Lỗi cơ sở dữ liệu ({url}): {problem}").format(url=shown, problem=mask_url(text)[:300])


def quiet_broken_pipe() -> int:
    """The reader closed our output: say nothing more, and let Python's final flush of
    stdout go to nowhere instead of raising again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    return 0
