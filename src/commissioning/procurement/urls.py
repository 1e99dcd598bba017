from django.urls import path

from commissioning.procurement import (
    views,
    views_criteria_library,
    views_items,
    views_manage,
    views_planned,
)

app_name = "procurement"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/<str:exercise_reference>/", views_manage.opportunity_create, name="create"),
    path("<str:reference>/", views.opportunity_detail, name="detail"),
    path("<str:reference>/edit/", views_manage.opportunity_edit, name="edit"),
    path("<str:reference>/lots/new/", views_items.lot_edit, name="lot-create"),
    path("<str:reference>/lots/<int:number>/edit/", views_items.lot_edit, name="lot-edit"),
    path("<str:reference>/lots/<int:number>/remove/", views_items.lot_delete, name="lot-delete"),
    path("<str:reference>/specification/new/", views_items.section_edit, name="section-create"),
    path(
        "<str:reference>/specification/<slug:key>/edit/",
        views_items.section_edit,
        name="section-edit",
    ),
    path(
        "<str:reference>/specification/<slug:key>/remove/",
        views_items.section_delete,
        name="section-delete",
    ),
    path("<str:reference>/criteria/new/", views_items.criterion_edit, name="criterion-create"),
    path(
        "<str:reference>/criteria/library/",
        views_criteria_library.criterion_library,
        name="criterion-library",
    ),
    path(
        "<str:reference>/criteria/price-method/",
        views_criteria_library.price_method,
        name="price-method",
    ),
    path(
        "<str:reference>/criteria/<int:pk>/edit/",
        views_items.criterion_edit,
        name="criterion-edit",
    ),
    path(
        "<str:reference>/criteria/<int:pk>/remove/",
        views_items.criterion_delete,
        name="criterion-delete",
    ),
    path("<str:reference>/timeline/", views_manage.timeline_edit, name="timeline"),
    path("<str:reference>/accessibility/", views_manage.accessibility_report, name="accessibility"),
    path("<str:reference>/publish/", views_manage.publish, name="publish"),
    path(
        "<str:reference>/planned-notice/",
        views_planned.planned_notice,
        name="planned-notice",
    ),
    path("<str:reference>/cancel/", views_manage.cancel, name="cancel"),
]
