from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self) -> None:
        from catalog import extensions
        from payments import checks  # noqa: F401  (registers the deploy checks)
        from payments.pages import license_panel

        extensions.track_panel("payments/_license_panel.html", slot="actions", context=license_panel)
