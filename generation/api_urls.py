from django.urls import path
from rest_framework.routers import DefaultRouter

from generation.api import JobViewSet, TrackEditView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("generation/jobs", JobViewSet, basename="generation-job")

urlpatterns = [
    path("tracks/<slug:slug>/edits/", TrackEditView.as_view(), name="api-track-edits"),
    *router.urls,
]
