from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Pages for compliance officers: the audit report and its export. A face-level app with
    no models: it reads the trail of `audit` and the memberships of `programs`."""

    name = "trellis.compliance"
    label = "compliance"
