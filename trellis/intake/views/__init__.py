"""Intake's pages, one module per part of the journey; `urls.py` names each view's module."""
