"""Compliance pages. The audit report keeps its address under /audit/ (bookmarks)."""

from django.urls import path

from trellis.compliance import views

app_name = "compliance"
urlpatterns = [
    path("audit/", views.audit_report, name="audit-report"),
    path("audit/export.csv", views.audit_export_csv, name="audit-export"),
]
