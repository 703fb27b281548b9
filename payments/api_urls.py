from rest_framework.routers import DefaultRouter

from payments.api import OrderViewSet
from payments.payouts_api import PayoutViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("orders", OrderViewSet, basename="order")
router.register("payouts", PayoutViewSet, basename="payout")

urlpatterns = router.urls
