"""Export one workspace as JSON and import it back, table by table, ids remapped."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, DateTime, LargeBinary, Numeric, Table, select
from sqlalchemy.orm import Session

from accord.db import Base
from accord.errors import Conflict, Invalid
from accord.tables import import_all_models

FORMAT = "accord-workspace/1"
SKIP_TABLES = {"api_tokens", "invitations", "alembic_version"}  # tokens and invitation links never leave
SECRET_COLUMNS = {("users", "password_hash")}  # people set a new password after an import


def _tables() -> list[Table]:
    import_all_models()
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIP_TABLES]


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _load(column: Column[Any], value: Any) -> Any:
    """Turn a JSON value back into what the column stores (the inverse of `_dump`)."""
    if value is None:
        return None
    kind = getattr(column.type, "impl_instance", column.type)  # AwareDateTime wraps a DateTime
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value


def _rows_of(db: Session, table: Table, workspace_id: int, kept: dict[str, set[int]]) -> list[dict[str, Any]]:
    """Rows of `table` that belong to the workspace: by workspace_id, or through a kept parent row."""
    if table.name == "workspaces":
        stmt = select(table).where(table.c.id == workspace_id)
    elif "workspace_id" in table.c:
        stmt = select(table).where(table.c.workspace_id == workspace_id)
    else:
        links = [(c, fk.column.table.name) for c in table.c for fk in c.foreign_keys]
        links = [(c, parent) for c, parent in links if parent in kept and parent != "users"]
        if not links:
            return []
        column, parent = links[0]
        stmt = select(table).where(column.in_(kept[parent] or {-1}))
    return [dict(row._mapping) for row in db.execute(stmt)]


def export_workspace(db: Session, workspace_id: int) -> dict[str, Any]:
    """Every row of the workspace (clients, contacts, users without passwords, cases, events, ...)."""
    kept: dict[str, set[int]] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = _rows_of(db, table, workspace_id, kept)
        if "id" in table.c:
            kept[table.name] = {int(r["id"]) for r in rows}
        tables[table.name] = [
            {k: (None if (table.name, k) in SECRET_COLUMNS else _dump(v)) for k, v in r.items()} for r in rows
        ]
    return {"format": FORMAT, "tables": tables}


def _remapped(table: Table, row: dict[str, Any], ids: dict[str, dict[int, int]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in row.items():
        if name not in table.c or (name == "id" and "id" in table.primary_key.columns):
            continue
        column = table.c[name]
        value = _load(column, raw)
        for fk in column.foreign_keys:
            if value is not None:
                value = ids.get(fk.column.table.name, {}).get(int(value))
        values[name] = value
    return values


def import_workspace(db: Session, data: dict[str, Any]) -> int:
    """Load an export into this database under new ids; returns the new workspace id."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid(f"Not an Accord workspace export (expected format {FORMAT}).")
    tables = data.get("tables") or {}
    slug = (tables.get("workspaces") or [{}])[0].get("slug")
    workspaces = Base.metadata.tables["workspaces"]
    if slug is None or db.execute(select(workspaces.c.id).where(workspaces.c.slug == slug)).first():
        raise Conflict(f"Workspace '{slug}' already exists here; import into an empty database.")
    ids: dict[str, dict[int, int]] = {}
    for table in _tables():
        mapping = ids.setdefault(table.name, {})
        for row in tables.get(table.name, []):
            result: Any = db.execute(table.insert().values(**_remapped(table, row, ids)))
            if "id" in row and result.inserted_primary_key:
                mapping[int(row["id"])] = int(result.inserted_primary_key[0])
    db.flush()
    return ids["workspaces"][int(tables["workspaces"][0]["id"])]
