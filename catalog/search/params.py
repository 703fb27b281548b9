"""Search parameters, validated once for the browse page and the API alike.

Errors are keyed by the parameter's name (`bpm_min`, `genre`...), so the API answers 400 naming the field
and the page shows the message beside the control.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import pretty_name

from catalog.taxonomy import label
from common.vocabulary import ENERGIES, GENRES, INSTRUMENTS, MODES, MOODS, PITCH_CLASSES

BPM_RANGE = (20, 300)
DURATION_RANGE = (0.0, 3600.0)
FLATS = {"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#"}

ORDERINGS = {
    "relevance": "Best match",
    "newest": "Newest",
    "duration": "Shortest",
    "-duration": "Longest",
    "bpm": "Slowest",
    "-bpm": "Fastest",
}


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, label(v)) for v in values]


class KeyField(forms.ChoiceField):
    """A tonic pitch class; flats are accepted and stored as their sharp spelling."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if len(value) >= 1:
            value = value[0].upper() + value[1:]
        return FLATS.get(value, value)


class TrackSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=300, strip=True, label="Search")
    genre = forms.MultipleChoiceField(required=False, choices=_choices(GENRES))
    mood = forms.MultipleChoiceField(required=False, choices=_choices(MOODS))
    instrument = forms.MultipleChoiceField(required=False, choices=_choices(INSTRUMENTS))
    bpm_min = forms.IntegerField(
        required=False, min_value=BPM_RANGE[0], max_value=BPM_RANGE[1], label="Tempo from"
    )
    bpm_max = forms.IntegerField(
        required=False, min_value=BPM_RANGE[0], max_value=BPM_RANGE[1], label="Tempo to"
    )
    key = KeyField(required=False, choices=[("", "Any key")] + [(p, p) for p in PITCH_CLASSES])
    mode = forms.ChoiceField(required=False, choices=[("", "Any mode"), *_choices(MODES)])
    duration_min = forms.FloatField(
        required=False, min_value=DURATION_RANGE[0], max_value=DURATION_RANGE[1], label="Length from"
    )
    duration_max = forms.FloatField(
        required=False, min_value=DURATION_RANGE[0], max_value=DURATION_RANGE[1], label="Length to"
    )
    energy = forms.ChoiceField(required=False, choices=[("", "Any energy"), *_choices(ENERGIES)])
    creator = forms.SlugField(required=False, max_length=60)
    ordering = forms.ChoiceField(
        required=False, label="Sort order", choices=[("", "Default"), *list(ORDERINGS.items())]
    )

    def clean(self):
        data = super().clean()
        for low, high in (("bpm_min", "bpm_max"), ("duration_min", "duration_max")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(low, f"Must not be above the upper bound ({data[high]:g}).")
        return data


# How each parameter is named to people (error summaries, chips).
FIELD_LABELS = {
    name: str(field.label or pretty_name(name)) for name, field in TrackSearchForm.base_fields.items()
}


def parse(query) -> tuple[dict | None, dict[str, list[str]]]:
    """Validate a QueryDict: (cleaned parameters, {}) or (None, {field: [messages]})."""
    form = TrackSearchForm(query)
    if form.is_valid():
        return form.cleaned_data, {}
    return None, {field: [str(m) for m in messages] for field, messages in form.errors.items()}
