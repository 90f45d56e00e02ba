"""Alembic environment: run with the connection the store hands over, or from a URL.

`mieruka.core.store.upgrade` passes its open connection in `config.attributes["connection"]`;
`alembic` on the command line (with `script_location` pointing here and `sqlalchemy.url`
set) works too. Offline mode (`--sql`) writes the DDL for a DBA to apply.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from mieruka.core.store import metadata

config = context.config


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context.configure(connection=conn, target_metadata=metadata)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
