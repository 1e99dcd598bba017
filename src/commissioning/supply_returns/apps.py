from django.apps import AppConfig


class SupplyReturnsConfig(AppConfig):
    name = "commissioning.supply_returns"
    label = "supply_returns"
    verbose_name = "Supply-chain returns"
