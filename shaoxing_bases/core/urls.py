from django.urls import path

from . import job_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("policy/measures/", views.measures_page, name="measures"),
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:audience>/", views.help_page, name="help"),
    path("jobs/<int:pk>/", job_views.job, name="job"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
]
