"""Alembic environment: runs on the connection that models.db hands over, so that the
same migrations serve SQLite and PostgreSQL from async code."""

from __future__ import annotations

from alembic import context

import models  # noqa: F401  (registers every table on Base.metadata)
from models.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through models.db.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
