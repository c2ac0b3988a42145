"""URLs of the annual reports, mounted at /annual-reports/ under the ``annual_reports`` namespace."""

from django.urls import path

from . import views

app_name = "annual_reports"

urlpatterns = [
    path("mine/", views.my_reports, name="my_reports"),
    path("county/", views.county_queue, name="county_queue"),
    path("city/", views.city_overview, name="city_overview"),
    path("open/", views.open_year, name="open_year"),
    path("export/", views.export, name="export"),
    path("export/start/", views.export_start, name="export_start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/receive/", views.city_decide, name="city_decide"),
    path("<int:pk>/late-window/", views.grant_late, name="grant_late"),
    path("<int:pk>/archive.pdf", views.archive, name="archive"),
]
