"""The API documents itself: an OpenAPI schema, and a docs page served from local files only."""

import re

from tests.catalog.api_contract import SEARCH_PARAMETERS


def test_the_schema_documents_the_track_search_and_its_parameters(db, client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    search = schema["paths"]["/api/v1/tracks/"]["get"]
    assert {p["name"] for p in search["parameters"]} >= set(SEARCH_PARAMETERS)
    for path in ("/api/v1/tracks/{slug}/", "/api/v1/collections/", "/api/v1/favorites/"):
        assert path in schema["paths"]


def test_the_docs_page_loads_nothing_from_elsewhere(db, client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.findall(r"https?://", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
