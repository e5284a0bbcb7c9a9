"""Personal API tokens: shown once, stored as sha256, scoped read or write, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import Invalid, NotFound, Unauthorized
from accord.users import repository
from accord.users.access import ActorLike
from accord.users.auth import record_audit
from accord.users.models import ApiToken, User

SCOPES = ("read", "write")
TOKEN_PREFIX = "acc_"
USE_AUDIT_EVERY = timedelta(minutes=10)  # token use is audited, at most once per window
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most once a minute: reads stay reads
MAX_EXPIRY_DAYS = 3650


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    db: Session, *, actor: ActorLike, scope: str = "read", name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `actor`, valid until revoked (or `expires_in_days`); the plain value is shown once."""
    if scope not in SCOPES:
        raise Invalid(f"Unknown scope '{scope}'. Scopes: read, write.")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise Invalid(f"A token expires after 1 to {MAX_EXPIRY_DAYS} days.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(
        user_id=actor.id,
        name=name.strip()[:100],
        prefix=plain[:12],
        token_hash=_digest(plain),
        scope=scope,
        created_at=now(),
        expires_at=expires,
    )
    db.add(token)
    db.flush()
    record_audit(
        db,
        workspace_id=actor.workspace_id,
        actor=actor.name,
        action="token_created",
        detail=f"{token.prefix}... scope={scope} expires={expires.isoformat() if expires else 'never'}",
    )
    return token, plain


def list_tokens(db: Session, *, actor: ActorLike) -> list[ApiToken]:
    """The actor's own tokens, newest first (hashes stay inside)."""
    stmt = select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id.desc())
    return list(db.scalars(stmt))


def revoke_token(db: Session, *, actor: ActorLike, token_id: int) -> ApiToken:
    """Revoke one of the actor's tokens (owners may revoke any in their workspace); idempotent."""
    token = db.get(ApiToken, token_id)
    owner = repository.user_by_id(db, token.user_id) if token else None
    allowed = owner is not None and (
        owner.id == actor.id or (actor.role == "owner" and owner.workspace_id == actor.workspace_id)
    )
    if token is None or not allowed:
        raise NotFound(f"No token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = now()
        record_audit(
            db,
            workspace_id=actor.workspace_id,
            actor=actor.name,
            action="token_revoked",
            detail=f"{token.prefix}...",
        )
    db.flush()
    return token


def authenticate_token(db: Session, *, plain: str) -> tuple[User, ApiToken]:
    """The active user behind a bearer token, or Unauthorized. Only reads (issue 23): the request's
    transaction never writes for authentication; `mark_token_used` does, in its own short one."""
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain[:200])))
    user = repository.user_by_id(db, token.user_id) if token else None
    if token is None or token.revoked_at is not None or user is None or not user.active:
        raise Unauthorized("The API token is missing, unknown or revoked.")
    if token.expires_at is not None and token.expires_at <= now():
        raise Unauthorized(f"The API token expired at {token.expires_at.isoformat()}; create a new one.")
    return user, token


def needs_marking(token: ApiToken) -> bool:
    """True when the token's `last_used_at` is a minute old or more: only then is anything written."""
    return token.last_used_at is None or now() - token.last_used_at >= LAST_USED_EVERY


def mark_token_used(db: Session, *, token: ApiToken, user: User) -> bool:
    """Stamp `last_used_at` at most once a minute with one conditional UPDATE (one winner among
    parallel requests); audit the use at most once per USE_AUDIT_EVERY. The caller gives this its own
    transaction, committed at once, so API reads never queue behind each other on the token's row."""
    moment, previous = now(), token.last_used_at
    stmt = (
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= moment - LAST_USED_EVERY),
        )
        .values(last_used_at=moment)
        .execution_options(synchronize_session=False)
    )
    if db.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        return False
    if previous is None or moment - previous > USE_AUDIT_EVERY:
        record_audit(
            db,
            workspace_id=user.workspace_id,
            actor=user.email,
            action="token_used",
            detail=f"{token.prefix}...",
        )
    return True
