"""The public contract of the track search endpoint, as the API documentation promises it."""

SEARCH_PARAMETERS = (
    "q",
    "genre",
    "mood",
    "instrument",
    "bpm_min",
    "bpm_max",
    "key",
    "mode",
    "duration_min",
    "duration_max",
    "energy",
    "creator",
    "ordering",
    "page",
    "page_size",
)
