from django.apps import AppConfig


class BidsConfig(AppConfig):
    name = "commissioning.bids"
    label = "bids"
    verbose_name = "Bids"
