"""The download shelf per person (issue 25, point 5): one person's flood of /baocao
never cuts short another person's link; past the whole shelf's ceiling a new file is
refused with a clear line, and nothing is evicted. The first case fails on the main of
issue 25 (205 × /baocao by one Zalo viewer turned another person's link from 200 to 404)."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest

from bot import download_links
from bot.download_links import PER_OWNER, DownloadShelf, derive_secret
from handlers.reports.file_shelf import ShelfFull

KEY = derive_secret("khoa-ky-lien-ket-cua-xa-nguyen-binh-khiem")


def token_of(url: str) -> str:
    return url.split("/tep/", 1)[1].split("/")[0]


def test_one_persons_flood_evicts_only_their_own_files(tmp_path: Path, clock) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path, "https://x.vn/tep", KEY, clock)
    theirs = shelf.publish("phu-luc.docx", b"lan's", owner="p1")
    mine = [shelf.publish(f"{n}.docx", b"x", owner="p2") for n in range(205)]
    assert shelf.open(token_of(theirs.url)).read_bytes() == b"lan's"
    assert shelf.open(token_of(mine[-1].url)).name == "204.docx"
    assert sum(1 for _p in tmp_path.iterdir()) == 1 + PER_OWNER
    clock.move_to(clock.now() + timedelta(hours=24, seconds=2))
    shelf.publish("moi.docx", b"x", owner="p3")
    assert sum(1 for _p in tmp_path.iterdir()) == 1  # expired files go


def test_a_full_shelf_refuses_and_evicts_nobody(tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(download_links, "MAX_FILES", 5)
    shelf = DownloadShelf(tmp_path, "https://x.vn/tep", KEY, clock)
    links = [shelf.publish(f"{n}.docx", b"x", owner=f"p{n}") for n in range(5)]
    with pytest.raises(ShelfFull):
        shelf.publish("6.docx", b"x", owner="p9")
    assert all(shelf.open(token_of(link.url)) for link in links)


def test_shelved_files_are_private(tmp_path: Path, clock) -> None:  # noqa: ANN001
    shelf = DownloadShelf(tmp_path / "shelf", "https://x.vn/tep", KEY, clock)
    path = shelf.open(token_of(shelf.publish("a.docx", b"x", owner="p1").url))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
