"""Per-request context for the audit trail (client address)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from trellis.audit.trail import RequestContext, current_request


def _valid_ip(value: object) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def client_addr_of(request: HttpRequest) -> str | None:
    """The client's address, always a valid IP address or None.

    Behind proxies (TRELLIS_CLIENT_ADDR_HEADER set) it is the address that the outermost of
    TRELLIS_TRUSTED_PROXY_COUNT proxies appended, counted from the right: everything to its
    left came from the client and could be anything, including an address chosen to dodge
    the sign-in lockout. Without the header, or when it is too short or not an address,
    REMOTE_ADDR (the peer that connected) is used.
    """
    header = getattr(settings, "TRELLIS_CLIENT_ADDR_HEADER", "")
    if header and request.META.get(header):
        hops = [hop.strip() for hop in str(request.META[header]).split(",")]
        count = max(1, int(getattr(settings, "TRELLIS_TRUSTED_PROXY_COUNT", 1)))
        if len(hops) >= count:
            addr = _valid_ip(hops[-count])
            if addr is not None:
                return addr
    remote = request.META.get("REMOTE_ADDR")
    return _valid_ip(remote) if remote else None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(RequestContext(client_addr=client_addr_of(request)))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
