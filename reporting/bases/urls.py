"""URLs of the training bases, their funding and assessments, mounted at /bases/ in the ``bases``
namespace (the annual reports keep their own)."""

from django.urls import path

from ..assessments import views as assessments
from ..funding import views as funding
from . import views

app_name = "bases"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:chart>.xlsx", views.statistics_export, name="statistics_export"),
    path("manage/", views.staff_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("funding/", funding.overview, name="funding"),
    path("funding/export/", funding.export, name="funding_export"),
    path("<int:pk>/funding/new/", funding.create, name="funding_create"),
    path("<int:pk>/assessments/new/", assessments.create, name="assessment_create"),
    path("assessments/<int:pk>/decide/", assessments.decide_exit, name="exit_decide"),
    path("assessments/<int:pk>/evidence/", assessments.evidence, name="assessment_evidence"),
    path("assessments/<int:pk>/notice/", assessments.exit_notice, name="exit_notice"),
]
