from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "trellis.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        # Everything intake plugs into other apps (periodic jobs): plugins.py.
        from trellis.intake import plugins

        plugins.register()
