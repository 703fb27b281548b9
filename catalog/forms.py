"""Forms of the catalog pages: collections and adding a track to one. Services do the writing."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from catalog.errors import CatalogError
from catalog.models import Collection, Track
from common.vocabulary import ENERGIES, GENRES, MODES, MOODS, PITCH_CLASSES


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


class DecisionForm(forms.Form):
    """A reviewer's decision on one track in review."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            ("approve", "Approve and publish"),
            ("request_changes", "Request changes"),
            ("reject", "Reject"),
        ],
    )
    disclosure_label = forms.ChoiceField(
        label="Disclosure label",
        required=False,
        choices=Track.Disclosure.choices,
        help_text="Correct it if the audio was made otherwise than declared.",
    )
    reason = forms.CharField(
        label="Message to the creator",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to request changes or reject: the creator reads it on their draft.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class UploadForm(forms.Form):
    """A track made with another tool: the file, optional stems, and how it was made."""

    file = forms.FileField(
        label="Audio file", required=False, help_text="WAV, FLAC or MP3; 5 s to 15 min, 44.1 kHz or more."
    )
    stems = forms.FileField(
        label="Stems (optional)",
        required=False,
        help_text="A zip of WAV, FLAC or MP3 stems, each as long as the mix.",
    )
    title = forms.CharField(label="Title", required=False, max_length=120)
    disclosure_label = forms.ChoiceField(
        label="How was it made?", choices=[("", "Choose…"), *Track.Disclosure.choices], required=False
    )
    tool_name = forms.CharField(
        label="Tool", required=False, max_length=40, help_text="e.g. Suno, Udio, Stable Audio"
    )
    tool_version = forms.CharField(label="Tool version", required=False, max_length=40)
    tool_terms = forms.CharField(
        label="Plan or terms that grant commercial rights",
        required=False,
        max_length=1000,
        help_text="e.g. “Suno Pro plan: commercial use of songs made while subscribed”.",
    )
    prompt = forms.CharField(
        label="Prompt",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The words you gave the tool (not needed for human-made music).",
    )
    human_contribution = forms.CharField(
        label="Your own contribution",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you did yourself: lyrics, arrangement, editing, mixing, playing…",
    )
    description = forms.CharField(
        label="Description", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(forms.Form):
    """The metadata the analysis prefilled on an uploaded draft, for its creator to confirm."""

    title = forms.CharField(label="Title", max_length=120)
    description = forms.CharField(
        label="Description", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    genre = forms.ChoiceField(label="Genre", choices=[(g, g.capitalize()) for g in GENRES])
    moods = forms.MultipleChoiceField(
        label="Moods",
        required=False,
        choices=[(m, m.capitalize()) for m in MOODS],
        widget=forms.CheckboxSelectMultiple,
    )
    bpm = forms.IntegerField(label="Tempo (BPM)", min_value=20, max_value=300)
    key = forms.ChoiceField(label="Key", choices=[(p, p) for p in PITCH_CLASSES])
    mode = forms.ChoiceField(label="Mode", choices=[(m, m.capitalize()) for m in MODES])
    energy = forms.ChoiceField(label="Energy", choices=[(e, e.capitalize()) for e in ENERGIES])
