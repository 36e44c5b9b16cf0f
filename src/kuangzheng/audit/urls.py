from django.urls import path

from . import views

urlpatterns = [path("audit/checkpoint/", views.checkpoint_page, name="audit-checkpoint")]
