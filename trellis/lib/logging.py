"""Log formatting that keeps health information out of logs.

Exception messages can carry data values (a database error quotes the duplicate key, a
validation error quotes the input), so tracebacks are logged with the exception's type and
the code locations only, never its message.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class RedactingFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo) -> str:
        exc_type, _, tb = ei
        if exc_type is None:
            return ""
        frames = "".join(traceback.format_tb(tb)) if tb else ""
        return (
            f"Traceback (most recent call last):\n{frames}"
            f"{exc_type.__module__}.{exc_type.__qualname__}: [message withheld from logs]"
        )
