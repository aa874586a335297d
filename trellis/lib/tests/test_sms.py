"""The pluggable text-message sender (trellis/lib/sms.py)."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings

from trellis.lib import sms


def test_tests_keep_texts_in_the_outbox() -> None:
    sms.outbox.clear()
    assert sms.send_text(" 503-555-0142 ", "Hello") == 1
    assert sms.outbox == [sms.TextMessage(to="503-555-0142", body="Hello")]
    sms.outbox.clear()


def test_the_console_backend_prints_each_message() -> None:
    stream = io.StringIO()
    assert sms.ConsoleBackend(stream).send_messages([sms.TextMessage("555", "Hi there")]) == 1
    assert "SMS to 555" in stream.getvalue()
    assert "Hi there" in stream.getvalue()


@override_settings(TRELLIS_SMS_BACKEND="trellis.lib.sms.DisabledBackend")
def test_without_a_sender_nothing_is_sent_and_callers_can_tell() -> None:
    assert not sms.texting_available()
    with pytest.raises(sms.SmsError):
        sms.send_text("503-555-0142", "Hello")


@override_settings(TRELLIS_SMS_BACKEND="trellis.lib.sms.TextMessage")
def test_a_setting_that_names_something_else_is_refused() -> None:
    with pytest.raises(TypeError):
        sms.get_backend()


def test_empty_numbers_and_overlong_bodies_are_refused() -> None:
    with pytest.raises(sms.SmsError):
        sms.send_text(" ", "Hello")
    with pytest.raises(sms.SmsError):
        sms.send_text("555", "x" * (sms.MAX_LENGTH + 1))
