"""Prompt packs: every line checked before any job is queued; errors name the line."""

from __future__ import annotations

import pytest

from generation.errors import GenerationError
from generation.packs import EXAMPLE_CSV, parse_pack


def test_it_reads_one_prompt_per_line_of_a_text_pack():
    data = b"# a comment\ncalm piano, slow\n\n  epic brass and taiko  \n"

    requests = parse_pack(name="pack.TXT", data=data)

    assert [r.prompt for r in requests] == ["calm piano, slow", "epic brass and taiko"]
    assert all(r.variations == 1 and r.params == {} for r in requests)


def test_it_reads_the_columns_of_a_csv_pack():
    requests = parse_pack(name="pack.csv", data=EXAMPLE_CSV.encode())

    assert [r.variations for r in requests] == [2, 1, 3]
    assert requests[0].params == {"duration": "45", "bpm": 100.0, "key": "D minor"}
    assert requests[1].params == {"duration": "60"}


def test_a_byte_order_mark_and_column_case_are_fine():
    requests = parse_pack(name="p.csv", data="\ufeffPrompt,Variations\ncalm piano,2\n".encode())

    assert requests[0].prompt == "calm piano" and requests[0].variations == 2


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("pack.pdf", b"calm piano", ".txt"),
        ("pack.txt", b"", "no prompts"),
        ("pack.txt", b"\xff\xfe\x00bad", "UTF-8"),
        ("pack.csv", b"title\nx\n", "'prompt' column"),
        ("pack.csv", b"prompt,colour\ncalm,blue\n", "Line 1: unknown column 'colour'"),
        ("pack.csv", b"prompt,bpm\ncalm,fast\n", "Line 2: bpm must be a number"),
        ("pack.csv", b"prompt,bpm\ncalm,90\nloud,900\n", "Line 3: bpm"),
        ("pack.csv", b"prompt,variations\ncalm,9\n", "Line 2: variations must be from 1 to 8"),
        ("pack.csv", b"prompt,duration\ncalm,forever\n", "Line 2: duration"),
        ("pack.csv", b"prompt,key\ncalm,H minor\n", "Line 2: key"),
        ("pack.csv", b"prompt\ncalm,extra\n", "Line 2: more cells than columns"),
        ("pack.txt", b"calm\n" + b"x" * (1024 * 1024), "at most 1024 KB"),
    ],
)
def test_it_refuses_a_bad_pack_naming_the_line(name, data, says):
    with pytest.raises(GenerationError) as refused:
        parse_pack(name=name, data=data)

    assert refused.value.field == "pack"
    assert says in refused.value.message


def test_it_refuses_more_prompts_than_the_limit(settings):
    settings.GENERATION_PACK_MAX_LINES = 2

    with pytest.raises(GenerationError, match="at most 2 prompts; this one has 3"):
        parse_pack(name="p.txt", data=b"a calm cue\nan epic cue\na sad cue\n")
