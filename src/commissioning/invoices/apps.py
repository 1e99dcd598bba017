from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "commissioning.invoices"
    label = "invoices"
    verbose_name = "Invoices and payments"
