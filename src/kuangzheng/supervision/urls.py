from django.urls import path

from . import views

urlpatterns = [
    path("supervision/", views.home, name="supervision-home"),
    path("supervision/plans/new/", views.plan_create),
    path("supervision/plans/<int:pk>/", views.plan, name="supervision-plan"),
    path("supervision/plans/<int:pk>/result.json", views.plan_result, name="supervision-plan-result"),
    path("supervision/plans/<int:pk>/publish/", views.plan_publish),
    path("supervision/plans/<int:pk>/draw/", views.plan_draw),
    path("supervision/verify/", views.verify, name="supervision-verify"),
    path("supervision/findings/new/", views.finding_create),
    path("supervision/cases/<int:pk>/", views.case, name="supervision-case"),
    path("supervision/cases/<int:pk>/act/", views.case_act),
    path("supervision/cases/<int:pk>/orders/<int:order>/attach/", views.order_attach),
]
