from django.urls import path

from trellis.programs.views import pages, setup, sites, staff

app_name = "programs"
urlpatterns = [
    path("", pages.program_index, name="list"),
    path("<uuid:program_id>/", pages.program_detail, name="detail"),
    # Set-up pages (docs/configuration.md, "Set-up pages")
    path("<uuid:program_id>/setup/", setup.hub, name="setup"),
    path("<uuid:program_id>/setup/feeds/", setup.feed_details, name="setup-feeds"),
    path("<uuid:program_id>/setup/tracks/", setup.tracks, name="tracks"),
    path("tracks/<uuid:track_id>/edit/", setup.track_edit, name="track-edit"),
    path("<uuid:program_id>/setup/staff/", staff.staff, name="staff"),
    path("<uuid:program_id>/setup/staff/<uuid:user_id>/", staff.staff_member, name="staff-member"),
    path("sites/", sites.sites, name="sites"),
    path("sites/new/", sites.site_new, name="site-new"),
    path("sites/<uuid:site_id>/edit/", sites.site_edit, name="site-edit"),
    path("sites/<uuid:site_id>/retire/", sites.site_retire, name="site-retire"),
    path("sites/<uuid:site_id>/rooms/", sites.rooms, name="rooms"),
    path("rooms/<uuid:room_id>/edit/", sites.room_edit, name="room-edit"),
    path("rooms/<uuid:room_id>/retire/", sites.room_retire, name="room-retire"),
]
