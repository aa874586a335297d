"""Plan pages: the chart's Plan tab and its sub-pages under /participants/<id>/plan/."""

from django.urls import path

from trellis.plans import views

app_name = "plans"
urlpatterns = [
    path("participants/<uuid:public_id>/plan/", views.plan_tab, name="tab"),
    path("participants/<uuid:public_id>/plan/start/", views.plan_start, name="start"),
    path("participants/<uuid:public_id>/plan/draft/", views.plan_draft, name="draft"),
    path("participants/<uuid:public_id>/plan/sign/", views.plan_sign, name="sign"),
    path("participants/<uuid:public_id>/plan/compare/", views.plan_compare, name="compare"),
    path(
        "participants/<uuid:public_id>/plan/acknowledge/",
        views.plan_acknowledge,
        name="acknowledge",
    ),
    path(
        "participants/<uuid:public_id>/plan/review/",
        views.plan_request_review,
        name="request-review",
    ),
    path(
        "participants/<uuid:public_id>/plan/versions/<int:number>/",
        views.plan_version,
        name="version",
    ),
    path("participants/<uuid:public_id>/plan/discard/", views.plan_discard, name="discard"),
    path("plans/hand-back/", views.plan_hand_back, name="hand-back"),
    path("plans/diagnoses/", views.diagnosis_search, name="diagnoses"),
    path("me/plan/", views.my_plan, name="mine"),
    path("plans/programs/<uuid:program_id>/templates/", views.templates, name="templates"),
    path(
        "plans/programs/<uuid:program_id>/templates/<uuid:template_id>/",
        views.template_edit,
        name="template-edit",
    ),
    path(
        "plans/programs/<uuid:program_id>/templates/<uuid:template_id>/retire/",
        views.template_retire,
        name="template-retire",
    ),
]
