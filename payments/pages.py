"""What the payments pages show, worked out from orders and licenses (no queries of their own)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from licensing import selectors as licensing_selectors
from payments import selectors
from payments.errors import PaymentsError
from payments.models import Order, OrderLine
from payments.services import not_for_sale_reason

LICENSE_URL = "/licenses/{code}/"
SESSION_KEY = "payments_cart_count"


def cart_count_refresh(request) -> int:
    """Count the viewer's cart again and keep the number in the session for the header."""
    count = selectors.cart_count(user=request.user)
    if request.session.get(SESSION_KEY) != count:
        request.session[SESSION_KEY] = count
    return count


def licensee_initial(user) -> dict[str, str]:
    """The licensee form's starting values: the buyer's last order's details, else the account's."""
    last = selectors.licensee_last(user=user)
    if last is not None:
        return {
            "licensee_name": last.licensee_name,
            "licensee_organisation": last.licensee_organisation,
            "licensee_email": last.licensee_email,
        }
    profile = getattr(user, "creator_profile", None)
    return {"licensee_name": profile.display_name if profile else "", "licensee_email": user.email}


def line_error(exc: PaymentsError, lines: list[tuple]) -> str:
    """A service's refusal of line N, with the track's title in front so the buyer knows which."""
    match = re.match(r"lines\[(\d+)\]", exc.field or "")
    if match and int(match.group(1)) < len(lines):
        return f"“{lines[int(match.group(1))][0].title}”: {exc.message}"
    return exc.message


@dataclass
class LineView:
    line: OrderLine
    license: object | None  # licensing.models.License

    @property
    def license_url(self) -> str:
        return LICENSE_URL.format(code=self.license.code) if self.license else ""


def order_lines(*, order: Order, licenses: dict) -> list[LineView]:
    return [LineView(line=line, license=licenses.get(line.pk)) for line in order.lines.all()]


def license_panel(request, track) -> dict:
    """The track page's buying panel: the tiers on offer with prices, or why the track is not for sale."""
    reason = not_for_sale_reason(track=track)
    offers = [] if reason else licensing_selectors.track_offers(track=track)
    if not reason and not offers:
        reason = "No license is on offer for this track right now."
    user = request.user
    in_cart = selectors.cart_tier_of(user=user, track=track) if user.is_authenticated else None
    return {
        "track": track,
        "offers": offers,
        "reason": reason,
        "own": user.is_authenticated and track.creator.user_id == user.pk,
        "in_cart": in_cart,
        "selected": in_cart or (offers[0].tier.slug if offers else None),
        "tiers_url": "/licenses/tiers/",
    }


def chart_bars(days: list, *, width: int = 720, height: int = 180) -> dict:
    """Sales per day as bars for an inline SVG drawn on the server: each bar's box, its label (the day
    and the amount, for the tooltip and screen readers) and a few gridlines with their amounts."""
    top = max((day.cents for day in days), default=0)
    scale = _nice_ceiling(top)
    slot = width / max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        h = round(height * day.cents / scale, 1) if scale else 0
        bars.append(
            {
                "x": round(i * slot + slot * 0.15, 1),
                "y": round(height - h, 1),
                "w": round(slot * 0.7, 1),
                "h": h,
                "day": day.day,
                "cents": day.cents,
                "sales": day.sales,
                "tick": (len(days) - 1 - i) % 7 == 0,
                "cx": round(i * slot + slot / 2, 1),
            }
        )
    grid = [{"y": round(height - height * f, 1), "cents": int(scale * f)} for f in (0.5, 1)] if scale else []
    return {"bars": bars, "grid": grid, "width": width, "height": height, "empty": top == 0}


def _nice_ceiling(cents: int) -> int:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten (in dollars) at or above `cents`."""
    if cents <= 0:
        return 0
    step = 100
    while True:
        for factor in (1, 2, 2.5, 5):
            if step * factor >= cents:
                return int(step * factor)
        step *= 10
