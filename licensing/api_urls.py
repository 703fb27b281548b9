from django.urls import path

from licensing.api import LicenseVerify, TierList
from licensing.delivery_api import LicenseList, VerifyFile

# Tiers and public verification by code; the licensee's own list and the file check beside them.
urlpatterns = [
    path("tiers/", TierList.as_view(), name="tier-list"),
    path("licenses/<str:code>/verify/", LicenseVerify.as_view(), name="license-verify"),
    path("licenses/", LicenseList.as_view(), name="license-list"),
    path("licenses/verify-file/", VerifyFile.as_view(), name="license-verify-file"),
]
