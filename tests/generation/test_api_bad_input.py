"""Every bad value sent to POST /api/v1/generation/jobs/ gets a 400 naming its field, and nothing is
queued or written."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from generation import services
from generation.models import GenerationJob, JobVariation

URL = "/api/v1/generation/jobs/"
PROMPT = "calm piano, slow and reflective"
MISSING = object()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(creator) -> APIClient:
    client = APIClient()
    client.force_authenticate(creator.user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "   "}, "prompt"),
        ({"prompt": "x" * 501}, "prompt"),
        ({"prompt": None}, "prompt"),
        ({"prompt": MISSING}, "prompt"),
        ({"duration": 0}, "duration"),
        ({"duration": 601}, "duration"),
        ({"duration": "abc"}, "duration"),
        ({"duration": "nan"}, "duration"),
        ({"bpm": 10}, "bpm"),
        ({"bpm": "fast"}, "bpm"),
        ({"key": "H"}, "key"),
        ({"key": "D minor", "mode": "major"}, "mode"),
        ({"mode": "dorian"}, "mode"),
        ({"energy": "loud"}, "energy"),
        ({"hits": [0.5]}, "hits"),
        ({"hits": [29.5]}, "hits"),
        ({"hits": ["soon"]}, "hits"),
        ({"hits": 12}, "hits"),
        ({"instruments": ["kazoo"]}, "instruments"),
        ({"instruments": "piano"}, "instruments"),
        ({"variations": 0}, "variations"),
        ({"variations": 9}, "variations"),
        ({"variations": "x"}, "variations"),
        ({"variations": 2.5}, "variations"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**32}, "seed"),
        ({"seed": "lucky"}, "seed"),
        ({"title": "t" * 121}, "title"),
        ({"bmp": 92}, "bmp"),  # a misspelt parameter is refused, not ignored
    ],
)
def test_it_refuses_a_bad_value_naming_its_field(api, body, field, django_capture_on_commit_callbacks):
    body = {
        name: value
        for name, value in {"prompt": PROMPT, "duration": 30, **body}.items()
        if value is not MISSING
    }

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, body, format="json")

    assert response.status_code == 400, response.json()
    errors = response.json()
    assert list(errors) == [field]
    assert errors[field] and all(isinstance(m, str) and m for m in errors[field])
    assert callbacks == []
    assert not GenerationJob.objects.exists() and not JobVariation.objects.exists()


@pytest.mark.django_db
def test_the_engines_own_words_reach_the_client(api):
    response = api.post(URL, {"prompt": PROMPT, "bpm": 10}, format="json")

    assert response.json() == {"bpm": ["Tempo must be between 40 and 220 BPM, got 10"]}


@pytest.mark.django_db
def test_a_misspelt_field_is_named_with_the_fields_there_are(api):
    response = api.post(URL, {"prompt": PROMPT, "bmp": 92}, format="json")

    assert "duration" in response.json()["bmp"][0] and "bpm" in response.json()["bmp"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("body", [[PROMPT], PROMPT, 5])
def test_a_body_that_is_not_an_object_is_refused(api, body):
    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_refused(api):
    response = api.post(URL, "{prompt:", content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.django_db
def test_a_form_encoded_body_works_too(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, {"prompt": PROMPT, "duration": "6", "hits": ["2", "4"], "variations": "2"})

    assert response.status_code == 201, response.json()
    assert response.json()["parameters"] == {"duration": 6.0, "hits": [2.0, 4.0]}
    assert response.json()["audio_seconds"] == 12.0 and len(callbacks) == 1


@pytest.mark.django_db
def test_empty_optional_values_leave_the_choice_to_the_prompt(api, django_capture_on_commit_callbacks):
    body = {"prompt": PROMPT, "duration": None, "bpm": None, "key": "", "hits": [], "instruments": None}
    with django_capture_on_commit_callbacks():
        response = api.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["parameters"] == {"duration": services.DEFAULT_DURATION_S}
