from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "trellis.plans"
    label = "plans"

    def ready(self) -> None:
        from trellis.participants import chart
        from trellis.privacy.access import Scope

        # Clinical content: front desk never gets the tab (and the pages answer them 404).
        chart.register_tab(chart.ChartTab("plan", "Plan", "plans:tab", Scope.CLINICAL, order=25))
        # Objective progress from measures and scheduling: plans reads them, never the reverse.
        from trellis.plans import providers, sweeps

        providers.register()
        # Reliable deterioration and not-on-track alerts make the plan's review due now.
        sweeps.register()
