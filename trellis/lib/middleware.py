"""Requests carrying a NUL character are refused at the door.

PostgreSQL cannot store or compare text with NUL (0x00) in it: a search term or a typed title
with one answered 500 there (SQLite let it through). Django's form fields already refuse NUL;
query strings read directly and the JSON API did not. One check for every request keeps the
rule in one place: pages answer 400 (the fixed error page), the API 422 in its own error shape
(`lib/api.py`), naming the parameter or the JSON field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "Remove the NUL character: Trellis does not accept it."
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _nul_in(value: Any, path: list[str]) -> list[str] | None:
    """The path to the first string (or key) holding a NUL in decoded JSON, else None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return [*path, str(key)]
            found = _nul_in(item, [*path, str(key)])
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in(item, [*path, str(index)])
            if found is not None:
                return found
    return None


def nul_location(request: HttpRequest) -> list[str] | None:
    """Where a NUL is: ["query", name], ["body", field, ...] or ["body"]; None if nowhere."""
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        for name, value in parse_qsl(query, keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                return ["query", name.replace("\x00", "")]
        return ["query"]
    if request.method not in BODY_METHODS:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None  # the view answers 413 for an oversized body, as before
    if b"\x00" not in body and b"%00" not in body and b"\\u0000" not in body:
        return None
    if request.content_type == "application/json":
        try:
            found = _nul_in(json.loads(body), ["body"])
        except ValueError:
            found = None
        return found or ["body"]
    return ["body"]


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        loc = nul_location(request)
        if loc is None:
            return self.get_response(request)
        if not request.path.startswith("/api/"):
            raise SuspiciousOperation(MESSAGE)
        field = ".".join(loc[1:])
        error = {"field": field, "message": MESSAGE, "loc": loc, "type": "nul_character"}
        return JsonResponse({"detail": [error]}, status=422)
