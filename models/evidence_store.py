"""The evidence folder on disk: where the bytes of evidence files are kept, and the
limits on them (``[evidence]`` in the config).

A file is stored under a name dondoc makes from its content, never from the name the
sender gave: ``<organization id>/<first two hex digits>/<sha256><extension>``, the
extension being dondoc's own for the type it recognised. The same content is kept
once per organization. Writing goes through a temporary file and a rename, so a file
is either whole or absent, readable by dondoc's user only (files 0600, folders 0700); reading checks that the path stays inside the folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from models.evidence import lapsed_holds, path_still_used

MB = 1024 * 1024
_STORED = re.compile(r"^[0-9]{1,12}/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{1,5}$")


@dataclass(frozen=True)
class EvidenceSettings:
    folder: Path = Path("var") / "evidence"
    max_file_mb: int = 20
    max_org_mb: int = 500

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MB

    @property
    def max_org_bytes(self) -> int:
        return self.max_org_mb * MB


class StoreError(Exception):
    """A stored path that is not one of dondoc's, or a file that is gone."""


def stored_name(organization_id: int, sha256: str, extension: str) -> str:
    """The relative path of a content in the folder (``extension`` with its dot)."""
    name = f"{int(organization_id)}/{sha256[:2]}/{sha256}{extension}"
    if not _STORED.fullmatch(name):
        raise StoreError(f"not a stored name: {name!r}")
    return name


def resolve(folder: Path, relative: str) -> Path:
    """The absolute path of ``relative`` inside ``folder``; anything else is refused."""
    if not _STORED.fullmatch(relative):
        raise StoreError(f"not a stored name: {relative!r}")
    root = folder.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise StoreError(f"outside the evidence folder: {relative!r}")
    return path


def write(folder: Path, relative: str, data: bytes) -> None:
    """Keep ``data`` at ``relative`` (a content name: if it is there, it is the same)."""
    path = resolve(folder, relative)
    if path.exists() and path.stat().st_size == len(data):
        return
    private_folders(folder, path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def private_folders(folder: Path, leaf: Path) -> None:
    """Make ``leaf`` and the folders between ``folder`` and it (and ``folder``), each
    0700: evidence files are the commune's documents, not the machine's."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = folder.resolve()
    current = root
    for part in leaf.resolve().relative_to(root).parts:
        current = current / part
        current.mkdir(exist_ok=True, mode=0o700)


def read(folder: Path, relative: str) -> bytes:
    path = resolve(folder, relative)
    try:
        return path.read_bytes()
    except OSError as error:
        raise StoreError(f"cannot read {relative!r}: {error.strerror}") from error


async def forget_lapsed_holds(
    session: AsyncSession, settings: EvidenceSettings, before: datetime
) -> int:
    """Remove the files held for which-questions that lapsed before ``before``: their
    rows, and the stored file when no other row keeps it (they count against the
    organization's room otherwise). Returns how many rows went."""
    rows = await lapsed_holds(session, before)
    for row in rows:
        if not await path_still_used(session, row):
            try:
                resolve(settings.folder, row.stored_path).unlink(missing_ok=True)
            except (StoreError, OSError):
                pass  # a path that is not ours, or gone already: the row still goes
        await session.delete(row)
    await session.flush()
    return len(rows)
