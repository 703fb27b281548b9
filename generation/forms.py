"""Forms of the studio pages: a prompt with its parameters, a prompt pack, a draft's words, a custom edit.

The forms check types and ranges a person can fix at a glance; everything else (the prompt, the key,
the quota) is judged by the services, whose errors come back on the field they name.
"""

from __future__ import annotations

import re

from django import forms

from catalog.taxonomy import label
from common.vocabulary import ENERGIES, INSTRUMENTS, MODES, MOODS, PITCH_CLASSES
from generation.errors import GenerationError

MAX_PACK_BYTES = 1024 * 1024

# The vocabulary lists instruments family by family; each family starts at its first instrument.
_FAMILIES = (
    ("acoustic_drums", "Drums and percussion"),
    ("acoustic_bass", "Bass"),
    ("piano", "Keys and mallets"),
    ("acoustic_guitar", "Guitars and plucked"),
    ("strings", "Orchestra"),
    ("synth_pad", "Synths and textures"),
)


def instrument_groups(selected: list[str] | None = None) -> list[dict]:
    """INSTRUMENTS family by family, in the vocabulary's order, each marked if it is `selected`."""
    chosen = set(selected or ())
    starts = [INSTRUMENTS.index(first) for first, _ in _FAMILIES] + [len(INSTRUMENTS)]
    return [
        {
            "title": title,
            "options": [
                {"value": name, "label": label(name), "checked": name in chosen}
                for name in INSTRUMENTS[starts[i] : starts[i + 1]]
            ],
        }
        for i, (_, title) in enumerate(_FAMILIES)
    ]


def parse_hits(text: str) -> list[float]:
    """Hit points as people type them: "12.5, 31" or "12.5 31" -> [12.5, 31.0]."""
    items = [item for item in re.split(r"[\s,;]+", text.strip()) if item]
    hits = []
    for item in items:
        try:
            hits.append(float(item))
        except ValueError:
            raise forms.ValidationError(
                f"“{item}” is not a number of seconds. Separate hit points with commas, like 12.5, 31."
            ) from None
    return hits


def _choices(values: tuple[str, ...], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((v, label(v)) for v in values)]


class StudioForm(forms.Form):
    """One job: a prompt and the parameters that override what the prompt implies."""

    prompt = forms.CharField(
        max_length=500,
        label="Describe the music",
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "A tense night-time heist, pulsing synth bass, 100 bpm in D minor…",
            }
        ),
        error_messages={"required": "Describe the music in a few words."},
    )
    duration = forms.CharField(
        required=False,
        max_length=12,
        label="Length",
        help_text="Seconds, or m:ss. Empty: from the prompt, or 1:00.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0:30"}),
    )
    bpm = forms.IntegerField(
        required=False,
        min_value=40,
        max_value=220,
        label="Tempo (BPM)",
        widget=forms.NumberInput(attrs={"placeholder": "auto"}),
    )
    key = forms.ChoiceField(required=False, choices=[("", "Any key"), *((p, p) for p in PITCH_CLASSES)])
    mode = forms.ChoiceField(required=False, choices=_choices(MODES, "Any mode"))
    energy = forms.ChoiceField(required=False, choices=_choices(ENERGIES, "From the prompt"))
    instruments = forms.MultipleChoiceField(
        required=False,
        choices=[(name, label(name)) for name in INSTRUMENTS],
        widget=forms.CheckboxSelectMultiple,
        label="Instruments",
    )
    hits = forms.CharField(
        required=False,
        max_length=300,
        label="Hit points",
        help_text="Seconds where the music lands an accent, like 12.5, 31.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "12.5, 31"}),
    )
    variations = forms.IntegerField(
        min_value=1,
        max_value=8,
        initial=2,
        label="Variations",
        help_text="1 to 8 takes, each with its own seed.",
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**32 - 1,
        label="Seed",
        help_text="The same seed and settings make the same music. Empty: a new one.",
        widget=forms.NumberInput(attrs={"placeholder": "random"}),
    )

    def clean_hits(self) -> list[float]:
        return parse_hits(self.cleaned_data.get("hits") or "")

    def instrument_groups(self) -> list[dict]:
        value = self["instruments"].value()
        return instrument_groups(value if isinstance(value, list) else [])

    def shows_advanced(self) -> bool:
        """Open the advanced controls when they hold a value or an error."""
        advanced = ("duration", "bpm", "key", "mode", "energy", "instruments", "hits", "seed")
        return any(self[name].errors or self[name].value() not in (None, "", []) for name in advanced)

    def params(self) -> dict:
        """The explicit parameters for the service; empty values are left to the prompt."""
        data = self.cleaned_data
        params = {name: data.get(name) for name in ("duration", "bpm", "key", "mode", "energy")}
        params["instruments"] = data.get("instruments") or None
        params["hits"] = data.get("hits") or None
        return {name: value for name, value in params.items() if value not in (None, "", [])}


class PackForm(forms.Form):
    pack = forms.FileField(
        label="Prompt pack",
        help_text="A .txt file with one prompt per line, or a .csv file with the columns below.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,text/plain,text/csv"}),
        error_messages={"required": "Choose a .txt or .csv file."},
    )

    def clean_pack(self):
        upload = self.cleaned_data["pack"]
        if upload.size > MAX_PACK_BYTES:
            raise forms.ValidationError(f"A pack is at most {MAX_PACK_BYTES // 1024} KB.")
        return upload


class DraftForm(forms.Form):
    """The words of a draft. How the track was made (its disclosure label) is not among them."""

    title = forms.CharField(max_length=120, label="Title")
    description = forms.CharField(
        required=False,
        max_length=4000,
        label="Description",
        help_text="What scenes it fits, how it builds, where it lands.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    moods = forms.MultipleChoiceField(
        required=False,
        choices=[(mood, label(mood)) for mood in MOODS],
        widget=forms.CheckboxSelectMultiple,
        label="Moods",
    )


class EditForm(forms.Form):
    """A custom edit: the cue at another length, with accents where the picture cuts."""

    duration = forms.FloatField(
        min_value=5,
        max_value=600,
        label="Length (seconds)",
        help_text="5 to 600 seconds: the length of your video or scene.",
        widget=forms.NumberInput(attrs={"step": "0.1", "placeholder": "45"}),
        error_messages={"required": "Give the length in seconds."},
    )
    hits = forms.CharField(
        required=False,
        max_length=300,
        label="Hit points",
        help_text="Optional: seconds where the music should land an accent, like 12.5, 31.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "12.5, 31"}),
    )

    def clean_hits(self) -> list[float]:
        return parse_hits(self.cleaned_data.get("hits") or "")


# Errors the engine names after a value the form reads from the prompt text.
_FROM_PROMPT = {"genre": "prompt", "meter": "prompt"}


def add_service_error(form: forms.Form, exc: GenerationError) -> None:
    """Show a service's refusal beside the field it names, or above the form when it names none."""
    field = _FROM_PROMPT.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
