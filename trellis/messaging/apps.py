from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "trellis.messaging"
    label = "messaging"
    verbose_name = "Messages"

    def ready(self) -> None:
        # The chart's Messages tab: plugins.py.
        from trellis.messaging import plugins

        plugins.register()
