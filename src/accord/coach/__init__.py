"""Reply coach: plain, honest, complete replies (P13, P14, P16, P17, P20, P22)."""

from accord.coach.findings import CaseContext, Finding, score
from accord.coach.rules import check_reply

__all__ = ["CaseContext", "Finding", "check_reply", "score"]
