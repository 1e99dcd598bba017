from django.apps import AppConfig


class KernelConfig(AppConfig):
    """An app so that its widget templates and template tags are found, and so that every
    change to a record gives the cached public pages a new key (:mod:`.pagecache`) and empties
    the request's memo (:mod:`commissioning.requestmemo`)."""

    name = "commissioning.kernel"
    label = "kernel"

    def ready(self) -> None:
        from commissioning import requestmemo
        from commissioning.kernel import pagecache

        pagecache.connect_signals()
        requestmemo.connect_signals()
