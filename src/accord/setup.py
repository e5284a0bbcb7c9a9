"""First-run set-up shared by `accord init`, `accord demo` and `make run`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.migrate import upgrade
from accord.users import service as users


def init_workspace(db: Session, *, owner_email: str | None = None, owner_name: str = "Owner") -> str | None:
    """Migrate the schema, ensure the workspace, and create a first owner when asked.

    Returns the owner's one-time password when one was created.
    """
    upgrade(connection=db.connection())
    db.commit()
    workspace = users.ensure_workspace(db, slug=get_settings().workspace)
    if owner_email and users.first_owner(db, workspace_id=workspace.id) is None:
        _, password = users.add_user(
            db, actor=None, workspace=workspace, name=owner_name, email=owner_email, role="owner"
        )
        return password
    return None
