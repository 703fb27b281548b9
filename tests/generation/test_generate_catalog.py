"""The operators' command renders a pack into a creator's drafts, with a progress bar."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Track
from generation.models import GenerationJob


@pytest.mark.django_db
def test_it_renders_every_prompt_of_the_pack_into_drafts(creator, tmp_path, settings):
    settings.GENERATION_MAX_ACTIVE_JOBS = 1  # operators are not held to a creator's quota
    pack = tmp_path / "pack.csv"
    pack.write_text('prompt,duration,variations\n"calm piano, slow",5,2\nlofi beat with electric piano,5,1\n')
    out, err = io.StringIO(), io.StringIO()

    call_command("generate_catalog", str(pack), "--creator", "CREATOR@example.com", stdout=out, stderr=err)

    assert "3 draft tracks made from 2 prompts" in out.getvalue()
    assert "3/3" in err.getvalue()  # the progress bar's last state
    assert Track.objects.filter(creator=creator, status=Track.Status.DRAFT).count() == 3
    assert set(GenerationJob.objects.values_list("status", flat=True)) == {GenerationJob.Status.SUCCEEDED}


@pytest.mark.django_db
def test_it_refuses_an_unknown_creator_and_a_bad_pack(creator, tmp_path):
    pack = tmp_path / "pack.txt"
    pack.write_text("calm piano\n")
    with pytest.raises(CommandError, match="No creator has the email"):
        call_command("generate_catalog", str(pack), "--creator", "nobody@example.com")

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("generate_catalog", str(tmp_path / "missing.txt"), "--creator", "creator@example.com")

    bad = tmp_path / "bad.csv"
    bad.write_text("prompt,bpm\ncalm,900\n")
    with pytest.raises(CommandError, match="Line 2"):
        call_command("generate_catalog", str(bad), "--creator", "creator@example.com")
    assert not GenerationJob.objects.exists()
