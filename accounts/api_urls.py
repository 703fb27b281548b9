from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="api-auth-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
]
