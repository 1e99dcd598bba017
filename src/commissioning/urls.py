from django.contrib import admin
from django.urls import include, path

from commissioning.api.urls import api

urlpatterns = [
    path("", include("commissioning.web.urls")),
    path("account/", include("commissioning.accounts.urls")),
    path("directory/", include("commissioning.directory.urls")),
    path("", include("commissioning.grants.urls", namespace="grants")),
    path("exercises/", include("commissioning.exercises.urls")),
    path("outcomes/", include("commissioning.outcomes_web.urls")),
    path("", include("commissioning.referrals.urls", namespace="referrals")),
    path("contracts/", include("commissioning.contracts.urls", namespace="contracts")),
    path("", include("commissioning.invoices.urls", namespace="invoices")),
    path("contracts/", include("commissioning.delivery_checks.urls", namespace="delivery_checks")),
    path("contracts/", include("commissioning.social_value.urls", namespace="social_value")),
    path("", include("commissioning.supply_returns.urls", namespace="supply_returns")),
    path("", include("commissioning.monitoring.urls", namespace="monitoring")),
    path("supply-survey/", include("commissioning.supply_survey.urls", namespace="supply_survey")),
    path("", include("commissioning.stewardship.urls", namespace="stewardship")),
    path("ring-fences/", include("commissioning.ringfences.urls", namespace="ringfences")),
    path("audit/", include("commissioning.audit.urls")),
    path("equality/", include("commissioning.equality.urls", namespace="equality")),
    path("standards/", include("commissioning.standards.urls", namespace="standards")),
    path("reviews/", include("commissioning.reviews.urls", namespace="reviews")),
    path("engagement/", include("commissioning.engagement.urls", namespace="engagement")),
    path(
        "opportunities/<str:reference>/questions/",
        include("commissioning.clarifications.urls", namespace="clarifications"),
    ),
    path(
        "opportunities/<str:reference>/lots/<int:number>/",
        include("commissioning.contracts.urls_lot_builder", namespace="lot_mechanism"),
    ),
    path("opportunities/", include("commissioning.procurement.urls")),
    path("notifications/", include("commissioning.notifications.urls")),
    path("bids/", include("commissioning.bids.urls", namespace="bids")),
    path("evaluation/", include("commissioning.evaluation.urls", namespace="evaluation")),
    path("awards/", include("commissioning.awards.urls", namespace="awards")),
    path("feedback/", include("commissioning.awards.urls_feedback", namespace="feedback")),
    path("opendata/", include("commissioning.opendata.urls", namespace="opendata")),
    path("partnering/", include("commissioning.partnering.urls", namespace="partnering")),
    # Anonymous concerns (SUP-5): the reporter's route, which keeps no session, address or
    # user agent (concerns/anonymity.py), and the independent reviewers' pages.
    path("concerns/", include("commissioning.concerns.urls", namespace="concerns")),
    path(
        "review/concerns/",
        include("commissioning.concerns.urls_review", namespace="concerns_review"),
    ),
    path("escalations/", include("commissioning.escalations.urls", namespace="escalations")),
    path("mediation/", include("commissioning.mediation.urls", namespace="mediation")),
    path(
        "api-tokens/",
        include("commissioning.service_accounts.urls", namespace="service_accounts"),
    ),
    path("", include("commissioning.alerts.urls", namespace="alerts")),
    path("guides/", include("commissioning.guides.urls", namespace="guides")),
    path(
        "supplier-information/",
        include("commissioning.supplier_information.urls", namespace="supplier_information"),
    ),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
