from django.urls import path  # noqa: F401  # each part of practice adds its pages here

app_name = "practice"

urlpatterns: list = []  # type: ignore[type-arg]
