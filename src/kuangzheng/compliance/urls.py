from django.urls import path

from . import views

urlpatterns = [
    path("compliance/", views.index, name="compliance"),
    path("compliance/sweep/", views.start, name="compliance-sweep"),
    path("compliance/check/", views.check_view, name="compliance-check"),
    path("compliance/check/help/", views.check_help, name="compliance-check-help"),
    path("compliance/runs/<int:run_id>/", views.run_view, name="compliance-run"),
    path("compliance/runs/<int:run_id>/results/<int:pk>/", views.verdict_view, name="compliance-verdict"),
    path("compliance/runs/<int:run_id>/diff/<int:other_id>/", views.diff_view, name="compliance-diff"),
    path("compliance/subjects/<str:kind>/<int:pk>/", views.subject_view, name="compliance-subject"),
]
