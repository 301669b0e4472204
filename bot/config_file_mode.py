"""Is the config file readable by others? ``config.toml`` may hold the bot tokens and
webhook secrets: ``dondoc run`` warns once, at start, when its group or others may read
it, and says how to fix it (it does not change the file's mode itself: the operator may
have a reason)."""

from __future__ import annotations

import stat
from pathlib import Path


def readable_by_others(path: Path | None) -> str | None:
    """The warning for ``path``, or None when only its owner may read it (or there is
    no file)."""
    if path is None:
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & (stat.S_IRGRP | stat.S_IROTH):
        return None
    return (
        f"Tệp cấu hình {path} có quyền {mode:o}: người dùng khác trên máy đọc được token và "
        f"khóa bí mật trong đó. Nên chạy: chmod 600 {path}"
    )
