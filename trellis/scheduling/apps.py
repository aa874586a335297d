from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "trellis.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        # Chart tabs and panels, Today panels and periodic sweeps live in `registry` so
        # the participants app and the Today page never import scheduling.
        from trellis.scheduling import registry

        registry.register_all()
