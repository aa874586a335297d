"""A URLconf for the error-page test: a view that fails while holding health information."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def failing_view(request: HttpRequest) -> HttpResponse:
    secret = "Quillfeather MRN-1001"
    raise RuntimeError(f"something broke for {secret}")


urlpatterns = [
    path("boom/", failing_view),
    path("", include("trellis.urls")),
]

handler500 = "trellis.views.server_error"
