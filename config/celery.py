"""The Celery application; tasks live in each room's tasks.py and are found automatically."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("cuemarket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# After configuration: reading sender.conf while it is being configured would configure it again, endlessly.
@app.on_after_configure.connect
def _make_queue_folders(sender: Celery, **kwargs) -> None:
    """The file-based broker of the embedded default expects its folders to exist."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)
