from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "trellis.participants"
    label = "participants"

    def ready(self) -> None:
        # The Care team tab belongs to participants (which owns care teams); it is clinical
        # content, so front desk never gets the tab (and the page answers them 404).
        from trellis.participants import chart
        from trellis.participants.scope import Scope

        chart.register_tab(
            chart.ChartTab(
                "care-team", "Care team", "participants:care-team", Scope.CLINICAL, order=5
            )
        )
