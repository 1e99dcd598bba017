from django.apps import AppConfig


class DeliveryChecksConfig(AppConfig):
    name = "commissioning.delivery_checks"
    label = "delivery_checks"
    verbose_name = "Promises and need groups after award"

    def ready(self) -> None:
        # The figures of KPIs measured from the referrals and invoices: contracts sits below
        # both in the layers, so this app hands it them (LAW-4; issue 15 item 1).
        from commissioning.delivery_checks import kpi_figures

        kpi_figures.register()
