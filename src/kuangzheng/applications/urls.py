from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.queue, name="applications-queue"),
    path("applications/new/", views.new, name="applications-new"),
    path("applications/<int:pk>/", views.detail, name="applications-detail"),
    path("applications/<int:pk>/act/", views.act),
    path("applications/<int:pk>/edit/", views.edit),
    path("applications/<int:pk>/attach/", views.attach),
    path("applications/<int:pk>/review/", views.review),
    path("applications/<int:pk>/override/", views.override),
    path("applications/<int:pk>/answer/", views.answer),
    path("notices/", views.notices, name="applications-notices"),
    path("notices/<int:pk>/object/", views.object_to),
]
