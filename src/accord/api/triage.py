"""POST /api/v1/triage: triage a text without storing anything (P4, P5)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from accord.http.deps import Caller, get_caller
from accord.triage.engine import triage
from accord.triage.schemas import TriageIn

router = APIRouter(prefix="/api/v1", tags=["triage"])


@router.post("/triage")
def post_triage(body: TriageIn, caller: Caller = Depends(get_caller)) -> dict[str, Any]:
    """Complaint, reproach, anger, sentiment, threats, category, severity and the evidence for each."""
    context = body.context.model_dump() if body.context else None
    return triage(body.text, context=context).as_dict()
