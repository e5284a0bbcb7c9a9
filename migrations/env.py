"""Alembic environment: the schema is only ever made by these migrations (also in tests)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from accord.db import AwareDateTime, Base, get_engine, make_engine
from accord.search.index import is_search_object
from accord.tables import import_all_models

import_all_models()
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our aware timestamp type as a plain sa.DateTime so migrations never import app code."""
    if type_ == "type" and isinstance(obj, AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Autogenerate leaves the full-text search objects of 0035 alone (not expressible as models)."""
    return not is_search_object(name)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection handed in by `accord.migrate`, else the configured database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url) if url else get_engine()
    with engine.begin() as conn:
        _run(conn)


run_migrations_online()
