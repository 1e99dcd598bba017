from django.apps import AppConfig


class SupplierInformationConfig(AppConfig):
    name = "commissioning.supplier_information"
    label = "supplier_information"
    verbose_name = "Core supplier information"
