"""Forms of the delivery pages: a Content ID channel to register, and a file to verify."""

from __future__ import annotations

from django import forms

from licensing.errors import LicensingError
from licensing.models import ContentIdChannel

AUDIO_ACCEPT = ".mp3,.wav,.flac,audio/mpeg,audio/wav,audio/x-wav,audio/flac"


class ChannelForm(forms.Form):
    platform = forms.ChoiceField(choices=ContentIdChannel.Platform.choices, label="Platform")
    channel_id = forms.CharField(
        max_length=200,
        label="Channel id",
        help_text="YouTube: the channel id (starts with UC) or the @handle. Elsewhere: the @handle or profile URL.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class VerifyFileForm(forms.Form):
    file = forms.FileField(
        label="Audio file",
        help_text="An MP3, WAV or FLAC file delivered with a license.",
        widget=forms.ClearableFileInput(attrs={"accept": AUDIO_ACCEPT}),
    )


def add_service_error(form: forms.Form, exc: LicensingError) -> None:
    """Show a service's refusal next to the field it names (or above the form when it names none)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
