"""Forms of the licensing pages: a license code to look up, and a creator's prices for one track."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from licensing import codes
from licensing.errors import LicensingError
from licensing.money import SYMBOLS, format_money
from licensing.selectors import PriceLine

CODE_EXAMPLE = "LIC-7K2M-9QXD-4HTV"


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="License code",
        max_length=40,
        help_text=f"Printed on the license certificate, like {CODE_EXAMPLE}.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        code = codes.normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                f"This is not a license code. Codes look like {CODE_EXAMPLE}.", code="malformed"
            )
        return code


class PriceForm(forms.Form):
    """One price and one on-sale box per tier. The price is typed in the tier's currency units and
    becomes cents; the bounds are the service's to enforce."""

    def __init__(self, *args, lines: list[PriceLine], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            tier = line.tier
            symbol = SYMBOLS.get(tier.currency, tier.currency.upper() + " ")
            low = format_money(tier.min_price_cents, tier.currency)
            high = format_money(tier.max_price_cents, tier.currency)
            self.fields[f"price_{tier.slug}"] = forms.DecimalField(
                label=f"{tier.name} price ({symbol.strip()})",
                max_digits=10,
                decimal_places=2,
                min_value=Decimal("0"),
                initial=Decimal(line.price_cents).scaleb(-2),
                help_text=f"Between {low} and {high} (the usual price is "
                f"{format_money(tier.default_price_cents, tier.currency)}).",
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"enabled_{tier.slug}"] = forms.BooleanField(
                required=False,
                initial=line.enabled,
                label="Offer an exclusive buyout" if tier.exclusive else f"Sell {tier.name} licenses",
                help_text="The buyer takes the track out of the catalog for good; licenses sold before "
                "stay valid."
                if tier.exclusive
                else "",
            )

    def rows(self) -> list[dict]:
        """The form's fields grouped by tier, for the template."""
        return [
            {
                "line": line,
                "price": self[f"price_{line.tier.slug}"],
                "enabled": self[f"enabled_{line.tier.slug}"],
            }
            for line in self.lines
        ]

    def changes(self) -> list[tuple[PriceLine, int, bool]]:
        """(line, cents, enabled) for each tier whose price or offer differs from what is stored."""
        changed = []
        for line in self.lines:
            cents = int(self.cleaned_data[f"price_{line.tier.slug}"] * 100)
            enabled = self.cleaned_data[f"enabled_{line.tier.slug}"]
            if line.custom or cents != line.price_cents or enabled != line.enabled:
                changed.append((line, cents, enabled))
        return changed

    def add_service_error(self, line: PriceLine, exc: LicensingError) -> None:
        field = {"price_cents": f"price_{line.tier.slug}", "tier": f"enabled_{line.tier.slug}"}.get(
            exc.field or ""
        )
        self.add_error(field, exc.message)
