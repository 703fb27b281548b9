"""How tracks, creators and collections look in the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import CreatorProfile
from catalog import extensions
from catalog.models import Collection, Track


class CreatorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = CreatorProfile
        fields = ("slug", "display_name")


def _url(request, field) -> str | None:
    if not field:
        return None
    url = field.url
    return request.build_absolute_uri(url) if request is not None else url


class TrackSerializer(serializers.ModelSerializer):
    creator = CreatorSummarySerializer(read_only=True)
    preview_url = serializers.SerializerMethodField()
    peaks_url = serializers.SerializerMethodField()
    cover_url = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = (
            "slug",
            "title",
            "creator",
            "genre",
            "moods",
            "instruments",
            "bpm",
            "key",
            "mode",
            "duration",
            "energy",
            "status",
            "disclosure_label",
            "published_at",
            "preview_url",
            "peaks_url",
            "cover_url",
            "score",
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_preview_url(self, track: Track) -> str | None:
        return _url(self.context.get("request"), track.preview)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_peaks_url(self, track: Track) -> str | None:
        return _url(self.context.get("request"), track.peaks)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_url(self, track: Track) -> str | None:
        return _url(self.context.get("request"), track.cover)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, track: Track) -> float | None:
        """Relevance to the query (meaning and mood, -1 to 1), for searches ranked by meaning."""
        return getattr(track, "score", None)


class ProvenanceSerializer(serializers.Serializer):
    engine = serializers.CharField()
    engine_version = serializers.CharField()
    prompt = serializers.CharField()
    seed = serializers.IntegerField(allow_null=True)
    parameters = serializers.JSONField()
    file_hashes = serializers.JSONField()
    created_at = serializers.DateTimeField()


class TrackDetailSerializer(TrackSerializer):
    description = serializers.CharField()
    provenance = serializers.SerializerMethodField()
    deliverables = serializers.SerializerMethodField()

    class Meta(TrackSerializer.Meta):
        fields = (*TrackSerializer.Meta.fields, "description", "provenance", "deliverables")

    def to_representation(self, track: Track) -> dict:
        data = super().to_representation(track)
        data.update(extensions.fields_for(track, self.context.get("request")))
        return data

    @extend_schema_field(ProvenanceSerializer(allow_null=True))
    def get_provenance(self, track: Track) -> dict | None:
        provenance = getattr(track, "provenance", None)
        return ProvenanceSerializer(provenance).data if provenance else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_deliverables(self, track: Track) -> list[dict]:
        """What a license delivers (no file URLs: full-quality files leave only with a license)."""
        return [
            {"kind": a.kind, "name": a.name, "duration": a.duration, "size_bytes": a.size_bytes}
            for a in track.assets.all()
            if a.kind != "manifest"
        ]


class CreatorSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()
    published_count = serializers.IntegerField(read_only=True)
    tracks_url = serializers.SerializerMethodField()

    class Meta:
        model = CreatorProfile
        fields = ("slug", "display_name", "bio", "avatar_url", "published_count", "tracks_url", "created_at")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar_url(self, creator: CreatorProfile) -> str | None:
        return _url(self.context.get("request"), creator.avatar)

    @extend_schema_field(serializers.URLField())
    def get_tracks_url(self, creator: CreatorProfile) -> str:
        url = f"/api/v1/tracks/?creator={creator.slug}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CollectionSerializer(serializers.ModelSerializer):
    tracks = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = ("id", "name", "description", "is_public", "tracks", "created_at", "updated_at")
        read_only_fields = ("id", "tracks", "created_at", "updated_at")

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_tracks(self, collection: Collection) -> list[str]:
        return [item.track.slug for item in collection.items.all()]


class CollectionTrackSerializer(serializers.Serializer):
    track = serializers.SlugField()
