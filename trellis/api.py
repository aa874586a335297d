"""The JSON API at /api/v1/: one ninja Router per app, added here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Trellis API",
    version="1",
    description="Programs, participants and episodes of an intensive outpatient program.",
    urls_namespace="api",
)
