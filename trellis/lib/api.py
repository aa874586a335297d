"""Shared pieces of the JSON API: error shapes, error handlers and page parameters.

Every error the API answers is JSON with a `detail` key, so a client needs one code path:
`{"detail": "message"}` for 401, 403 and 404, and `{"detail": [{"field", "message", "loc",
"type"}, ...]}` for 422, whether the schema (pydantic) or an action (Django ValidationError)
refused the input.
"""

from __future__ import annotations

import logging
import re
from datetime import time
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BeforeValidator, WithJsonSchema

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("trellis.api")

NOT_FOUND = "Not found."
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# Far past any real list, and far inside what a database integer holds: an offset of 2**63
# must be a 422 naming `offset`, not an overflow deep in the database driver.
MAX_OFFSET = 1_000_000
# Counters a client sends back (revisions, version numbers): a 32-bit database integer.
MAX_COUNTER = 2**31 - 1


class ErrorOut(Schema):
    detail: str = Field(examples=[NOT_FOUND])


class FieldErrorOut(Schema):
    field: str = Field(
        description="The input that was refused: a body field (`date_of_birth`), a query "
        "parameter (`limit`), or empty for the request as a whole.",
        examples=["date_of_birth"],
    )
    message: str = Field(examples=["Date of birth cannot be in the future."])
    loc: list[str | int] = Field(
        description="Where the input was, as ninja reports it: `body`, `query` or `path`, "
        "then the field.",
        examples=[["body", "date_of_birth"]],
    )
    type: str = Field(description="A short machine-readable code.", examples=["invalid"])


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class PageOut(Schema):
    """Fields every paginated list shares (each list adds its own `items`)."""

    count: int = Field(description="How many items match, across all pages.")
    limit: int
    offset: int


def _wall_clock_time(value: Any) -> Any:
    # pydantic would read a number as seconds after midnight, and keep an offset: both
    # would make 18:00 mean something else than 6 pm where the program is.
    if isinstance(value, str) and not TIME_PATTERN.match(value):
        raise ValueError("Give the time as HH:MM or HH:MM:SS, without a time zone offset.")
    if not isinstance(value, str | time):
        raise ValueError("Give the time as text, HH:MM or HH:MM:SS.")
    return value


TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$")

# A wall-clock time in the program's time zone ("18:00:00"). OpenAPI's `format: time` is
# RFC 3339's full-time, which requires an offset: this is not that, so the document says
# what the API actually sends and takes (a pattern), and clients can check it.
LocalTime = Annotated[
    time,
    BeforeValidator(_wall_clock_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TIME_PATTERN.pattern,
            "description": "Wall-clock time in the program's time zone, HH:MM[:SS].",
            "examples": ["18:00:00"],
        }
    ),
]


class PageQuery(Schema):
    """`limit` and `offset` of every paginated list, both bounded."""

    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """Declared error responses for an operation's OpenAPI entry: `{401: ErrorOut, ...}`."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}


def _field_of(loc: list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        # ninja puts the body parameter's name second (["body", "payload", "mrn"]): clients
        # never see that name, so the field is what follows it.
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts)


def _schema_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", []))
        field = _field_of(loc)
        errors.append(
            {
                "field": field,
                "message": str(error.get("msg", "Invalid value.")),
                "loc": [loc[0], field] if loc and field else loc,
                "type": str(error.get("type", "invalid")),
            }
        )
    return errors


def _action_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if not hasattr(exc, "error_dict"):
        return [
            {"field": "", "message": message, "loc": ["body"], "type": "invalid"}
            for message in exc.messages
        ]
    return [
        {
            "field": "" if field == "__all__" else field,
            "message": message,
            "loc": ["body"] if field == "__all__" else ["body", field],
            "type": error.code or "invalid",
        }
        for field, field_errors in exc.error_dict.items()
        for error in field_errors
        for message in error.messages
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every refusal as JSON with a clear message (never Django's HTML error pages)."""

    def respond(request: HttpRequest, data: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # The message of an Http404 can name what was looked for; a client only learns that
        # it is not there (or not theirs: both look the same).
        return respond(request, {"detail": NOT_FOUND}, 404)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or "You do not have permission to do this."
        return respond(request, {"detail": message}, 403)

    @api.exception_handler(DjangoValidationError)
    def action_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, {"detail": _action_errors(exc)}, 422)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return respond(
            request,
            {"detail": f"The request body is too large: at most {limit // 1024:,} KiB."},
            413,
        )

    @api.exception_handler(NinjaValidationError)
    def schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return respond(request, {"detail": _schema_errors(exc)}, 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message
        if message == "Unauthorized":  # ninja's default when no authenticator accepted
            message = (
                "Authentication required: sign in to Trellis (session cookie and CSRF "
                "token), or send a personal API token as 'Authorization: Bearer trl_…'."
            )
        response = respond(request, {"detail": message}, 401)
        response["WWW-Authenticate"] = 'Bearer realm="trellis"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, {"detail": str(exc)}, exc.status_code)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The same record Django's request logger would write (type and traceback); the
        # client gets a fixed message, never the exception text, which can quote values.
        logger.error(
            "API error %s on %s %s",
            type(exc).__name__,
            request.method,
            request.path,
            exc_info=exc,
        )
        return respond(
            request, {"detail": "Something went wrong on our side; it has been logged."}, 500
        )
