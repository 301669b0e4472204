"""Signed, expiring download links for the files Zalo cannot carry (the appendix of
/baocao): the file waits in a folder under a random name, and the link names that file,
its expiry and an HMAC-SHA256 of both. The bot's own web server (``bot.file_server``)
opens a link only when the signature matches and the time has not passed, and then only
that one file.

Hand-written because no library we use signs URLs; it is ``hmac`` and ``secrets`` from
the standard library, with the clock of ``scheduler.clock`` so tests move time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from handlers.reports.file_shelf import ShelfFull
from scheduler.clock import Clock

PATH_PREFIX = "/tep"  # the links' path on the web server: {public_url}/{token}/{name}
FILE_ID = re.compile(r"^[0-9a-f]{32}$")
TOKEN = re.compile(r"^([0-9a-f]{32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
PER_OWNER = 30  # live files per person: their own oldest go first past it
MAX_FILES = 4000  # live files in all: past it a new file is refused, none is evicted
_OWNER = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class Link:
    url: str
    expires: datetime  # UTC


class LinkRefused(Exception):
    """Why a link does not open: ``reason`` is "invalid" (bad form or signature),
    "expired" or "missing" (the file is gone)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def derive_secret(*sources: str) -> bytes | None:
    """The signing key: the first non-empty of ``sources`` (the configured downloads
    secret, then the Zalo webhook secret), passed through HMAC so that the key that
    signs links is never the one Zalo sends back in a header."""
    for source in sources:
        if source:
            return hmac.new(source.encode(), b"dondoc download links", hashlib.sha256).digest()
    return None


def signature(secret: bytes, file_id: str, expires: int) -> str:
    digest = hmac.new(secret, f"{file_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(secret: bytes, file_id: str, expires: int) -> str:
    return f"{file_id}.{expires}.{signature(secret, file_id, expires)}"


def check_token(secret: bytes, token: str, now: datetime) -> str:
    """The file id ``token`` opens at ``now``; raises ``LinkRefused``. The signature is
    checked before the expiry, so a forged expiry reads as invalid, not as expired."""
    match = TOKEN.match(token)
    if match is None:
        raise LinkRefused("invalid")
    file_id, expires = match.group(1), int(match.group(2))
    if not hmac.compare_digest(match.group(3), signature(secret, file_id, expires)):
        raise LinkRefused("invalid")
    if now.timestamp() >= expires:
        raise LinkRefused("expired")
    return file_id


def safe_name(name: str) -> str:
    """A file name that is one plain path segment (no folders, no dots first)."""
    cleaned = SAFE_NAME.sub("-", name).strip("-.") or "tep"
    return cleaned[:120]


class DownloadShelf:
    """The folder where files wait for their links, and the links to them."""

    def __init__(
        self,
        folder: Path,
        public_url: str,
        secret: bytes,
        clock: Clock,
        *,
        lifetime: timedelta = timedelta(hours=24),
    ) -> None:
        self.folder = Path(folder)
        self.public_url = public_url.rstrip("/")
        self.secret = secret
        self.clock = clock
        self.lifetime = lifetime

    def publish(self, name: str, data: bytes, owner: str = "anonymous") -> Link:
        """Put ``data`` on the shelf as ``name`` for ``owner`` (a person's shelf name);
        the link that opens it until it expires. Expired files go first, then the
        owner's own oldest past ``PER_OWNER``; a shelf still full raises ``ShelfFull``
        (other people's links are never cut short)."""
        owner = owner if _OWNER.match(owner) else "anonymous"
        if self._sweep(owner, PER_OWNER - 1)[1] >= MAX_FILES:
            raise ShelfFull()
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = self.clock.now(UTC)
        file_id = secrets.token_hex(16)
        expires = int((now + self.lifetime).timestamp()) + 1
        place = self.folder / file_id
        place.mkdir(parents=True, exist_ok=False, mode=0o700)
        name = safe_name(name)
        _write_private(place / name, data)
        (place / "expires").write_text(str(expires))
        (place / "owner").write_text(owner)
        token = make_token(self.secret, file_id, expires)
        url = f"{self.public_url}/{token}/{quote(name)}"
        return Link(url, datetime.fromtimestamp(expires, UTC))

    def open(self, token: str) -> Path:
        """The file ``token`` opens now; raises ``LinkRefused``."""
        file_id = check_token(self.secret, token, self.clock.now(UTC))
        place = self.folder / file_id
        files = [p for p in place.glob("*") if p.is_file() and p.name not in _META]
        if len(files) != 1:
            raise LinkRefused("missing")
        return files[0]

    def _shelved(self) -> list[tuple[int, Path, str]]:
        """(expiry, folder, owner) of every file dondoc put on the shelf, oldest first."""
        if not self.folder.is_dir():
            return []
        shelved = []
        for place in self.folder.iterdir():
            if not (place.is_dir() and FILE_ID.match(place.name)):
                continue  # never touch what dondoc did not put there
            try:
                expires = int((place / "expires").read_text())
            except (OSError, ValueError):
                continue
            try:
                owner = (place / "owner").read_text().strip()
            except OSError:
                owner = "anonymous"
            shelved.append((expires, place, owner))
        return sorted(shelved)

    def sweep(self, owner: str | None = None, keep: int = PER_OWNER - 1) -> int:
        """Remove the files whose links have expired and, when ``owner`` is given, that
        owner's oldest past ``keep``; how many were removed."""
        return self._sweep(owner, keep)[0]

    def _sweep(self, owner: str | None, keep: int) -> tuple[int, int]:
        """(files removed, live files left)."""
        now = self.clock.now(UTC).timestamp()
        shelved = self._shelved()
        gone = [p for e, p, _o in shelved if now >= e]
        mine = [p for e, p, o in shelved if now < e and o == owner]
        gone += mine[: max(len(mine) - keep, 0)]
        for place in gone:
            shutil.rmtree(place, ignore_errors=True)
        return len(gone), len(shelved) - len(gone)


_META = ("expires", "owner")


def _write_private(path: Path, data: bytes) -> None:
    """A file only dondoc's user can read (0600), written whole."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
