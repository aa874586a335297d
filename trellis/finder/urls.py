from django.urls import path

from trellis.finder import views

app_name = "finder"

urlpatterns = [
    path("find/", views.search, name="search"),
    path("find/listing/<uuid:listing_id>/", views.listing, name="listing"),
    path("find/compare/", views.compare, name="compare"),
]
