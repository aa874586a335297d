"""Counting the queries of a block: the `count_queries` fixture (conftest.py) and its type."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


class QueryCount(CaptureQueriesContext):
    """The queries run inside a `with` block; `count` is how many."""

    def __init__(self) -> None:
        super().__init__(connection)

    @property
    def count(self) -> int:
        return len(self.captured_queries)


CountQueries = Callable[[], QueryCount]
