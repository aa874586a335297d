"""The finder tests use the directory tests' fixtures: the real workbooks, read once,
and Rhode Island cut out (trellis/directory/tests/workbooks.py)."""

from trellis.directory.tests.workbooks import cut, published

__all__ = ["cut", "published"]
