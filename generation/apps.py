from django.apps import AppConfig


class GenerationConfig(AppConfig):
    name = "generation"

    def ready(self) -> None:
        from catalog import extensions
        from generation import pages

        # "Fit this cue to your video" on the page of every published track the engine made.
        extensions.track_panel("generation/_edit_panel.html", slot="main", context=pages.edit_panel)
