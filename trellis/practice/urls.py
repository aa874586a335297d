"""Practice's pages: each part keeps its own `urlpatterns` in `views/<part>.py`."""

from django.urls import URLPattern

from trellis.practice.views import adherence, assignments, diary, library, safety

app_name = "practice"

urlpatterns: list[URLPattern] = [
    *library.urlpatterns,
    *assignments.urlpatterns,
    *diary.urlpatterns,
    *safety.urlpatterns,
    *adherence.urlpatterns,
]
