from django.contrib import admin

from catalog.models import (
    Collection,
    CollectionItem,
    DuplicateFinding,
    Provenance,
    ReviewDecision,
    Track,
    TrackAsset,
)


class ProvenanceInline(admin.StackedInline):
    model = Provenance
    can_delete = False
    extra = 0
    readonly_fields = (
        "engine",
        "engine_version",
        "prompt",
        "seed",
        "parameters",
        "file_hashes",
        "created_at",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TrackAssetInline(admin.TabularInline):
    model = TrackAsset
    extra = 0
    fields = ("kind", "name", "duration", "size_bytes", "sha256")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReviewDecisionInline(admin.TabularInline):
    """The track's review history, for reading: decisions are made at /review/ and never edited."""

    model = ReviewDecision
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "decision",
        "by",
        "reason",
        "status_before",
        "status_after",
        "label_before",
        "label_after",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DuplicateFindingInline(admin.TabularInline):
    model = DuplicateFinding
    fk_name = "track"
    extra = 0
    can_delete = False
    fields = ("match", "kind", "score", "offset_s", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "creator",
        "genre",
        "bpm",
        "key",
        "mode",
        "duration",
        "status",
        "disclosure_label",
    )
    list_filter = ("status", "disclosure_label", "genre", "energy", "mode")
    search_fields = ("title", "slug", "creator__display_name")
    list_select_related = ("creator",)
    readonly_fields = (
        "slug",
        "mood_bits",
        "instrument_bits",
        "created_at",
        "updated_at",
        "published_at",
        "submitted_at",
    )
    inlines = (ProvenanceInline, TrackAssetInline, ReviewDecisionInline, DuplicateFindingInline)


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    raw_id_fields = ("track",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "is_public", "updated_at")
    list_filter = ("is_public",)
    search_fields = ("name", "owner__email")
    inlines = (CollectionItemInline,)
