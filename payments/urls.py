from django.urls import path

from payments import payout_views, views, webhooks

app_name = "payments"

urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.orders, name="orders"),
    path("orders/<uuid:pk>/", views.order, name="order"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("sandbox/events/", views.sandbox_events, name="sandbox_events"),
    path("sandbox/<uuid:pk>/", views.sandbox_checkout, name="sandbox"),
    path("sandbox/<uuid:pk>/pay/", views.sandbox_pay, name="sandbox_pay"),
    path("sandbox/<uuid:pk>/cancel/", views.sandbox_cancel, name="sandbox_cancel"),
    path("earnings/", payout_views.earnings, name="earnings"),
    path("earnings/statement.csv", payout_views.statement, name="statement"),
    path("connect/start/", payout_views.connect_start, name="connect_start"),
    path("connect/refresh/", payout_views.connect_refresh, name="connect_refresh"),
    path("connect/return/", payout_views.connect_return, name="connect_return"),
    path("connect/sandbox/", payout_views.connect_sandbox, name="connect_sandbox"),
    path("connect/sandbox/complete/", payout_views.connect_sandbox_complete, name="connect_sandbox_complete"),
    path("payouts/", payout_views.staff_payouts, name="staff_payouts"),
    path("payouts/run/", payout_views.staff_payouts_run, name="staff_payouts_run"),
]
