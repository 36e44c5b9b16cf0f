from django.urls import path

from . import views
from .feeds import NoticeFeed

urlpatterns = [
    path("public-notices/", views.board, name="notices-board"),
    path("public-notices/feed.atom", NoticeFeed(), name="notices-feed"),
    path("public-notices/<int:pk>/", views.detail, name="notices-detail"),
]
