from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "trellis.notes"
    label = "notes"

    def ready(self) -> None:
        from trellis.participants import chart
        from trellis.privacy.access import Scope

        # Clinical content: front desk never gets the tab (and the pages answer them 404).
        chart.register_tab(chart.ChartTab("notes", "Notes", "notes:tab", Scope.CLINICAL, order=26))
        # The score snapshot from measures: notes reads measures, never the reverse.
        from trellis.notes import providers

        providers.register()
