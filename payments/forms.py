"""Forms of the payments pages. Only what the buyer chooses is read; prices always come from the server."""

from __future__ import annotations

from django import forms

from payments.errors import PaymentsError


class CartAddForm(forms.Form):
    """A track and the tier to license it under. Any price field a client adds is not even read."""

    track = forms.SlugField(max_length=80)
    tier = forms.SlugField(max_length=40, error_messages={"required": "Choose a license tier."})


class CartRemoveForm(forms.Form):
    track = forms.SlugField(max_length=80)


class LicenseeForm(forms.Form):
    """Who the licenses are made out to, and for which project."""

    licensee_name = forms.CharField(
        max_length=120, label="Licensee name", help_text="The person or company the license is made out to."
    )
    licensee_organisation = forms.CharField(max_length=120, required=False, label="Organisation")
    licensee_email = forms.EmailField(max_length=254, label="Email for the license")
    project = forms.CharField(
        max_length=120, required=False, label="Project", help_text="The film, channel, podcast or game."
    )


def add_service_error(form: forms.Form, exc: PaymentsError) -> None:
    """Show a service's refusal next to the field it names (or above the form when it names none)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
