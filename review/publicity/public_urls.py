"""The public pages of the publicity stage, mounted at /gongshi/ in the ``gongshi`` namespace."""

from django.urls import path

from . import views

app_name = "gongshi"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice, name="notice"),
    path("<int:pk>/yiyi/", views.objection_file, name="file_objection"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("yiyi/huizhi/", views.objection_receipt, name="receipt"),
    path("yiyi/chaxun/", views.objection_lookup, name="lookup"),
]
