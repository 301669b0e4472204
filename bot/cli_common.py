"""What every CLI command shares: the error an operator must fix (``CliError``), how a
result is printed (``Emit``), a session on the configured database, and the
organization a command names."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from locales import _, current_language
from models.db import open_database
from models.plan_store import find_organization

Emit = Callable[[argparse.Namespace, Any, str], None]


class CliError(Exception):
    """A problem the operator must fix; the message is Vietnamese and says how."""


@asynccontextmanager
async def open_session(config: Config):  # noqa: ANN202 - yields an AsyncSession in a transaction
    engine, sessions = await open_database(config.database.url)
    try:
        async with sessions() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


async def require_org(session: AsyncSession, name: str):  # noqa: ANN202
    org = await find_organization(session, name)
    if org is None:
        raise CliError(
            _(
                "Không có xã/phường «{name}» trong cơ sở dữ liệu. Hãy nhập kế hoạch trước: dondoc import TỆP --org «{name}»"
            ).format(name=name)
        )
    return org


def byte_count(count: int) -> str:
    """A file's size as the person's locale writes it (9.275 in Vietnamese, 9,275 in English)."""
    from babel.numbers import format_decimal  # noqa: PLC0415 - only after writing a file

    return format_decimal(count, locale=current_language())
