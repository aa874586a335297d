"""Domain-free tables: the clock of periodic background jobs."""

from __future__ import annotations

from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job was last enqueued, shared by every clock process."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
