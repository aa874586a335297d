"""Per-request context for the audit trail (client address)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from trellis.audit.trail import RequestContext, current_request


def client_addr_of(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the first hop of a trusted proxy header."""
    header = getattr(settings, "TRELLIS_CLIENT_ADDR_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip() or None
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(RequestContext(client_addr=client_addr_of(request)))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
