"""The schema is made only by migrations, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from accord.db import Base
from accord.search.index import is_search_object
from accord.tables import import_all_models


def _not_search(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Full-text search objects (FTS5 tables, tsvector indexes) exist only in migration 0035, by design."""
    return not is_search_object(name)


def test_migrations_match_the_models(sqlite_engine: Engine) -> None:
    import_all_models()
    with sqlite_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": False, "include_object": _not_search}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_match_the_models_on_postgres(pg_engine: Engine) -> None:
    import_all_models()
    with pg_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _not_search})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
