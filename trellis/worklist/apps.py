from datetime import timedelta

from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "trellis.worklist"
    label = "worklist"

    def ready(self) -> None:
        from trellis.lib.panels import PagePanel, register
        from trellis.lib.periodic import register as register_periodic
        from trellis.worklist import tasks, views

        # Urgent alerts sit at the top of Today (order 0): an item-9 alert must not be missed.
        register(
            "today",
            PagePanel("urgent-alerts", "worklist/today_alerts.html", views.today_alerts, order=0),
        )
        register_periodic("worklist.escalate", tasks.escalate_alerts, every=timedelta(minutes=5))
