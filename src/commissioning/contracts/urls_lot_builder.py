"""URLs of a lot's payment mechanism as tendered (issue 15, PBR-1, PRO-9), mounted under the
opportunity's lot: the contract's builder with a lot as its subject, the JSON import and the
JSON export."""

from django.urls import path

from commissioning.contracts import builder_views

app_name = "lot_mechanism"
urlpatterns = [
    path("mechanism/build/", builder_views.lot_builder_start, name="build"),
    path("mechanism/build/check/", builder_views.lot_builder_check, name="build-check"),
    path("mechanism/build/<slug:step>/", builder_views.lot_builder_step, name="build-step"),
    path("mechanism/import/", builder_views.lot_mechanism_import, name="import"),
    path("mechanism.json", builder_views.lot_mechanism_json, name="json"),
]
