from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "trellis.peers"
    label = "peers"
    verbose_name = "Peer space"
