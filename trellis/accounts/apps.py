from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trellis.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from trellis.accounts.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="trellis-start-idle-clock")
