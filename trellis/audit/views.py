"""Audit report for compliance officers (filled in by the audit report work)."""

from django.http import HttpRequest, HttpResponse


def report(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def export_csv(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
