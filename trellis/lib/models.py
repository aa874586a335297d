"""Domain-free tables (the clock of periodic background jobs) and model mixins."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job was last enqueued, shared by every clock process."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class SignedRecordError(Exception):
    """A signed record was about to be changed: later changes are addenda or new versions."""


class SignedOnce(models.Model):
    """A record that is signed once and never written again (notes, group notes and their
    entries, plan versions, meeting minutes).

    The actions refuse changes to a signed record first, with a message for the person; this
    is the second line of defence behind them: an instance read from the database as signed
    raises `signed_error(signed_message)` on save(), unless the save names only fields in
    `writable_after_signing` (a participant's acknowledgement of a signed plan). Subclasses
    define `is_signed`. No fields: adding the mixin changes no table.
    """

    signed_error: ClassVar[type[Exception]] = SignedRecordError
    signed_message: ClassVar[str] = "A signed record cannot be changed."
    writable_after_signing: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_loaded_signed", False):
            fields = kwargs.get("update_fields")
            if (
                not self.writable_after_signing
                or fields is None
                or not set(fields) <= self.writable_after_signing
            ):
                raise self.signed_error(self.signed_message)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Self:
        instance = super().from_db(*args, **kwargs)
        instance._loaded_signed = instance.is_signed  # type: ignore[attr-defined]  # read by save()
        return instance

    @property
    def is_signed(self) -> bool:
        raise NotImplementedError
