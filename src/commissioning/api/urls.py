"""The JSON API (django-ninja) with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

Each feature contributes a router from its own ``api.py``; reads are public, writes need a
signed-in user who passes the rules in :mod:`commissioning.permissions`.
"""

from ninja import NinjaAPI

from commissioning.directory.api import router as directory_router
from commissioning.exercises.api import router as exercises_router

api = NinjaAPI(
    title="Commissioning API",
    version="1",
    description=(
        "Open data and write access for the Commissioning platform: the provider directory "
        "(MKT-1) and commissioning exercises (CYC-1)."
    ),
    urls_namespace="api",
)
api.add_router("/organisations", directory_router)
api.add_router("/exercises", exercises_router)
