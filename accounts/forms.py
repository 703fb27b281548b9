"""Forms of the accounts pages. They check what a person typed; the services do the writing."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from accounts.avatars import MAX_BYTES, avatar_check
from accounts.errors import AccountsError, AvatarInvalid
from accounts.models import CreatorProfile, User


def add_service_error(form: forms.Form, exc: AccountsError, *, rename: dict[str, str] | None = None) -> None:
    """Show a service's refusal next to the input it names, or above the form when it names none."""
    field = (rename or {}).get(exc.field or "", exc.field)
    messages = getattr(exc, "messages", None) or [exc.message]
    form.add_error(field if field in form.fields else None, messages)


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, asking for an email and forgiving its capitals."""

    username = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both, or reset your password.",
    }

    def clean_username(self) -> str:
        return User.objects.canonical_email(self.cleaned_data["username"])


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="The same password, to catch a typo.",
    )

    def clean_email(self) -> str:
        email = User.objects.canonical_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account with this email already exists. Log in or reset your password.", code="taken"
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError("The two passwords differ.", code="mismatch"))
        elif password1:
            try:
                validate_password(password1, user=User(email=cleaned.get("email", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class AvatarField(forms.ImageField):
    """An image upload checked for size and dimensions before Pillow is asked to verify all of it."""

    def to_python(self, data):
        if data is not None and getattr(data, "size", 0) > MAX_BYTES:
            raise ValidationError(
                f"The image is larger than {MAX_BYTES // (1024 * 1024)} MB.", code="too_big"
            )
        image = super().to_python(data)
        if image is not None:
            try:
                avatar_check(image, size=image.size)
            except AvatarInvalid as exc:
                raise ValidationError(exc.message, code="invalid_image") from exc
        return image


class AvatarInput(forms.ClearableFileInput):
    clear_checkbox_label = "Remove this picture"
    initial_text = "Current picture"
    input_text = "New picture"


class CreatorProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name", max_length=80, help_text="The name buyers see on your tracks and your page."
    )
    slug = forms.SlugField(
        label="Page address",
        max_length=60,
        required=False,
        help_text="Letters, numbers and hyphens. Leave it empty to make one from your display name.",
    )
    bio = forms.CharField(
        label="About you",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few lines about your music. Up to 2,000 characters.",
    )
    avatar = AvatarField(
        label="Picture",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 5 MB. It is cropped to a square.",
        widget=AvatarInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    def __init__(self, *args, profile: CreatorProfile | None = None, **kwargs) -> None:
        if profile is not None:
            kwargs.setdefault(
                "initial",
                {
                    "display_name": profile.display_name,
                    "slug": profile.slug,
                    "bio": profile.bio,
                    "avatar": profile.avatar,
                },
            )
        super().__init__(*args, **kwargs)
        self.profile = profile

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        others = CreatorProfile.objects.filter(slug=slug)
        if self.profile is not None:
            others = others.exclude(pk=self.profile.pk)
        if slug and others.exists():
            raise ValidationError("This address is taken. Try another.", code="taken")
        return slug

    @property
    def avatar_upload(self) -> UploadedFile | None:
        """The newly uploaded picture, if any (the field hands back the current file when none was sent)."""
        avatar = self.cleaned_data.get("avatar")
        return avatar if isinstance(avatar, UploadedFile) else None

    @property
    def avatar_removed(self) -> bool:
        # ClearableFileInput turns a ticked "Clear" box into False.
        return self.cleaned_data.get("avatar") is False
