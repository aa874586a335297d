"""The directory tests' fixtures: the real workbooks, read once, and Rhode Island cut out
(defined in workbooks.py, which the finder's tests use too)."""

from trellis.directory.tests.workbooks import cut, published

__all__ = ["cut", "published"]
