"""POST /api/v1/triage: triage a text without storing anything (P4, P5)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from accord.http.deps import Caller, get_caller
from accord.triage.engine import MAX_CHARS, triage

router = APIRouter(prefix="/api/v1", tags=["triage"])


class ContextIn(BaseModel):
    monthly_value: float = Field(0, ge=0)
    open_cases: int = Field(0, ge=0)
    earlier_conflicts: int = Field(0, ge=0)


class TriageIn(BaseModel):
    text: str = Field(..., min_length=1, max_length=MAX_CHARS)
    context: ContextIn | None = None


@router.post("/triage")
def post_triage(body: TriageIn, caller: Caller = Depends(get_caller)) -> dict[str, Any]:
    """Complaint, reproach, anger, sentiment, threats, category, severity and the evidence for each."""
    context = body.context.model_dump() if body.context else None
    return triage(body.text, context=context).as_dict()
