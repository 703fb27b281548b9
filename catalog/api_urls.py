from rest_framework.routers import DefaultRouter

from catalog.api import CollectionViewSet, CreatorViewSet, FavoriteViewSet, TrackViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("tracks", TrackViewSet, basename="track")
router.register("creators", CreatorViewSet, basename="creator")
router.register("collections", CollectionViewSet, basename="collection")
router.register("favorites", FavoriteViewSet, basename="favorite")

urlpatterns = router.urls
