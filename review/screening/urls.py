"""URLs of the county screening (clause 4.1), mounted at /review/ in the ``review`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.screen, name="screen"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("finance/", views.finance_queue, name="finance_queue"),
    path("applications/<int:pk>/finance/", views.finance_opinion, name="finance_opinion"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path(
        "batches/<int:batch_pk>/recommendation/",
        views.recommendation_for_batch,
        name="recommendation_for_batch",
    ),
    path(
        "batches/<int:batch_pk>/recommendation/start/",
        views.recommendation_start,
        name="recommendation_start",
    ),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("recommendations/<int:pk>/steps/<slug:action>/", views.recommendation_transition, name="transition"),
    path("recommendations/<int:pk>/letter/", views.letter, name="letter"),
    path("recommendations/<int:pk>/scan/", views.signed_scan_upload, name="signed_scan_upload"),
    path("recommendations/<int:pk>/scan/download/", views.signed_scan, name="signed_scan"),
    path("entries/<int:pk>/opinion/", views.entry_update, name="entry_update"),
    path("entries/<int:pk>/move/", views.entry_move, name="entry_move"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("city/", views.city_overview, name="city_overview"),
    path("county-settings/", views.county_settings, name="county_settings"),
]
