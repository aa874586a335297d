"""Practice pages, one module per part; `trellis.practice.urls` joins their `urlpatterns`."""
