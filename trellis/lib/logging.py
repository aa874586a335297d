"""Log formatting that keeps health information out of logs.

Exception messages can carry data values (a database error quotes the duplicate key, a
validation error quotes the input), so tracebacks are logged with the exception's type and
the code locations only, never its message. Query strings carry search terms (`?q=` a
participant's name), so they are cut from every path in a log line. One-time links carry
their secret in the path itself (an invitation, a check-in link, a password reset): the part
after such a prefix is cut too, so whoever reads the logs cannot use the link.
"""

from __future__ import annotations

import logging
import re
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


# A path followed by a query string: "GET /participants/?q=Name HTTP/1.1", "/x?y=z".
QUERY_STRING = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


# Paths whose remainder is a secret (the one-time token of a link sent by email or text).
SECRET_PATH_PREFIXES = ("/invite/", "/measures/c/", "/intake/s/", "/accounts/password-reset/")
SECRET_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in SECRET_PATH_PREFIXES) + r")[^\s?\"']+"
)


def without_query_strings(text: str) -> str:
    return QUERY_STRING.sub(r"\1?[query withheld]", text)


def without_secrets(text: str) -> str:
    """Query strings and the tokens of one-time links cut from a log line."""
    return SECRET_PATH.sub(r"\1[token withheld]", without_query_strings(text))


class RedactingFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return without_secrets(super().formatMessage(record))

    def formatException(self, ei: ExcInfo) -> str:
        exc_type, _, tb = ei
        if exc_type is None:
            return ""
        frames = "".join(traceback.format_tb(tb)) if tb else ""
        return (
            f"Traceback (most recent call last):\n{frames}"
            f"{exc_type.__module__}.{exc_type.__qualname__}: [message withheld from logs]"
        )
