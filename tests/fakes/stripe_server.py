"""A local stand-in for the part of Stripe's REST API the marketplace calls, and Stripe's webhook signing.

It runs a stdlib HTTP server on 127.0.0.1 in a thread, so tests drive the real `stripe` client against it:

- `POST /v1/checkout/sessions` (form-encoded like Stripe, nested `a[b][0][c]` keys), validated the way
  Stripe validates the fields we send (payment mode, line items, `expires_at` 30 minutes to 24 hours ahead);
- `GET /v1/checkout/sessions/{id}`, `POST /v1/checkout/sessions/{id}/expire`;
- `POST /v1/refunds` (`payment_intent` or `charge`, optional `amount`, `reason`, `metadata`);
- `GET /v1/payment_intents/{id}`, `GET /v1/charges/{id}`, `GET /v1/balance_transactions/{id}`, with
  Stripe's `expand[]` (dotted paths such as `latest_charge.balance_transaction`; a property that cannot
  be expanded is a 400). A successful charge gets its balance transaction at once, with Stripe's US card
  fee (`fee_for()`: 2.9 % + 30 cents) in `settlement_currency` (the charge's currency by default); with
  `defer_balance_transactions` it stays null until `settle()`, as for payment methods Stripe settles
  later. Refunds leave the charge's fee alone: Stripe keeps it;
- Connect: `POST /v1/accounts` (Express), `GET /v1/accounts/{id}`, `POST /v1/account_links`,
  `POST /v1/transfers` (refused unless the destination's `transfers` capability is active) and
  `POST /v1/transfers/{id}/reversals` (never more than is left of the transfer);
- the `Authorization: Bearer <secret key>` check (401 otherwise) and the `Idempotency-Key` header: the same
  key and parameters replay the first response (`Idempotent-Replayed: true`); the same key with other
  parameters or on another endpoint is a 400 `idempotency_error`. Like Stripe, a request refused by
  validation saves nothing under its key.

Every request is recorded (`standin.requests`) for assertions. The test drives the customer's side with
`complete()`, `async_result()`, `expire()`, `settle()`, `dispute()` and `close_dispute()`, the
creator's side with `onboard()`, and turns
objects into signed webhook deliveries with `event()` (`account=` for events of a connected account) and
`sign()` (Stripe's scheme: `t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">`). `lose_next_answer()` makes
the next request succeed at "Stripe" while its answer is lost on the way back.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

API_VERSION = "2026-10-28.endive"
REFUND_REASONS = {"duplicate", "fraudulent", "requested_by_customer"}
MIN_EXPIRY_S = 30 * 60
MAX_EXPIRY_S = 24 * 60 * 60


class StripeError(Exception):
    """An API error the stand-in answers with, shaped like Stripe's `{"error": {...}}` body."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", **extra: Any):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type, "message": message, **extra}}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, Any]
    status: int = 0
    replayed: bool = False

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


@dataclass
class _Saved:
    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: dict[str, Any]


@dataclass
class StripeStandIn:
    secret_key: str = "sk_test_standin_51Mkt"
    webhook_secret: str = field(default_factory=lambda: "whsec_" + secrets.token_hex(16))
    requests: list[Recorded] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    payment_intents: dict[str, dict] = field(default_factory=dict)
    charges: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    balance_transactions: dict[str, dict] = field(default_factory=dict)
    disputes: dict[str, dict] = field(default_factory=dict)
    # Stripe attaches the balance transaction (and so the fee) at once for cards; True leaves it null
    # until `settle()`, as for payment methods that settle later.
    defer_balance_transactions: bool = False
    # The platform account's currency, in which balance transactions (and fees) are; None: the charge's.
    settlement_currency: str | None = None
    accounts: dict[str, dict] = field(default_factory=dict)
    account_links: list[dict] = field(default_factory=list)
    transfers: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._saved: dict[str, _Saved] = {}
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._failures: list[tuple[str, StripeError]] = []
        self._lost: list[str] = []

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> StripeStandIn:
        standin = self

        class Handler(_Handler):
            pass

        Handler.standin = standin
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="stripe-standin", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- what tests look at ------------------------------------------------------------------------

    def calls(self, method: str, path: str) -> list[Recorded]:
        """Recorded requests with this method whose path is `path` or starts with it."""
        return [r for r in self.requests if r.method == method and r.path.startswith(path)]

    def fail_next(self, path: str, status: int = 500, message: str = "An unexpected error occurred.") -> None:
        """The next request to `path` gets this error, with `Stripe-Should-Retry: false`."""
        kind = "api_error" if status >= 500 else "invalid_request_error"
        self._failures.append((path, StripeError(status, message, type=kind)))

    def lose_next_answer(self, path: str) -> None:
        """The next request to `path` is carried out (and saved under its idempotency key), but the
        caller gets a 500 instead of the answer, as when a connection drops on the way back."""
        self._lost.append(path)

    def answer_lost(self, path: str) -> bool:
        with self._lock:
            for i, prefix in enumerate(self._lost):
                if path.startswith(prefix):
                    del self._lost[i]
                    return True
            return False

    def onboard(self, account_id: str, *, payouts_enabled: bool = True) -> dict:
        """The creator finishes (or, with payouts_enabled=False, leaves unfinished) their onboarding."""
        with self._lock:
            account = self.accounts[account_id]
            account.update(
                charges_enabled=payouts_enabled, payouts_enabled=payouts_enabled, details_submitted=True
            )
            account["capabilities"]["transfers"] = "active" if payouts_enabled else "inactive"
            return json.loads(json.dumps(account))

    # -- the customer's side and Stripe's own events ---------------------------------------------

    def complete(self, session_id: str, *, payment_status: str = "paid") -> dict:
        """The customer finishes checkout: `paid` now, or `unpaid` for a delayed method (bank debit)."""
        with self._lock:
            session = self.sessions[session_id]
            intent = self.payment_intents[session["payment_intent"]]
            session.update(status="complete", payment_status=payment_status)
            if payment_status == "paid":
                self._succeed(intent)
            else:
                intent["status"] = "processing"
            return json.loads(json.dumps(session))

    def async_result(self, session_id: str, *, succeeded: bool) -> dict:
        """A delayed payment settles (or fails) after checkout completed as `unpaid`."""
        with self._lock:
            session = self.sessions[session_id]
            intent = self.payment_intents[session["payment_intent"]]
            if succeeded:
                session["payment_status"] = "paid"
                self._succeed(intent)
            else:
                intent["status"] = "requires_payment_method"
            return json.loads(json.dumps(session))

    def expire(self, session_id: str) -> dict:
        with self._lock:
            session = self.sessions[session_id]
            session["status"] = "expired"
            return json.loads(json.dumps(session))

    def charge_for(self, payment_intent: str) -> dict:
        with self._lock:
            return json.loads(json.dumps(self.charges[self.payment_intents[payment_intent]["latest_charge"]]))

    def refund_in_dashboard(self, payment_intent: str, amount: int | None = None) -> dict:
        """A refund made outside the marketplace (Stripe dashboard): returns the charge, refunded."""
        with self._lock:
            self._refund({"payment_intent": payment_intent, **({"amount": amount} if amount else {})})
            return self.charge_for(payment_intent)

    @staticmethod
    def fee_for(amount: int) -> int:
        """Stripe's list price for a US card charge: 2.9 % (rounded half up) + 30 cents."""
        return (amount * 29 + 500) // 1000 + 30 if amount > 0 else 0

    def settle(self, payment_intent: str) -> dict:
        """Stripe attaches the charge's balance transaction (with its fee), as it does later for some
        payment methods and then reports with `charge.updated`: returns the charge."""
        with self._lock:
            charge = self.charges[self.payment_intents[payment_intent]["latest_charge"]]
            if charge["balance_transaction"] is None:
                charge["balance_transaction"] = self._balance_transaction(charge)
            return self.charge_for(payment_intent)

    def dispute(self, payment_intent: str, *, reason: str = "fraudulent") -> dict:
        with self._lock:
            charge = self.charge_for(payment_intent)
            dispute_id = self._new_id("dp")
            self.disputes[dispute_id] = {
                "id": dispute_id,
                "object": "dispute",
                "amount": charge["amount"],
                "currency": charge["currency"],
                "charge": charge["id"],
                "payment_intent": payment_intent,
                "reason": reason,
                "status": "needs_response",
                "created": int(time.time()),
                "livemode": False,
            }
            return json.loads(json.dumps(self.disputes[dispute_id]))

    def close_dispute(self, dispute_id: str, *, won: bool) -> dict:
        """The bank decides: `won` (the money comes back to the platform) or `lost`; returns the dispute,
        as `charge.dispute.closed` carries it."""
        with self._lock:
            dispute = self.disputes[dispute_id]
            dispute["status"] = "won" if won else "lost"
            return json.loads(json.dumps(dispute))

    def event(
        self,
        type: str,
        obj: dict,
        *,
        event_id: str | None = None,
        created: int | None = None,
        account: str | None = None,
    ) -> dict:
        """A webhook event as Stripe delivers it (a snapshot of `obj`); events of a connected account
        carry its id in `account`."""
        extra = {"account": account} if account else {}
        return extra | {
            "id": event_id or self._new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": created or int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }

    # -- the API ----------------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict[str, str], params: dict) -> tuple[int, dict, bool]:
        """Answer one API request: (status, body, replayed)."""
        with self._lock:
            for i, (prefix, failure) in enumerate(self._failures):
                if path.startswith(prefix):
                    del self._failures[i]
                    raise failure
            self._authenticate(headers.get("authorization", ""))
            key = headers.get("idempotency-key") if method == "POST" else None
            if key:
                saved = self._saved.get(key)
                if saved is not None:
                    if (saved.method, saved.path, saved.params) != (method, path, params):
                        raise StripeError(
                            400,
                            "Keys for idempotent requests can only be used with the same parameters they "
                            f"were first used with. Try using a key other than '{key}' if you meant to "
                            "execute a different request.",
                            type="idempotency_error",
                        )
                    return saved.status, json.loads(json.dumps(saved.body)), True
            status, body = self._route(method, path, params)
            if key:
                self._saved[key] = _Saved(method, path, params, status, json.loads(json.dumps(body)))
            return status, body, False

    def _authenticate(self, authorization: str) -> None:
        if not authorization.startswith("Bearer ") or not authorization[7:].strip():
            raise StripeError(401, "You did not provide an API key.")
        given = authorization[7:].strip()
        if not hmac.compare_digest(given, self.secret_key):
            raise StripeError(401, f"Invalid API Key provided: {given[:8]}{'*' * 8}{given[-4:]}")

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._session_create(params)
        if method == "POST" and path == "/v1/refunds":
            return 200, self._refund(params)
        if path.startswith(("/v1/account", "/v1/transfers")):
            return 200, self._connect(method, path, params)
        match = re.fullmatch(r"/v1/(payment_intents|charges|balance_transactions)/([A-Za-z0-9_]+)", path)
        if method == "GET" and match:
            return 200, self._retrieve(match.group(1), match.group(2), params)
        match = re.fullmatch(r"/v1/checkout/sessions/([A-Za-z0-9_]+)(/expire)?", path)
        if match and match.group(1) in self.sessions:
            session = self.sessions[match.group(1)]
            if method == "GET" and not match.group(2):
                return 200, session
            if method == "POST" and match.group(2):
                if session["status"] != "open":
                    raise StripeError(400, 'Only Checkout Sessions with a status in ["open"] can be expired.')
                session["status"] = "expired"
                return 200, session
        if match:
            raise StripeError(404, f"No such checkout.session: '{match.group(1)}'", code="resource_missing")
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _session_create(self, params: dict) -> dict:
        if params.get("mode") != "payment":
            raise StripeError(400, "Missing required param: mode.", param="mode", code="parameter_missing")
        if not params.get("success_url"):
            raise StripeError(400, "Missing required param: success_url.", param="success_url")
        items = params.get("line_items")
        if not isinstance(items, list) or not items:
            raise StripeError(400, "Missing required param: line_items.", param="line_items")
        total, currencies = 0, set()
        for i, item in enumerate(items):
            price = item.get("price_data") or {}
            name = (price.get("product_data") or {}).get("name")
            try:
                unit_amount, quantity = int(price["unit_amount"]), int(item.get("quantity", 0))
            except (KeyError, ValueError):
                raise StripeError(
                    400, "Invalid integer.", param=f"line_items[{i}][price_data][unit_amount]"
                ) from None
            if not name or not price.get("currency") or quantity < 1 or unit_amount < 0:
                raise StripeError(400, "Invalid line item.", param=f"line_items[{i}]")
            total += unit_amount * quantity
            currencies.add(price["currency"])
        if len(currencies) != 1:
            raise StripeError(400, "All line items must share one currency.", param="line_items")
        now = int(time.time())
        expires_at = int(params.get("expires_at") or now + MAX_EXPIRY_S)
        if not now + MIN_EXPIRY_S <= expires_at <= now + MAX_EXPIRY_S:
            raise StripeError(
                400,
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session "
                "creation.",
                param="expires_at",
            )
        session_id = self._new_id("cs_test", 58)
        currency = currencies.pop()
        intent_id = self._new_id("pi")
        self.payment_intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": total,
            "amount_received": 0,
            "currency": currency,
            "status": "requires_payment_method",
            "latest_charge": None,
            "metadata": params.get("payment_intent_data", {}).get("metadata", {}),
        }
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": now,
            "currency": currency,
            "customer_email": params.get("customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "mode": "payment",
            "payment_intent": intent_id,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params["success_url"],
            "url": f"{self.base_url}/c/pay/{session_id}",
        }
        return self.sessions[session_id]

    def _refund(self, params: dict) -> dict:
        charge_id = params.get("charge")
        intent_id = params.get("payment_intent")
        if intent_id:
            if intent_id not in self.payment_intents:
                raise StripeError(404, f"No such payment_intent: '{intent_id}'", code="resource_missing")
            charge_id = self.payment_intents[intent_id]["latest_charge"]
            if charge_id is None:
                raise StripeError(
                    400,
                    f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
                    code="charge_not_refundable",
                )
        if charge_id not in self.charges:
            raise StripeError(400, "One of `charge` or `payment_intent` is required.", param="payment_intent")
        charge = self.charges[charge_id]
        remaining = charge["amount"] - charge["amount_refunded"]
        try:
            amount = int(params.get("amount", remaining))
        except ValueError:
            raise StripeError(400, "Invalid integer.", param="amount") from None
        if amount < 1 or amount > remaining:
            raise StripeError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining}).",
                param="amount",
                code="amount_too_large",
            )
        if params.get("reason") and params["reason"] not in REFUND_REASONS:
            raise StripeError(400, "Invalid reason.", param="reason")
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund_id = self._new_id("re")
        self.refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "charge": charge_id,
            "created": int(time.time()),
            "currency": charge["currency"],
            "metadata": params.get("metadata", {}),
            "payment_intent": charge["payment_intent"],
            "reason": params.get("reason"),
            "status": "succeeded",
        }
        return self.refunds[refund_id]

    # What each expandable property refers to, and the objects it names.
    _EXPANDABLE = {
        "latest_charge": "charges",
        "balance_transaction": "balance_transactions",
        "payment_intent": "payment_intents",
        "charge": "charges",
    }

    def _retrieve(self, collection: str, object_id: str, params: dict) -> dict:
        objects = getattr(self, collection)
        if object_id not in objects:
            kind = collection.removesuffix("s")
            raise StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param="id")
        found = json.loads(json.dumps(objects[object_id]))
        expand = params.get("expand", [])
        if not isinstance(expand, list):
            raise StripeError(400, "Invalid array.", param="expand")
        for i, dotted in enumerate(expand):
            self._expand(found, dotted.split("."), param=f"expand[{i}]", dotted=dotted)
        return found

    def _expand(self, obj: dict, parts: list[str], *, param: str, dotted: str) -> None:
        name, rest = parts[0], parts[1:]
        if name not in obj or name not in self._EXPANDABLE:
            raise StripeError(400, f"This property cannot be expanded ({dotted}).", param=param)
        value = obj[name]
        if isinstance(value, str):
            value = json.loads(json.dumps(getattr(self, self._EXPANDABLE[name])[value]))
            obj[name] = value
        if rest and value is not None:
            self._expand(value, rest, param=param, dotted=dotted)

    def _balance_transaction(self, charge: dict) -> str:
        txn_id = self._new_id("txn")
        fee = self.fee_for(charge["amount"])
        currency = self.settlement_currency or charge["currency"]
        self.balance_transactions[txn_id] = {
            "id": txn_id,
            "object": "balance_transaction",
            "amount": charge["amount"],
            "currency": currency,
            "fee": fee,
            "fee_details": [
                {
                    "amount": fee,
                    "currency": currency,
                    "description": "Stripe processing fees",
                    "type": "stripe_fee",
                }
            ],
            "net": charge["amount"] - fee,
            "reporting_category": "charge",
            "source": charge["id"],
            "status": "pending",
            "type": "charge",
            "created": int(time.time()),
        }
        return txn_id

    def _connect(self, method: str, path: str, params: dict) -> dict:
        if method == "POST" and path == "/v1/accounts":
            if params.get("type") != "express":
                raise StripeError(400, "Only Express accounts are supported here.", param="type")
            account_id = self._new_id("acct", 16)
            self.accounts[account_id] = {
                "id": account_id,
                "object": "account",
                "type": "express",
                "email": params.get("email"),
                "charges_enabled": False,
                "payouts_enabled": False,
                "details_submitted": False,
                "capabilities": {"transfers": "inactive"},
                "metadata": params.get("metadata", {}),
                "created": int(time.time()),
            }
            return self.accounts[account_id]
        match = re.fullmatch(r"/v1/accounts/([A-Za-z0-9_]+)", path)
        if method == "GET" and match:
            if match.group(1) not in self.accounts:
                raise StripeError(404, f"No such account: '{match.group(1)}'", code="resource_missing")
            return self.accounts[match.group(1)]
        if method == "POST" and path == "/v1/account_links":
            if params.get("account") not in self.accounts:
                raise StripeError(400, "No such account.", param="account", code="resource_missing")
            for name in ("refresh_url", "return_url"):
                if not params.get(name):
                    raise StripeError(400, f"Missing required param: {name}.", param=name)
            if params.get("type") not in ("account_onboarding", "account_update"):
                raise StripeError(400, "Invalid type.", param="type")
            now = int(time.time())
            link = {
                "object": "account_link",
                "created": now,
                "expires_at": now + 300,
                "url": f"{self.base_url}/setup/e/{params['account']}/{secrets.token_hex(12)}",
            }
            self.account_links.append(link | {"account": params["account"]})
            return link
        if method == "POST" and path == "/v1/transfers":
            return self._transfer(params)
        match = re.fullmatch(r"/v1/transfers/([A-Za-z0-9_]+)/reversals", path)
        if method == "POST" and match:
            return self._reverse(match.group(1), params)
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _transfer(self, params: dict) -> dict:
        try:
            amount = int(params["amount"])
        except (KeyError, ValueError):
            raise StripeError(400, "Missing required param: amount.", param="amount") from None
        if amount < 1:
            raise StripeError(400, "Amount must be at least 1 cent.", param="amount")
        if not params.get("currency"):
            raise StripeError(400, "Missing required param: currency.", param="currency")
        account = self.accounts.get(params.get("destination", ""))
        if account is None:
            raise StripeError(400, "No such destination.", param="destination", code="resource_missing")
        if account["capabilities"]["transfers"] != "active":
            raise StripeError(
                400,
                "Your destination account needs to have at least one of the following capabilities "
                "enabled: transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
            )
        transfer_id = self._new_id("tr")
        self.transfers[transfer_id] = {
            "id": transfer_id,
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "currency": params["currency"],
            "destination": account["id"],
            "metadata": params.get("metadata", {}),
            "reversals": {"object": "list", "data": []},
            "reversed": False,
            "transfer_group": params.get("transfer_group"),
            "created": int(time.time()),
        }
        return self.transfers[transfer_id]

    def _reverse(self, transfer_id: str, params: dict) -> dict:
        transfer = self.transfers.get(transfer_id)
        if transfer is None:
            raise StripeError(404, f"No such transfer: '{transfer_id}'", code="resource_missing")
        left = transfer["amount"] - transfer["amount_reversed"]
        try:
            amount = int(params.get("amount", left))
        except ValueError:
            raise StripeError(400, "Invalid integer.", param="amount") from None
        if amount < 1 or amount > left:
            raise StripeError(
                400,
                f"Amount ({amount}) is greater than the remaining transfer amount ({left}).",
                param="amount",
            )
        reversal = {
            "id": self._new_id("trr"),
            "object": "transfer_reversal",
            "amount": amount,
            "currency": transfer["currency"],
            "transfer": transfer_id,
            "metadata": params.get("metadata", {}),
            "created": int(time.time()),
        }
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        transfer["reversals"]["data"].append(reversal)
        return reversal

    def _succeed(self, intent: dict) -> None:
        intent.update(status="succeeded", amount_received=intent["amount"])
        if intent["latest_charge"] is None:
            charge_id = self._new_id("ch")
            intent["latest_charge"] = charge_id
            self.charges[charge_id] = {
                "id": charge_id,
                "object": "charge",
                "amount": intent["amount"],
                "amount_refunded": 0,
                "balance_transaction": None,
                "currency": intent["currency"],
                # Stripe copies the PaymentIntent's metadata onto the charge it makes, once.
                "metadata": dict(intent["metadata"]),
                "paid": True,
                "payment_intent": intent["id"],
                "refunded": False,
                "status": "succeeded",
            }
            if not self.defer_balance_transactions:
                self.charges[charge_id]["balance_transaction"] = self._balance_transaction(
                    self.charges[charge_id]
                )

    def _new_id(self, prefix: str, length: int = 24) -> str:
        serial = f"{next(self._ids):06d}"
        return f"{prefix}_{serial}{secrets.token_hex(length)[: length - len(serial)]}"


class _Handler(BaseHTTPRequestHandler):
    standin: StripeStandIn

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else url.query
        headers = {k.lower(): v for k, v in self.headers.items()}
        params = decode_form(raw)
        record = Recorded(method, url.path, headers, params)
        self.standin.requests.append(record)
        extra = {}
        try:
            status, body, record.replayed = self.standin.handle(method, url.path, headers, params)
            if record.replayed:
                extra["Idempotent-Replayed"] = "true"
            if self.standin.answer_lost(url.path):
                raise StripeError(500, "The connection was lost.", type="api_error")
        except StripeError as exc:
            status, body = exc.status, exc.body
            extra["Stripe-Should-Retry"] = "false"
        record.status = status
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(7))
        self.send_header("Stripe-Version", headers.get("stripe-version", API_VERSION))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def decode_form(raw: str) -> dict[str, Any]:
    """Stripe's form encoding back into nested data: `a[b][0][c]=v` -> {"a": {"b": [{"c": "v"}]}}."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for part, following in itertools.pairwise(parts):
            if isinstance(node, list):
                while len(node) <= int(part):
                    node.append([] if following.isdigit() else {})
                node = node[int(part)]
            else:
                node = node.setdefault(part, [] if following.isdigit() else {})
        last = parts[-1]
        if isinstance(node, list):
            while len(node) <= int(last):
                node.append(None)
            node[int(last)] = value
        else:
            node[last] = value
    return root


def sign(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header value for `payload`, exactly as Stripe computes it."""
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


def deliver(client, url: str, event: dict, secret: str, *, timestamp: int | None = None):
    """POST `event` to our webhook `url` with the Django test `client`, signed with `secret`."""
    payload = json.dumps(event, separators=(",", ":")).encode()
    return client.post(
        url,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret, timestamp=timestamp),
    )


@pytest.fixture
def stripe_standin(settings):
    """A running stand-in, with the stripe provider configured to use it. Load it in a test module with
    `pytest_plugins = ["tests.fakes.stripe_server"]`."""
    standin = StripeStandIn().start()
    settings.PAYMENTS_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = standin.secret_key
    settings.STRIPE_WEBHOOK_SECRET = standin.webhook_secret
    settings.STRIPE_API_BASE = standin.base_url
    yield standin
    standin.stop()
