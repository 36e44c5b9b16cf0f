from django.urls import path

from . import views

urlpatterns = [
    path("credit/", views.lists, name="credit-lists"),
    path("credit/enter/", views.enter),
    path("credit/entries/<int:pk>/", views.detail, name="credit-entry"),
    path("credit/entries/<int:pk>/confirm/", views.confirm),
    path("credit/entries/<int:pk>/remove/", views.remove),
    path("credit/entries/<int:pk>/removal-request/", views.ask_removal),
    path("credit/filings/", views.filings, name="credit-filings"),
    path("credit/filings/file/", views.file_annual),
]
