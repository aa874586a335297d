"""Text messages through a pluggable sender, shaped like Django's mail backends.

`settings.TRELLIS_SMS_BACKEND` names the backend class (a dotted path). Three come with
Trellis:

- `ConsoleBackend` writes each message to standard output (development, the demo);
- `LocmemBackend` keeps them in `trellis.lib.sms.outbox` (tests: `outbox.clear()` first);
- `DisabledBackend` (the production default) sends nothing and says so: `available` is False,
  so a caller can refuse to offer texting instead of pretending a message went out.

A provider (Twilio, an SMS gateway of the organization) is a subclass with its own
`send_messages`. Messages never carry health information: callers write them so.
"""

from __future__ import annotations

import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string

MAX_LENGTH = 640  # four SMS segments: anything longer is a mistake of the caller


class SmsError(Exception):
    """A backend could not send (the provider refused, the network failed)."""


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class BaseSmsBackend(ABC):
    """A text-message provider: subclass it and implement send_messages."""

    available = True

    @abstractmethod
    def send_messages(self, messages: list[TextMessage]) -> int:
        """Send the messages; the number sent. Raise SmsError when sending failed."""


class ConsoleBackend(BaseSmsBackend):
    """Prints each message (development only: the text is shown as it would be sent)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, messages: list[TextMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
            self.stream.flush()
        return len(messages)


outbox: list[TextMessage] = []


class LocmemBackend(BaseSmsBackend):
    """Keeps messages in `outbox`, for tests."""

    def send_messages(self, messages: list[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class DisabledBackend(BaseSmsBackend):
    """No sender configured: nothing can be sent."""

    available = False

    def send_messages(self, messages: list[TextMessage]) -> int:
        if messages:
            raise SmsError("Text messages are not set up (TRELLIS_SMS_BACKEND).")
        return 0


def get_backend(path: str | None = None) -> BaseSmsBackend:
    backend_class = import_string(path or settings.TRELLIS_SMS_BACKEND)
    backend = backend_class()
    if not isinstance(backend, BaseSmsBackend):
        raise TypeError(f"{path or settings.TRELLIS_SMS_BACKEND} is not an SMS backend.")
    return backend


def texting_available() -> bool:
    return get_backend().available


def send_text(to: str, body: str) -> int:
    """Send one text message through the configured backend; the number sent (0 or 1)."""
    if not to.strip():
        raise SmsError("No phone number to text.")
    if len(body) > MAX_LENGTH:
        raise SmsError(f"A text message is at most {MAX_LENGTH} characters.")
    return get_backend().send_messages([TextMessage(to=to.strip(), body=body)])
