"""The playbook's YAML format as pydantic models: the written plan every case follows (P2)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

SITUATIONS = ("client_raised", "we_made_mistake", "business_raised")
PHASES = ("intake", "preparation", "conversation", "mistake", "business", "resolution", "follow_through")
APPROACHES = ("avoid", "accommodate", "compete", "collaborate", "compromise")
FAULTS = ("unknown", "ours", "client", "shared", "none")
TEMPLATE_PURPOSES = ("acknowledge", "update", "solution", "mistake", "firm", "confirm_request", "follow_up")
PLACEHOLDERS = ("client_name", "concern", "next_update", "offer", "our_name", "case_ref", "fix", "plan")
SEVERITIES = (1, 2, 3, 4)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$")
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PID = re.compile(r"^P([1-9]|1\d|2[0-4])$")

Situation = Literal["client_raised", "we_made_mistake", "business_raised"]
Phase = Literal[
    "intake", "preparation", "conversation", "mistake", "business", "resolution", "follow_through"
]


def _duration(value: Any) -> Any:
    """Accept '30m', '4h', '2d', '1w' (or a timedelta) so the YAML stays readable."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a duration like 30m, 4h, 2d or 1w")
        return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    return value


def _all_situations() -> list[Situation]:
    return ["client_raised", "we_made_mistake", "business_raised"]


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in the playbook must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaTarget(_Strict):
    """How fast we acknowledge, how often we update, when we aim to be done (P6, P22)."""

    acknowledge_within: Duration
    update_every: Duration
    resolve_within: Duration

    @model_validator(mode="after")
    def _positive(self) -> SlaTarget:
        for name in ("acknowledge_within", "update_every", "resolve_within"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"{name} must be longer than zero")
        return self


class SeverityLevel(_Strict):
    """One rung of the severity rubric (P4, P5): a name, what it means, the triage score it starts at."""

    level: int = Field(ge=1, le=4)
    label: str = Field(min_length=1, max_length=40)
    description: str = Field(min_length=1)
    min_score: float = Field(ge=0)


class OwnershipRule(_Strict):
    """From this severity up, only these roles may be the spokesperson (P7)."""

    min_severity: int = Field(ge=1, le=4)
    spokesperson_roles: list[str] = Field(min_length=1)
    note: str = ""


class Ownership(_Strict):
    """Who speaks for us (P7) and when to bring in outside crisis help (P8)."""

    rules: list[OwnershipRule] = Field(min_length=1)
    max_handoffs: int = Field(default=1, ge=0)
    outside_consultant_from_severity: int = Field(default=4, ge=1, le=4)

    def roles_for(self, severity: int) -> list[str]:
        """The roles allowed to speak for a case of `severity` (the strictest matching rule)."""
        matching = [r for r in self.rules if severity >= r.min_severity]
        if not matching:
            return ["owner", "lead", "agent"]
        return max(matching, key=lambda r: r.min_severity).spokesperson_roles


class Step(_Strict):
    """One thing to do on a case, with when it applies and whether it gates a status."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,59}$")
    title: str = Field(min_length=1, max_length=200)
    phase: Phase
    guidance: str = Field(min_length=1)
    prompts: list[str] = Field(default_factory=list)
    situations: list[Situation] = Field(default_factory=_all_situations, min_length=1)
    min_severity: int = Field(default=1, ge=1, le=4)
    only_if_legal_review: bool = False
    required_before: str | None = None
    rules: list[str] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        bad = [r for r in value if not _PID.match(r)]
        if bad:
            raise ValueError(f"unknown rule id(s) {', '.join(bad)}; use P1 to P24")
        return value


SolutionKind = Literal[
    "credit_percent",
    "credit_amount",
    "refund_amount",
    "discount_percent",
    "free_hours",
    "expedited_fix",
    "extra_checkins",
    "free_revision",
    "custom",
    "other",
]
SOLUTION_KINDS: tuple[str, ...] = get_args(SolutionKind)  # one list: the schema and the checks agree
PERCENT_KINDS = ("credit_percent", "discount_percent")
MONEY_KINDS = ("credit_amount", "refund_amount")
_SOLUTION_UNITS = {
    "free_hours": "hours",
    "expedited_fix": "fix",
    "extra_checkins": "check-ins",
    "free_revision": "rounds",
}


def unit_of(kind: str, currency: str) -> str:
    """The unit an amount of this kind is counted in, so nobody reads a bare "limit 5000" (P19)."""
    if kind in PERCENT_KINDS:
        return "%"
    if kind in MONEY_KINDS:
        return currency
    return _SOLUTION_UNITS.get(kind, "units")


class Solution(_Strict):
    """A pre-approved remedy with its limits and who may grant it within and beyond them (P19, P20).

    `limit` is in the remedy's unit; `limit_share` caps its money value at a share of the client's
    monthly value; `hard_max` is what nobody may offer; the yearly caps count per client.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,59}$")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    kind: SolutionKind
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    limit: float | None = Field(default=None, ge=0)
    limit_share: float | None = Field(default=None, gt=0, le=1)
    hard_max: float | None = Field(default=None, gt=0)
    yearly_count: int | None = Field(default=None, ge=1)
    yearly_total: float | None = Field(default=None, gt=0)
    valid_days: int = Field(default=14, ge=1, le=365)
    term: Literal["short", "long"] = "short"
    grant_roles: list[str] = Field(default_factory=lambda: ["owner", "lead", "agent"], min_length=1)
    approver_roles: list[str] = Field(default_factory=lambda: ["owner"], min_length=1)

    @model_validator(mode="after")
    def _limits(self) -> Solution:
        if self.limit is None and self.limit_share is None:
            raise ValueError(f"solution '{self.id}' needs a limit, a limit_share, or both")
        if self.kind in PERCENT_KINDS and (self.hard_max or 0) > 100:
            raise ValueError(f"solution '{self.id}': a percentage cannot go over 100")
        if self.hard_max is not None and self.limit is not None and self.limit > self.hard_max:
            raise ValueError(f"solution '{self.id}': the limit is above the hard maximum")
        return self

    @property
    def unit(self) -> str:
        """The unit amounts of this remedy are counted in (%, the currency, hours, ...)."""
        return unit_of(self.kind, self.currency)


class ApproachGuide(_Strict):
    """What one resolution approach means and what it risks (P18)."""

    summary: str = Field(min_length=1)
    risk: str = Field(min_length=1)


class LegalTriggers(_Strict):
    """When a legal check comes before any further engagement (P11)."""

    min_severity: int = Field(default=4, ge=1, le=4)
    signals: list[str] = Field(default_factory=list)
    money_at_stake_over: float = Field(default=5000, ge=0)
    guidance: str = ""


class ChannelRule(_Strict):
    """When to move the conversation to a call or video (P12)."""

    call_from_severity: int = Field(default=3, ge=1, le=4)
    call_when_anger_over: float = Field(default=0.6, ge=0, le=1)


class Playbook(_Strict):
    """The whole written plan: one version shared by the team and stamped on each case (P2)."""

    version: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    summary: str = ""
    categories: list[str] = Field(min_length=1)
    severity_rubric: list[SeverityLevel] = Field(min_length=4, max_length=4)
    ownership: Ownership
    sla: dict[int, SlaTarget]
    follow_up_delay: Duration = timedelta(days=14)
    steps: list[Step] = Field(min_length=1)
    solutions: dict[str, list[Solution]] = Field(default_factory=dict)
    approaches: dict[Literal["avoid", "accommodate", "compete", "collaborate", "compromise"], ApproachGuide]
    default_approach: Literal["avoid", "accommodate", "compete", "collaborate", "compromise"] = "collaborate"
    apology: dict[Literal["unknown", "ours", "client", "shared", "none"], str]
    legal_review: LegalTriggers = LegalTriggers()
    channel: ChannelRule = ChannelRule()
    templates: dict[str, str] = Field(default_factory=dict)

    @field_validator("sla")
    @classmethod
    def _every_severity(cls, value: dict[int, SlaTarget]) -> dict[int, SlaTarget]:
        missing = [str(s) for s in SEVERITIES if s not in value]
        if missing or set(value) - set(SEVERITIES):
            raise ValueError(f"give targets for exactly the severities 1, 2, 3 and 4 (missing: {missing})")
        return value

    @field_validator("templates")
    @classmethod
    def _known_placeholders(cls, value: dict[str, str]) -> dict[str, str]:
        for purpose, text in value.items():
            if purpose not in TEMPLATE_PURPOSES:
                raise ValueError(f"unknown template purpose '{purpose}'; use {', '.join(TEMPLATE_PURPOSES)}")
            unknown = set(_PLACEHOLDER.findall(text)) - set(PLACEHOLDERS)
            if unknown:
                raise ValueError(f"template '{purpose}' uses unknown placeholder(s) {sorted(unknown)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Playbook:
        ids = [s.id for s in self.steps]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"step ids must be unique; repeated: {', '.join(dupes)}")
        unknown = sorted(set(self.solutions) - set(self.categories))
        if unknown:
            raise ValueError(f"solutions name unknown categories: {', '.join(unknown)}")
        sol_ids = [s.id for group in self.solutions.values() for s in group]
        dupes = sorted({i for i in sol_ids if sol_ids.count(i) > 1})
        if dupes:
            raise ValueError(f"solution ids must be unique; repeated: {', '.join(dupes)}")
        return self

    def sla_for(self, severity: int) -> SlaTarget:
        """The response targets for a case of `severity` (clamped to 1-4)."""
        return self.sla[min(max(int(severity), 1), 4)]

    def step(self, step_id: str) -> Step | None:
        """The step with this id, if the playbook has one."""
        return next((s for s in self.steps if s.id == step_id), None)

    def solution(self, solution_id: str) -> Solution | None:
        """The pre-approved solution with this id, if any (P19)."""
        return next((s for group in self.solutions.values() for s in group if s.id == solution_id), None)

    def rule_ids(self) -> set[str]:
        """Every P-id the steps cite."""
        return {r for s in self.steps for r in s.rules}
