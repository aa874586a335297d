"""The client address recorded in audit events and counted by the sign-in lockout is a valid
IP address that the client cannot choose (issue #10, item 13)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from trellis.audit.middleware import client_addr_of

FORWARDED = {"TRELLIS_CLIENT_ADDR_HEADER": "HTTP_X_FORWARDED_FOR"}


def addr(remote: str = "10.0.0.5", forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_addr_of(request)


def test_without_a_proxy_header_the_peer_address_is_used() -> None:
    assert addr(forwarded="203.0.113.9") == "10.0.0.5"


@override_settings(**FORWARDED, TRELLIS_TRUSTED_PROXY_COUNT=1)
def test_the_address_the_trusted_proxy_added_is_used_not_one_the_client_sent() -> None:
    # The client sent "198.51.100.1" itself; the proxy appended the address it saw.
    assert addr(forwarded="198.51.100.1, 203.0.113.9") == "203.0.113.9"


@override_settings(**FORWARDED, TRELLIS_TRUSTED_PROXY_COUNT=2)
def test_with_two_proxies_the_address_the_outer_one_saw_is_used() -> None:
    assert addr(forwarded="198.51.100.1, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


@override_settings(**FORWARDED, TRELLIS_TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    "forwarded", ["not-an-ip", "<script>alert(1)</script>", "1" * 300, "", " , "]
)
def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_peer(forwarded: str) -> None:
    assert addr(forwarded=forwarded) == "10.0.0.5"


@override_settings(**FORWARDED, TRELLIS_TRUSTED_PROXY_COUNT=2)
def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer() -> None:
    assert addr(forwarded="203.0.113.9") == "10.0.0.5"


def test_an_ipv6_address_is_kept_in_its_normal_form() -> None:
    assert addr(remote="2001:DB8:0:0::1") == "2001:db8::1"


def test_a_peer_address_that_is_not_an_ip_is_dropped() -> None:
    assert addr(remote="unix-socket") is None
