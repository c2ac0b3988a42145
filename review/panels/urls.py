"""URLs of the expert review (clause 4.2), mounted at /review/ in the ``review`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path("experts/export/", views.expert_export, name="expert_export"),
    path("panels/", views.panel_list, name="panel_list"),
    path("panels/<int:pk>/", views.panel, name="panel"),
    path("panels/<int:pk>/draw/", views.panel_draw, name="panel_draw"),
    path("panels/<int:pk>/members/", views.member_add, name="member_add"),
    path("panel-members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("panels/<int:pk>/mode/", views.panel_mode, name="panel_mode"),
    path("panels/<int:pk>/rubric/", views.rubric, name="rubric"),
    path("panels/<int:pk>/open/", views.panel_open, name="panel_open"),
    path("panels/<int:pk>/progress/", views.progress, name="progress"),
    path("panels/<int:pk>/close/", views.panel_close, name="panel_close"),
    path("panels/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("panels/<int:pk>/confirm/", views.confirm, name="confirm_shortlist"),
    path("panels/<int:pk>/export/", views.panel_export, name="panel_export"),
    path("panels/<int:pk>/summary/", views.summary_pdf, name="panel_summary"),
    path("my/", views.my_sheets, name="my_sheets"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("sheets/<int:pk>/declare/", views.sheet_declare, name="sheet_declare"),
    path("sheets/<int:pk>/recuse/", views.sheet_recuse, name="sheet_recuse"),
    path("sheets/<int:pk>/save/", views.sheet_save, name="sheet_save"),
    path("sheets/<int:pk>/submit/", views.sheet_submit, name="sheet_submit"),
    path("sheets/<int:pk>/evidence/<int:attachment_pk>/", views.sheet_evidence, name="sheet_evidence"),
]
