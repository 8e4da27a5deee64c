"""The app starts, serves its OpenAPI and answers errors as problem JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import headers_for, make_org, make_user


def test_openapi_is_served(client: TestClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "SafetyHub"


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_me_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/me").status_code == 401


def test_me_answers_the_user(client: TestClient, session: Session) -> None:
    org = make_org(session, "Surrey Police")
    user = make_user(session, org)
    response = client.get("/api/me", headers=headers_for(session, user))
    assert response.status_code == 200
    assert response.json()["organisation_name"] == "Surrey Police"


def test_api_docs_use_the_vendored_swagger_ui(client: TestClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in response.text
    assert "cdn" not in response.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
