from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("tracks/<slug:slug>/", views.track, name="track"),
    path("tracks/<slug:slug>/favorite/", views.favorite, name="favorite"),
    path("tracks/<slug:slug>/collect/", views.collect, name="collect"),
    path("creators/<slug:slug>/", views.creator, name="creator"),
    path("favorites/", views.favorites, name="favorites"),
    path("collections/", views.collections, name="collections"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection_delete"),
    path("collections/<int:pk>/remove/<slug:slug>/", views.collection_remove, name="collection_remove"),
]
