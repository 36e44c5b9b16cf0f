from django.urls import path

from . import views

urlpatterns = [path("me/tokens/", views.tokens_page, name="tokens")]
