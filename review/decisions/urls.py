"""URLs of the decision (clause 4.3), mounted at /review/ in the ``review`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/batches/<int:batch_pk>/", views.decision, name="decision"),
    path("decisions/batches/<int:batch_pk>/draft/", views.decision_draft, name="decision_draft"),
    path("decisions/<int:pk>/cosign/", views.decision_cosign, name="decision_cosign"),
    path("decisions/<int:pk>/decline/", views.decision_decline, name="decision_decline"),
    path("decisions/<int:pk>/issue/", views.decision_issue, name="decision_issue"),
    path("decisions/<int:pk>/release/", views.decision_release, name="decision_release"),
    path("decisions/<int:pk>/notice/", views.decision_notice, name="decision_notice"),
    path("decisions/<int:pk>/notice.pdf", views.decision_pdf, name="decision_pdf"),
    path("decisions/letters/<int:pk>/", views.approval_letter, name="approval_letter"),
]
