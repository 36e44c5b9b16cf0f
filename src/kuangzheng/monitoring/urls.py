from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="monitoring"),
    path("indicators.csv", views.indicators_csv, name="monitoring-csv"),
    path("templates/<str:report_type>.xlsx", views.template_download, name="monitoring-template"),
    path("reports/", views.report_list, name="monitoring-reports"),
    path("reports/<int:pk>/", views.report_detail, name="monitoring-report"),
    path("warnings/", views.warning_list, name="monitoring-warnings"),
    path("releases/", views.release_list, name="monitoring-releases"),
    path("releases/feed.xml", views.release_feed, name="monitoring-feed"),
    path("releases/<int:pk>/", views.release_detail, name="monitoring-release"),
    path("ledger/", views.ledger_view, name="monitoring-ledger"),
    path("plan/", views.plan_view, name="monitoring-plan"),
    path("plan.pdf", views.plan_pdf, name="monitoring-plan-pdf"),
    path("forecast/", views.forecast_view, name="monitoring-forecast"),
]
