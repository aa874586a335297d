from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The participant's portal at /me/: a home and navigation over the pages the clinical
    apps serve to participants. A face-level app with no models: each home card reads its
    app through that app's queries and access functions (docs/portal.md)."""

    name = "trellis.portal"
    label = "portal"
