from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trellis.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The delivery sweep on the clock: plugins.py.
        from trellis.notifications import plugins

        plugins.register()
