"""Query strings (search terms such as a participant's name) never reach the logs
(issue #10, item 14)."""

from __future__ import annotations

import logging

import pytest

from trellis.lib.logging import RedactingFormatter


def formatted(message: str, *args: object) -> str:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, message, args, None)
    return RedactingFormatter("%(message)s").format(record)


@pytest.mark.parametrize(
    ("message", "args"),
    [
        ('"%s" %s %s', ("GET /participants/?q=Lanternfield&status=active HTTP/1.1", "200", "9")),
        ("Not Found: %s", ("/participants/?q=Lanternfield",)),
        ("GET /participants/?q=Lanternfield", ()),
    ],
)
def test_search_terms_in_request_lines_are_withheld(message: str, args: tuple[object]) -> None:
    line = formatted(message, *args)
    assert "Lanternfield" not in line
    assert "/participants/?[query withheld]" in line


def test_paths_without_query_strings_are_kept_whole() -> None:
    line = formatted('"%s" %s', "GET /participants/0b3c/ HTTP/1.1", "200")
    assert line == '"GET /participants/0b3c/ HTTP/1.1" 200'


def test_runserver_request_lines_go_through_the_redacting_formatter() -> None:
    # pytest adds its own capture handlers beside the configured ones.
    handlers = [
        h
        for h in logging.getLogger("django.server").handlers
        if not type(h).__module__.startswith("_pytest")
    ]
    assert handlers
    assert all(isinstance(h.formatter, RedactingFormatter) for h in handlers)


@pytest.mark.parametrize(
    "path",
    [
        "/invite/AbC-123_secretTOKEN/",
        "/measures/c/AbC-123_secretTOKEN/",
        "/intake/s/AbC-123_secretTOKEN/",
        "/accounts/password-reset/MQ/AbC-123_secretTOKEN/",
    ],
)
def test_one_time_link_tokens_are_withheld(path: str) -> None:
    line = formatted('"%s" %s %s', f"GET {path}?x=1 HTTP/1.1", "200", "9")
    assert "secretTOKEN" not in line
    assert "[token withheld]" in line
    assert line.endswith('HTTP/1.1" 200 9')
