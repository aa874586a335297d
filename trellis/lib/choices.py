"""Choices shared by several apps."""

from __future__ import annotations

from django.db import models


class Weekday(models.IntegerChoices):
    """Python's numbering (`date.weekday()`): Monday is 0. Stored as these integers."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"
