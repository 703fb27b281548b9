"""The OpenAPI schema documents the generation API: its paths, what each takes and what it answers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

JOBS = "/api/v1/generation/jobs/"


@pytest.fixture
def schema(db, client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_it_lists_every_generation_path_and_method(schema):
    paths = schema["paths"]

    assert set(paths[JOBS]) >= {"get", "post"}
    assert "get" in paths[JOBS + "{id}/"]
    assert "post" in paths[JOBS + "{id}/cancel/"]
    assert "post" in paths[JOBS + "{id}/retry/"]
    assert "post" in paths["/api/v1/tracks/{slug}/edits/"]


def test_it_documents_the_job_request_and_the_refusals(schema):
    create = schema["paths"][JOBS]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][body]["properties"]

    assert set(fields) == {
        "prompt",
        "duration",
        "bpm",
        "key",
        "mode",
        "energy",
        "hits",
        "instruments",
        "variations",
        "seed",
        "title",
    }
    assert fields["variations"]["minimum"] == 1 and fields["variations"]["maximum"] == 8
    assert {"201", "400", "401", "403", "429"} <= set(create["responses"])
    assert {"200", "409", "429", "404"} <= set(schema["paths"][JOBS + "{id}/retry/"]["post"]["responses"])
    assert {"201", "400", "404", "429"} <= set(
        schema["paths"]["/api/v1/tracks/{slug}/edits/"]["post"]["responses"]
    )


def test_the_job_shows_its_variations_error_and_preview(schema):
    job = schema["components"]["schemas"]["Job"]["properties"]

    assert {
        "status",
        "stage",
        "stage_label",
        "progress",
        "variations",
        "error",
        "timings",
        "preview_url",
    } <= set(job)
    assert "GenerationJobStatusEnum" in str(job["status"])


def test_the_schema_validates(db, tmp_path):
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/generation/jobs/" in (tmp_path / "schema.yml").read_text()
