"""Version 1 of the API: each room contributes its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("catalog.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("generation.api_urls")),
    path("", include("licensing.api_urls")),
]
