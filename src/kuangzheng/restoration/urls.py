from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="restoration-dashboard"),
    path("plans/", views.plan_list, name="restoration-plans"),
    path("plans/new/", views.plan_new),
    path("plans/<int:pk>/", views.plan_detail, name="restoration-plan"),
    path("plans/<int:pk>/act/", views.plan_act),
    path("plans/<int:pk>/letter/", views.plan_letter),
    path("plans/<int:pk>/attach/", views.plan_attach),
    path("plans/<int:plan_pk>/phases/<int:pk>/plan/", views.phase_plan),
    path("plans/<int:plan_pk>/phases/<int:pk>/report/", views.phase_report),
    path("plans/<int:plan_pk>/phases/<int:pk>/accept/", views.phase_accept),
    path("plans/<int:plan_pk>/fund/", views.fund_post),
    path("mines/<int:right>/", views.mine, name="restoration-mine"),
    path("ledger/", views.ledger, name="restoration-ledger"),
    path("ledger/problems/", views.problem_new),
    path("ledger/projects/", views.project_new),
    path("green/", views.green_lists, name="restoration-green"),
    path("reports/<int:year>/", views.report, name="restoration-report"),
]
