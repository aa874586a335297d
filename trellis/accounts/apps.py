from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trellis.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Everything accounts plugs into other apps and Django: plugins.py.
        from trellis.accounts import plugins

        plugins.register()
