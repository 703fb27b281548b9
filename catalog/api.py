"""The catalog's API: search and read tracks and creators; collections and favourites for their owner."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import CreatorProfile
from catalog import selectors, services
from catalog.errors import CatalogError
from catalog.models import Collection, CollectionItem, Track
from catalog.search.params import ORDERINGS, parse
from catalog.serializers import (
    CollectionSerializer,
    CollectionTrackSerializer,
    CreatorSerializer,
    TrackDetailSerializer,
    TrackSerializer,
)

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Words describing the music; ranks results by meaning"),
    OpenApiParameter("genre", str, many=True, description="One or more genres (any of)"),
    OpenApiParameter("mood", str, many=True, description="One or more moods (all of)"),
    OpenApiParameter("instrument", str, many=True, description="One or more instruments (all of)"),
    OpenApiParameter("bpm_min", int),
    OpenApiParameter("bpm_max", int),
    OpenApiParameter("key", str, description='Tonic, e.g. "D", "F#" or "Bb"'),
    OpenApiParameter("mode", str, enum=["major", "minor"]),
    OpenApiParameter("duration_min", float, description="seconds"),
    OpenApiParameter("duration_max", float, description="seconds"),
    OpenApiParameter("energy", str, enum=["low", "medium", "high"]),
    OpenApiParameter("creator", str, description="creator slug"),
    OpenApiParameter("ordering", str, enum=list(ORDERINGS)),
]


def _raise_catalog_error(exc: CatalogError):
    raise ValidationError({exc.field or "non_field_errors": [exc.message]})


class TrackViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TrackSerializer
    lookup_field = "slug"
    queryset = Track.objects.none()  # for the schema; every action goes through a selector

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def list(self, request: Request) -> Response:
        params, errors = parse(request.query_params)
        if errors:
            raise ValidationError(errors)
        results = selectors.track_search(
            params=params, user=request.user, min_score=settings.SEARCH_MIN_SCORE
        )
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Track:
        track = selectors.track_get(slug=self.kwargs["slug"], user=self.request.user)
        if track is None:
            raise NotFound("No track with this slug.")
        return track

    @extend_schema(responses=TrackDetailSerializer)
    def retrieve(self, request: Request, slug: str) -> Response:
        return Response(TrackDetailSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(responses=TrackSerializer(many=True))
    @action(detail=True)
    def similar(self, request: Request, slug: str) -> Response:
        tracks = selectors.track_similar(track=self.get_object(), limit=12)
        return Response(self.get_serializer(tracks, many=True).data)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def favorite(self, request: Request, slug: str) -> Response:
        """POST marks the track as a favourite of the caller; DELETE unmarks it."""
        track = self.get_object()
        state = services.favorite_set(user=request.user, track=track, favorite=request.method == "POST")
        return Response({"track": track.slug, "favorite": state})


class FavoriteViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's favourite tracks."""

    serializer_class = TrackSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.favorites_of(user=self.request.user)


class CreatorViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CreatorSerializer
    lookup_field = "slug"
    queryset = CreatorProfile.objects.none()  # for the schema; reads go through a selector

    def get_object(self):
        creator = selectors.creator_get(slug=self.kwargs["slug"])
        if creator is None:
            raise NotFound("No creator with this slug.")
        return creator


class IsOwner(permissions.BasePermission):
    def has_object_permission(self, request, view, obj: Collection) -> bool:
        return obj.owner_id == request.user.id


class CollectionViewSet(viewsets.ModelViewSet):
    """The caller's collections. Tracks are added and removed through the `tracks` sub-resource."""

    serializer_class = CollectionSerializer
    permission_classes = [permissions.IsAuthenticated, IsOwner]
    queryset = Collection.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        items = Prefetch("items", queryset=CollectionItem.objects.select_related("track"))
        return Collection.objects.filter(owner=self.request.user).prefetch_related(items)

    def perform_create(self, serializer) -> None:
        try:
            serializer.instance = services.collection_create(
                owner=self.request.user, **serializer.validated_data
            )
        except CatalogError as exc:
            _raise_catalog_error(exc)

    def perform_update(self, serializer) -> None:
        try:
            services.collection_update(collection=serializer.instance, **serializer.validated_data)
        except CatalogError as exc:
            _raise_catalog_error(exc)

    def perform_destroy(self, instance: Collection) -> None:
        services.collection_delete(collection=instance)

    @extend_schema(request=CollectionTrackSerializer, responses=CollectionSerializer)
    @action(detail=True, methods=["post"], url_path="tracks")
    def add_track(self, request: Request, pk: str) -> Response:
        collection = self.get_object()
        track = self._track(request)
        services.collection_add_track(collection=collection, track=track)
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"tracks/(?P<track_slug>[-\w]+)")
    def remove_track(self, request: Request, pk: str, track_slug: str) -> Response:
        collection = self.get_object()
        track = selectors.track_get(slug=track_slug, user=request.user)
        if track is None:
            raise NotFound({"track": ["No track with this slug."]})
        services.collection_remove_track(collection=collection, track=track)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _track(self, request: Request) -> Track:
        serializer = CollectionTrackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        track = selectors.track_get(slug=serializer.validated_data["track"], user=request.user)
        if track is None:
            raise ValidationError({"track": ["No track with this slug."]})
        return track
