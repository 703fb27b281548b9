"""Drum and hand-percussion grooves as data: one lane per General MIDI key, one character per step.

Characters: X accent, x normal, o soft, g ghost, . rest. In 4/4 and 3/4 a step is a sixteenth
(0.25 beat); in 6/8 the beat is the eighth note and a step is a sixteenth (0.5 beat). A lane plays
when the section's energy lies in [min_energy, max_energy). A lane twice the bar's length spans two
bars. GM keys: 36 kick, 37 side stick, 38 snare, 39 clap, 41/43/45/47/50 toms, 42 closed hat,
44 pedal hat, 46 open hat, 49 crash, 51 ride, 54 tambourine, 56 cowbell, 60/61 bongos,
62/63/64 congas, 70 shaker, 75 claves.
"""

from __future__ import annotations

Lane = tuple  # (key, pattern, min_energy[, max_energy])

VELOCITY = {"X": 118, "x": 96, "o": 72, "g": 42}

FAMILY_FEEL = {
    "pop": "straight",
    "rock": "straight",
    "folk": "straight",
    "cinematic": "straight",
    "world": "world",
    "jazz": "swing",
    "brush": "swing",
    "boombap": "swing",
    "house": "electronic",
    "synthwave": "electronic",
    "trap": "electronic",
    "ambient": "soft",
}

DRUMS_44: dict[str, tuple[tuple[Lane, ...], ...]] = {
    "pop": (
        (
            (36, "X.....x.X.......", 0.0),
            (38, "....X.......X...", 0.3),
            (39, "....x.......x...", 0.7),
            (42, "x.o.x.o.x.o.x.o.", 0.0, 0.85),
            (51, "x.o.x.o.x.o.x.o.", 0.85),
            (46, "..............o.", 0.55),
        ),
        (
            (36, "X..x..x.X.......", 0.0),
            (38, "....X.......X...", 0.3),
            (39, "....x.......x...", 0.7),
            (42, "x.x.x.x.x.x.x.x.", 0.0, 0.85),
            (51, "x.x.x.x.x.x.x.x.", 0.85),
        ),
        (
            (36, "X.......X.x.....", 0.0),
            (38, "....X.......X...", 0.3),
            (42, "x.x.x.x.x.x.x.x.", 0.0, 0.5),
            (42, "xoxoxoxoxoxoxoxo", 0.5, 0.85),
            (46, "......o.......o.", 0.7),
            (51, "x.x.x.x.x.x.x.x.", 0.85),
        ),
    ),
    "house": (
        (
            (36, "X...X...X...X...", 0.0),
            (39, "....X.......X...", 0.3),
            (42, "..x...x...x...x.", 0.15, 0.6),
            (46, "..x...x...x...x.", 0.6),
            (42, "o.g.o.g.o.g.o.g.", 0.72),
        ),
        (
            (36, "X...X...X...X...", 0.0),
            (39, "....X.......X...", 0.3),
            (42, "gox.gox.gox.gox.", 0.15),
            (46, "..o...o...o...o.", 0.7),
            (38, "...........g..g.", 0.8),
        ),
    ),
    "synthwave": (
        (
            (36, "X.......X.......", 0.0),
            (38, "....X.......X...", 0.25),
            (42, "x.x.x.x.x.x.x.x.", 0.2, 0.7),
            (42, "xgxgxgxgxgxgxgxg", 0.7),
            (39, "....x.......x...", 0.8),
        ),
        (
            (36, "X...X...X...X...", 0.0),
            (38, "....X.......X...", 0.25),
            (42, "..x...x...x...x.", 0.2),
            (42, "g.g.g.g.g.g.g.g.", 0.65),
        ),
    ),
    "rock": (
        (
            (36, "X.......X.x.....", 0.0),
            (38, "....X.......X...", 0.2),
            (42, "x.x.x.x.x.x.x.x.", 0.0, 0.8),
            (51, "x.x.x.x.x.x.x.x.", 0.8),
        ),
        (
            (36, "X..x..x.X.......", 0.0),
            (38, "....X.......X...", 0.2),
            (42, "x.o.x.o.x.o.x.o.", 0.0, 0.8),
            (46, "x.o.x.o.x.o.x.o.", 0.8),
        ),
        (
            (36, "X.x.....X.x..x..", 0.0),
            (38, "....X.......X...", 0.2),
            (42, "x.x.x.x.x.x.x.x.", 0.0, 0.8),
            (51, "x.x.x.x.x.x.x.x.", 0.8),
        ),
    ),
    "boombap": (
        (
            (36, "X.........x.....", 0.0),
            (38, "....X.......X...", 0.2),
            (42, "x.o.x.o.x.o.x.o.", 0.0),
            (37, "..........g....g", 0.6),
        ),
        (
            (36, "X......x..x.....", 0.0),
            (38, "....X.......X...", 0.2),
            (42, "x.x.x.x.x.x.x.x.", 0.0),
            (46, "..............o.", 0.6),
        ),
        (
            (36, "X.....x...x..x..", 0.0),
            (38, "....X.......X..g", 0.2),
            (42, "x.oxx.o.x.oxx.o.", 0.0),
        ),
    ),
    "trap": (
        (
            (36, "X......X..X.....", 0.0),
            (39, "........X.......", 0.25),
            (38, "....o.......o...", 0.0),
            (38, "........X.......", 0.6),
            (42, "x.o.x.o.x.o.x.o.", 0.0, 0.55),
            (42, "xgogxgogxgogxgog", 0.55),
            (46, "..............o.", 0.8),
        ),
        (
            (36, "X.....X...X..X..", 0.0),
            (39, "........X.......", 0.25),
            (38, "....o.......o...", 0.0),
            (42, "x.o.x.o.x.o.x.o.", 0.0, 0.55),
            (42, "xgogxgogxgogxgog", 0.55),
        ),
        (
            (36, "X..X......X.....", 0.0),
            (39, "........X.......", 0.25),
            (38, "....o.......o...", 0.0),
            (38, "........X.......", 0.6),
            (42, "x.o.x.o.x.o.x.o.", 0.0, 0.5),
            (42, "xgogxgogxgogxgog", 0.5),
        ),
    ),
    "jazz": (
        ((51, "x...x.x.x...x.x.", 0.0), (44, "....x.......x...", 0.0), (36, "g...g...g...g...", 0.5)),
        ((51, "x...x.x.x...x.x.", 0.0), (44, "....x.......x...", 0.0), (36, "o.........o.....", 0.4)),
    ),
    "brush": (
        (
            (38, "o.g.o.g.o.g.o.g.", 0.0),
            (38, "....o.......o...", 0.3),
            (36, "g...g...g...g...", 0.0),
            (36, "o.......o.......", 0.4),
            (44, "....x.......x...", 0.0),
        ),
    ),
    "folk": (
        (
            (36, "X.......X.......", 0.0),
            (37, "....x.......x...", 0.2),
            (42, "x.x.x.x.x.x.x.x.", 0.4),
            (54, "....x.......x...", 0.6),
        ),
        ((36, "X.....x.X.......", 0.0), (38, "....o.......o...", 0.2), (42, "x.o.x.o.x.o.x.o.", 0.4)),
    ),
    "cinematic": (
        (
            (36, "X.......X.......", 0.45),
            (41, "X.o.x.o.X.o.x.o.", 0.65),
            (45, "........x.......", 0.5),
            (38, "........X.......", 0.85),
        ),
        ((36, "X.....X.X.......", 0.45), (43, "X.x.x.xxX.x.x.xx", 0.7), (38, "....X.......X...", 0.85)),
    ),
    "world": (
        ((36, "X.....x.....x...", 0.0), (37, "....x.......x...", 0.35), (42, "x.x.x.x.x.x.x.x.", 0.5)),
        ((36, "X..x..x.X..x..x.", 0.0), (37, "..x...x...x...x.", 0.35), (42, "x.x.x.x.x.x.x.x.", 0.55)),
    ),
    "ambient": (
        ((36, "x...............", 0.45), (42, "....o.......o...", 0.35), (37, "........o.......", 0.6)),
    ),
}

DRUMS_34: dict[str, tuple[Lane, ...]] = {
    "straight": (
        (36, "X...........", 0.0),
        (38, "....o...o...", 0.3),
        (42, "x.x.x.x.x.x.", 0.0, 0.8),
        (51, "x.x.x.x.x.x.", 0.8),
    ),
    "swing": ((51, "x...x.x.x...", 0.0), (44, "....x...x...", 0.0), (36, "g...........", 0.5)),
    "electronic": ((36, "X.......X...", 0.0), (39, "....X.......", 0.3), (42, "..x...x...x.", 0.0)),
    "soft": ((36, "o...........", 0.4), (42, "....o...o...", 0.3)),
    "world": ((36, "X.....x.....", 0.0), (37, "....x...x...", 0.35), (42, "x.x.x.x.x.x.", 0.5)),
}

DRUMS_68: dict[str, tuple[Lane, ...]] = {
    "straight": (
        (36, "X.....x.....", 0.0),
        (38, "......X.....", 0.3),
        (42, "x.x.x.x.x.x.", 0.0, 0.85),
        (42, "xoxoxoxoxoxo", 0.85),
    ),
    "swing": ((36, "o.....o.....", 0.4), (38, "g.g.g.g.g.g.", 0.0), (44, "......x.....", 0.0)),
    "electronic": ((36, "X.....X.....", 0.0), (39, "......X.....", 0.3), (42, "x.x.x.x.x.x.", 0.0)),
    "soft": ((36, "o...........", 0.4), (42, "x.o.o.x.o.o.", 0.3)),
    "world": (
        (36, "X.....x.....", 0.0),
        (56, "x...x...x.x...x...x...x.", 0.3),
        (42, "x.o.o.x.o.o.", 0.5),
    ),
}

PERCUSSION_44: dict[str, tuple[Lane, ...]] = {
    "shaker": ((70, "xgogxgogxgogxgog", 0.3), (54, "....x.......x...", 0.55)),
    "soft": ((70, "o.g.o.g.o.g.o.g.", 0.3),),
    "folk": ((70, "x.o.x.o.x.o.x.o.", 0.2), (54, "....x.......x...", 0.45), (64, "x.......x.......", 0.3)),
    "world": (
        (64, "x.......o.......", 0.0),
        (62, "..g...g...g...g.", 0.15),
        (63, "......x.......x.", 0.15),
        (60, "x.o.x.o.x.o.x.o.", 0.45),
        (61, "..x...x...x...x.", 0.45),
        (70, "xgogxgogxgogxgog", 0.3),
        (75, "x..x..x...x.x...x..x..x...x.x...", 0.6),
    ),
}

PERCUSSION_34: dict[str, tuple[Lane, ...]] = {
    "shaker": ((70, "x.o.x.o.x.o.", 0.3), (54, "....x...x...", 0.55)),
    "soft": ((70, "o.g.o.g.o.g.", 0.3),),
    "folk": ((70, "x.o.x.o.x.o.", 0.2), (54, "....x...x...", 0.45), (64, "x...........", 0.3)),
    "world": (
        (64, "x...........", 0.0),
        (63, "....x...x...", 0.15),
        (60, "x.o.x.o.x.o.", 0.45),
        (70, "xgogxgogxgog", 0.3),
    ),
}

PERCUSSION_68: dict[str, tuple[Lane, ...]] = {
    "shaker": ((70, "x.o.o.x.o.o.", 0.3), (54, "......x.....", 0.55)),
    "soft": ((70, "o.g.g.o.g.g.", 0.3),),
    "folk": ((70, "x.o.o.x.o.o.", 0.2), (54, "......x.....", 0.45), (64, "x.....x.....", 0.3)),
    "world": (
        (64, "x.....o.....", 0.0),
        (63, "....x.....x.", 0.15),
        (60, "x.o.x.o.x.o.", 0.45),
        (56, "x...x...x.x...x...x...x.", 0.3),
        (70, "xoxoxoxoxoxo", 0.55),
    ),
}


def drum_lanes(family: str, beats_per_bar: int, variant: int) -> tuple[Lane, ...]:
    """The lanes of a drum family in a meter; `variant` picks among the family's 4/4 grooves."""
    feel = FAMILY_FEEL.get(family, "straight")
    if beats_per_bar == 3:
        return DRUMS_34[feel]
    if beats_per_bar == 6:
        return DRUMS_68[feel]
    variants = DRUMS_44.get(family, DRUMS_44["pop"])
    return variants[variant % len(variants)]


def percussion_lanes(family: str, beats_per_bar: int) -> tuple[Lane, ...]:
    """The hand-percussion lanes of a family in a meter."""
    table = {3: PERCUSSION_34, 6: PERCUSSION_68}.get(beats_per_bar, PERCUSSION_44)
    return table.get(family, table["shaker"])


def step_beats(beats_per_bar: int) -> float:
    """Beats per pattern step: a sixteenth note."""
    return 0.5 if beats_per_bar == 6 else 0.25


def lane_events(
    lane: Lane, bar_in_phrase: int, energy: float, beats_per_bar: int
) -> list[tuple[float, int, int]]:
    """(offset, key, velocity) of one lane in one bar, or nothing when the energy is out of its range."""
    key, pattern, low = lane[0], lane[1], lane[2]
    high = lane[3] if len(lane) > 3 else 2.0
    if not low <= energy < high:
        return []
    step = step_beats(beats_per_bar)
    per_bar = round(beats_per_bar / step)
    span = max(1, len(pattern) // per_bar)
    first = (bar_in_phrase % span) * per_bar
    scale = 0.72 + 0.3 * energy
    return [
        (i * step, key, max(1, min(127, round(VELOCITY[c] * scale))))
        for i, c in enumerate(pattern[first : first + per_bar])
        if c in VELOCITY
    ]
