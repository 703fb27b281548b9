from django.urls import path, re_path

from licensing import delivery_views, views

app_name = "licensing"

urlpatterns = [
    # The licensee's library and downloads; verify/file/ before verify/<code>, which would take "file".
    path("", delivery_views.library_page, name="library"),
    path("verify/file/", delivery_views.verify_file, name="verify_file"),
    path("download/<str:token>/", delivery_views.download, name="download"),
    path("channels.csv", delivery_views.channels_csv, name="channels_csv"),
    path("tiers/", views.tiers, name="tiers"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    # /licenses/verify/LIC-7K2M-9QXD-4HTV as printed on certificates; a trailing slash works too.
    re_path(r"^verify/(?P<code>[^/]+)/?$", views.verify, name="verify"),
    path("prices/<slug:slug>/", views.prices, name="prices"),
    # Last: any other single segment is a license code.
    path("<str:code>/", delivery_views.license_page, name="license"),
    path("<str:code>/channels/", delivery_views.channel_add, name="channel_add"),
    path("<str:code>/channels/<int:pk>/remove/", delivery_views.channel_remove, name="channel_remove"),
]
