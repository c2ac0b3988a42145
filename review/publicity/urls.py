"""URLs of the publicity stage: the city's pages under /review/ (``review`` namespace) and the public
pages under /gongshi/ (``gongshi`` namespace, `public_urls`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/start/<int:batch_pk>/", views.publicity_start, name="publicity_start"),
    path("publicity/<int:pk>/", views.publicity_detail, name="publicity"),
    path("objections/mine/", views.my_objections, name="my_objections"),
    path("objections/<int:pk>/", views.objection_detail, name="objection"),
    path("objections/<int:pk>/assign/", views.objection_assign, name="objection_assign"),
    path("objections/<int:pk>/opinion/", views.objection_opinion, name="objection_opinion"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
]
