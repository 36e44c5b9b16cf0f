from django.contrib.auth import views as auth_views
from django.urls import path

from . import policy_views, views

urlpatterns = [
    path("", views.map_view, name="map"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("lang/<str:code>/", views.set_language, name="lang"),
    path("open-data/", views.opendata_view, name="open-data"),
    path("open-data/files/<str:name>", views.opendata_file, name="open-data-file"),
    path("policy/", policy_views.catalogue_view, name="policy"),
    path("policy/docs/<str:code>/", policy_views.document_view, name="policy-doc"),
]
