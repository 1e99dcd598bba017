from django.apps import AppConfig


class BidsConfig(AppConfig):
    name = "commissioning.bids"
    label = "bids"
    verbose_name = "Bids"

    def ready(self) -> None:
        from commissioning.bids.health import check_bid_sealing_key
        from commissioning.kernel.health import register

        register(check_bid_sealing_key)
