"""Staff pages: tiers (rights validated on save), track prices, licenses (frozen; status changes only,
each with a reason) and Content ID channels."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.html import format_html, format_html_join

from licensing import services
from licensing.errors import LicensingError
from licensing.models import ContentIdChannel, License, LicenseTier, TrackPrice
from licensing.money import format_money
from licensing.rights import rights_in_words, validate_rights

TIER_FIELDS = (
    "slug",
    "name",
    "summary",
    "rights",
    "default_price_cents",
    "min_price_cents",
    "max_price_cents",
    "currency",
    "exclusive",
    "position",
    "is_active",
)


class PrettyJSONField(forms.JSONField):
    def prepare_value(self, value):
        if isinstance(value, str):
            return value  # what staff typed, shown back as typed when it did not parse
        return json.dumps(value, indent=2, ensure_ascii=False)


class LicenseTierForm(forms.ModelForm):
    rights = PrettyJSONField(
        widget=forms.Textarea(attrs={"rows": 22, "cols": 80, "spellcheck": "false"}),
        help_text="A rights document: see the rights schema in the README. Checked on save.",
    )

    class Meta:
        model = LicenseTier
        fields = TIER_FIELDS


@admin.register(LicenseTier)
class LicenseTierAdmin(admin.ModelAdmin):
    form = LicenseTierForm
    list_display = ("name", "slug", "default_price", "price_bounds", "exclusive", "is_active", "position")
    list_editable = ("position", "is_active")
    readonly_fields = ("rights_in_words",)
    fields = (*TIER_FIELDS, "rights_in_words")

    @admin.display(description="default price")
    def default_price(self, tier: LicenseTier) -> str:
        return format_money(tier.default_price_cents, tier.currency)

    @admin.display(description="creators may set")
    def price_bounds(self, tier: LicenseTier) -> str:
        return f"{format_money(tier.min_price_cents, tier.currency)} – {format_money(tier.max_price_cents, tier.currency)}"

    @admin.display(description="in words")
    def rights_in_words(self, tier: LicenseTier) -> str:
        try:
            validate_rights(tier.rights)
        except LicensingError:
            return "—"  # shown again once the rights are valid
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((w,) for w in rights_in_words(tier.rights)))
        )

    def save_model(self, request, obj: LicenseTier, form, change: bool) -> None:
        # The form has run the model's checks; the service runs them again and writes.
        services.tier_save(tier=obj, **{name: getattr(obj, name) for name in TIER_FIELDS})


@admin.register(TrackPrice)
class TrackPriceAdmin(admin.ModelAdmin):
    list_display = ("track", "tier", "price", "enabled")
    list_filter = ("tier", "enabled")
    search_fields = ("track__title", "track__slug")
    list_select_related = ("track", "tier")
    raw_id_fields = ("track",)

    @admin.display(description="price")
    def price(self, row: TrackPrice) -> str:
        return format_money(row.price_cents, row.tier.currency)


class StatusActionForm(ActionForm):
    reason = forms.CharField(required=False, max_length=240, label="Reason")


class ContentIdChannelInline(admin.TabularInline):
    model = ContentIdChannel
    extra = 0
    fields = ("platform", "channel_id", "added_at")
    readonly_fields = ("added_at",)


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    list_display = ("code", "track", "tier", "licensee_name", "licensee_organisation", "status", "issued_at")
    list_filter = ("status", "tier", "exclusive")
    search_fields = (
        "code",
        "source_key",
        "licensee_name",
        "licensee_organisation",
        "licensee_email",
        "track__title",
    )
    list_select_related = ("track", "tier")
    date_hierarchy = "issued_at"
    action_form = StatusActionForm
    actions = ("revoke", "mark_disputed", "reinstate")
    inlines = (ContentIdChannelInline,)
    fields = (
        "code",
        "status",
        "status_reason",
        "status_changed_at",
        "track",
        "tier",
        "exclusive",
        "licensee",
        "licensee_name",
        "licensee_organisation",
        "licensee_email",
        "project",
        "price",
        "issued_at",
        "source_key",
        "terms_pretty",
        "terms_sha256",
        "master_sha256",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # licenses are issued by fulfilment only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: a license is evidence, kept for good

    @admin.display(description="price")
    def price(self, license: License) -> str:
        return format_money(license.price_cents, license.currency)

    @admin.display(description="terms (frozen)")
    def terms_pretty(self, license: License) -> str:
        return format_html("<pre>{}</pre>", json.dumps(license.terms, indent=2, ensure_ascii=False))

    def _change(self, request, queryset, change, verb: str, **options) -> None:
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(request, f"Give a reason to {verb} licenses.", messages.ERROR)
            return
        changed = kept = 0
        for license in queryset:
            before = license.status
            try:
                after = change(license=license, reason=reason, **options)
            except LicensingError as exc:
                self.message_user(request, f"{license.code}: {exc.message}", messages.ERROR)
                continue
            changed, kept = (changed + 1, kept) if after.status != before else (changed, kept + 1)
        self.message_user(
            request, f"{changed} changed; {kept} left as they were (already so, or not allowed)."
        )

    @admin.action(description="Revoke selected licenses (give a reason)")
    def revoke(self, request, queryset) -> None:
        self._change(request, queryset, services.license_revoke, "revoke")

    @admin.action(description="Mark selected licenses disputed (give a reason)")
    def mark_disputed(self, request, queryset) -> None:
        self._change(request, queryset, services.license_dispute, "mark disputed")

    @admin.action(description="Reinstate selected licenses (give a reason)")
    def reinstate(self, request, queryset) -> None:
        self._change(request, queryset, services.license_reinstate, "reinstate", undo_revoke=True)


@admin.register(ContentIdChannel)
class ContentIdChannelAdmin(admin.ModelAdmin):
    list_display = ("channel_id", "platform", "license", "added_at")
    list_filter = ("platform",)
    search_fields = ("channel_id", "license__code", "license__licensee_email")
    list_select_related = ("license",)
    raw_id_fields = ("license",)
