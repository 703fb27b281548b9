from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.media import serve_media

urlpatterns = [
    path("", include("catalog.urls")),
    path("accounts/", include("accounts.urls")),
    path("studio/", include("generation.urls")),
    path("payments/", include("payments.urls")),
    path("licenses/", include("licensing.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Only the public media folder: previews, peaks, covers and avatars. Full-quality files live in
    # PRIVATE_MEDIA_ROOT, which no URL reaches.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_media),
    ]
