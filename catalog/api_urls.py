from django.urls import path
from rest_framework.routers import DefaultRouter

from catalog.api import CollectionViewSet, CreatorViewSet, FavoriteViewSet, TrackViewSet
from catalog.review_api import (
    ReviewDecisionView,
    ReviewQueueView,
    TakeDownView,
    UploadConfirmView,
    UploadView,
    WithdrawView,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("tracks", TrackViewSet, basename="track")
router.register("creators", CreatorViewSet, basename="creator")
router.register("collections", CollectionViewSet, basename="collection")
router.register("favorites", FavoriteViewSet, basename="favorite")

urlpatterns = [
    *router.urls,
    path("review/queue/", ReviewQueueView.as_view(), name="review-queue"),
    path("review/tracks/<slug:slug>/decision/", ReviewDecisionView.as_view(), name="review-decision"),
    path("review/tracks/<slug:slug>/take-down/", TakeDownView.as_view(), name="review-take-down"),
    path("uploads/", UploadView.as_view(), name="upload"),
    path("uploads/<slug:slug>/confirm/", UploadConfirmView.as_view(), name="upload-confirm"),
    path("tracks/<slug:slug>/withdraw/", WithdrawView.as_view(), name="track-withdraw"),
]
