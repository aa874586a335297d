from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "trellis.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from trellis.intake import plugins

        plugins.register()
