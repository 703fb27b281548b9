"""Finding tracks: validated search parameters, facet filters in SQL, ranking by meaning in memory."""
