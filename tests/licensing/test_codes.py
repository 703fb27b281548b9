"""licensing/codes.py: unguessable codes in one unambiguous spelling, and reading them as people type them."""

from __future__ import annotations

import re

import pytest

from licensing import codes

CODE = re.compile(r"LIC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def test_it_draws_codes_in_the_lic_form_without_ambiguous_characters():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(CODE.fullmatch(code) for code in drawn)
    assert not set("".join(code.removeprefix("LIC-") for code in drawn)) & set("01OI")


def test_its_alphabet_has_32_characters_and_no_lookalikes():
    assert len(set(codes.ALPHABET)) == 32
    assert not set(codes.ALPHABET) & set("01OI")


@pytest.mark.parametrize(
    "typed",
    ["LIC-7K2M-9QXD-4HTV", "lic-7k2m-9qxd-4htv", " LIC 7K2M 9QXD 4HTV ", "LIC7K2M9QXD4HTV", "7K2M-9QXD-4HTV"],
)
def test_it_reads_a_code_however_it_is_typed(typed):
    assert codes.normalize(typed) == "LIC-7K2M-9QXD-4HTV"


@pytest.mark.parametrize(
    "typed",
    ["", "LIC-7K2M-9QXD", "LIC-7K2M-9QXD-4HTV-2222", "LIC-0K2M-9QXD-4HTV", "LIC-7K2M-9QXD-4HT!", None],
)
def test_it_refuses_what_cannot_be_a_code(typed):
    assert codes.normalize(typed) is None
