"""One error hierarchy; each surface renders it (JSON in the API, a page in the UI, stderr in the CLI)."""

from __future__ import annotations

from typing import Any


class AccordError(Exception):
    """Base error carrying a stable machine code and an HTTP-ish status for the surfaces."""

    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        detail: Any = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the label of the input at fault, for forms that show the error beside it
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.detail = detail if detail is not None else message


class NotFound(AccordError):
    """Unknown id, or an object the actor may not see (outsiders get 404, never 403)."""

    code = "not_found"
    status = 404


class Conflict(AccordError):
    """The request is well-formed but the current state forbids it (e.g. an illegal transition)."""

    code = "conflict"
    status = 409


class Forbidden(AccordError):
    """The actor is known but their role does not allow this action."""

    code = "forbidden"
    status = 403


class Invalid(AccordError):
    """Bad input: empty, too long, malformed; nothing was written."""

    code = "invalid"
    status = 422


class Unauthorized(AccordError):
    """No valid credentials were given."""

    code = "unauthorized"
    status = 401


class Unavailable(AccordError):
    """A dependency (the database) is unreachable; retrying later may work."""

    code = "unavailable"
    status = 503
