"""Creator uploads of tracks made elsewhere: the sandboxed probe, its analysis, and stems zips.

Nothing here imports Django, so the probe starts quickly in its child process; the service that keeps
an accepted upload is catalog.services.track_create_from_upload.
"""
