from django.urls import path

from catalog import review_views, upload_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("tracks/<slug:slug>/", views.track, name="track"),
    path("tracks/<slug:slug>/favorite/", views.favorite, name="favorite"),
    path("tracks/<slug:slug>/collect/", views.collect, name="collect"),
    path("tracks/<slug:slug>/take-down/", review_views.take_down, name="take_down"),
    path("tracks/<slug:slug>/withdraw/", review_views.withdraw, name="withdraw"),
    path("tracks/<slug:slug>/provenance.json", review_views.provenance_record, name="provenance_record"),
    path("provenance/public-key.pem", review_views.provenance_key, name="provenance_key"),
    path("review/", review_views.queue, name="review_queue"),
    path("review/tracks/<slug:slug>/decide/", review_views.decide, name="review_decide"),
    path("upload/", upload_views.upload_page, name="upload"),
    path("upload/<slug:slug>/confirm/", upload_views.confirm, name="upload_confirm"),
    path("creators/<slug:slug>/", views.creator, name="creator"),
    path("favorites/", views.favorites, name="favorites"),
    path("collections/", views.collections, name="collections"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection_delete"),
    path("collections/<int:pk>/remove/<slug:slug>/", views.collection_remove, name="collection_remove"),
]
