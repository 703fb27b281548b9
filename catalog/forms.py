"""Forms of the catalog pages: collections and adding a track to one. Services do the writing."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from catalog.errors import CatalogError
from catalog.models import Collection


class CollectionForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name")
    description = forms.CharField(
        required=False, max_length=1000, label="Description", widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        required=False,
        label="Public",
        help_text="Anyone with the link can see a public collection. Private ones are yours alone.",
    )


class CollectForm(forms.Form):
    """Add a track to one of your collections, or to a new one named here."""

    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(), required=False, empty_label="Choose a collection…"
    )
    new_name = forms.CharField(required=False, max_length=80, label="Or start a new collection")

    def __init__(self, *args, collections: QuerySet[Collection], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections
        self.fields["collection"].label = "Add to"
        self.has_collections = collections.exists()
        if not self.has_collections:
            self.fields["new_name"].label = "Start a new collection"

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("collection") and not data.get("new_name", "").strip():
            if self.has_collections:
                self.add_error("collection", "Choose a collection or name a new one.")
            else:
                self.add_error("new_name", "Name your new collection.")
        return data


def add_service_error(form: forms.Form, exc: CatalogError, *, rename: dict[str, str] | None = None) -> None:
    """Show a service's refusal next to the field it names (or above the form when it names none)."""
    field = (rename or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
