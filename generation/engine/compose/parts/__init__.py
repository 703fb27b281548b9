"""The parts of a cue, each written bar by bar (the melody section by section) in beats."""
