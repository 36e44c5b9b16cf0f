"""Routes of the OGC API – Features, mounted at /ogcapi/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="ogcapi-landing"),
    path("conformance", views.conformance_classes, name="ogcapi-conformance"),
    path("api", views.api_definition, name="ogcapi-api"),
    path("collections", views.collections, name="ogcapi-collections"),
    path("collections/<str:cid>", views.collection, name="ogcapi-collection"),
    path("collections/<str:cid>/queryables", views.queryables, name="ogcapi-queryables"),
    path("collections/<str:cid>/items", views.items, name="ogcapi-items"),
    path("collections/<str:cid>/items/<str:fid>", views.item, name="ogcapi-item"),
]
