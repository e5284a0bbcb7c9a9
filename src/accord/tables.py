"""Every domain's models in one place, so `Base.metadata` knows all tables (Alembic, backup, tests).

Explicit imports, not a list of names: a renamed models module fails here, loudly. It sits above the
domains and below the surfaces; `db` (base) cannot know the domains.
"""

from __future__ import annotations

from accord.cadence import models as cadence_models
from accord.cases import models as cases_models
from accord.clients import models as clients_models
from accord.db import Base
from accord.intake import models as intake_models
from accord.notify import models as notify_models
from accord.offers import models as offers_models
from accord.playbook import models as playbook_models
from accord.triage import models as triage_models
from accord.users import models as users_models

MODEL_MODULES = (
    users_models,
    clients_models,
    notify_models,
    playbook_models,
    cases_models,
    intake_models,
    triage_models,
    offers_models,
    cadence_models,
)


def import_all_models() -> None:
    """Kept for callers that ask explicitly: importing this module already registered every table."""
    assert all(m.Base is Base for m in MODEL_MODULES), "every models module shares the one Base"
