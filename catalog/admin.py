from django.contrib import admin

from catalog.models import Collection, CollectionItem, Provenance, Track, TrackAsset


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
    readonly_fields = ("slug", "mood_bits", "instrument_bits", "created_at", "updated_at", "published_at")
    inlines = (ProvenanceInline, TrackAssetInline)


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
