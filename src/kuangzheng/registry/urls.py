from django.urls import path

from . import views

urlpatterns = [path("rights/<int:pk>/events/", views.right_event_view, name="right-event")]
for name, p in views.PATHS.items():
    urlpatterns += [
        path(f"{p}/", views.list_view, {"name": name}, name=f"{name}-list"),
        path(f"{p}/new/", views.create_view, {"name": name}, name=f"{name}-new"),
        path(f"{p}/<int:pk>/", views.detail_view, {"name": name}, name=f"{name}-detail"),
        path(f"{p}/<int:pk>/edit/", views.edit_view, {"name": name}, name=f"{name}-edit"),
    ]
