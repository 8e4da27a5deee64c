"""The public forms are throttled per client and overall, and keep no client address."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.casereview.models import CaseReview, PublicSubmission
from safetyhub.config import get_settings
from tests.casereview.conftest import application


def _count(session: Session, model: type[CaseReview] | type[PublicSubmission]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def limit_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETYHUB_PUBLIC_FORM_MAX_PER_CLIENT", "2")
    get_settings.cache_clear()


def test_a_third_application_from_one_client_within_the_hour_is_refused(
    client: TestClient, session: Session, limit_of_two: None
) -> None:
    for _ in range(2):
        assert client.post("/api/asb-case-reviews", json=application()).status_code == 201
    refused = client.post("/api/asb-case-reviews", json=application())
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3600"
    assert refused.json()["title"] == "Too many requests"
    assert _count(session, CaseReview) == 2
    # Only a digest of the address is kept, never the address itself.
    keys = session.scalars(select(PublicSubmission.client_key)).all()
    assert len(keys) == 2 and all("testclient" not in key and len(key) == 64 for key in keys)


def test_guessing_appeal_references_is_throttled(
    client: TestClient, session: Session, limit_of_two: None
) -> None:
    guess = {"reference": "CR-AAAAAAAA", "victim_postcode": "GU1 1AA", "grounds": "I disagree."}
    answers = [client.post("/api/asb-case-reviews/appeals", json=guess).status_code
               for _ in range(3)]
    assert answers == [404, 404, 429]


def test_everyone_together_is_throttled_too(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETYHUB_PUBLIC_FORM_MAX_TOTAL", "1")
    get_settings.cache_clear()
    assert client.post("/api/asb-case-reviews", json=application()).status_code == 201
    other = TestClient(client.app, client=("192.0.2.7", 50000))
    assert other.post("/api/asb-case-reviews", json=application()).status_code == 429
    assert _count(session, CaseReview) == 1


def test_the_public_page_answers_a_throttled_appeal_with_a_page(
    client: TestClient, session: Session, limit_of_two: None
) -> None:
    page = client.get("/asb-case-review/appeal")
    token = client.cookies.get("safetyhub_public_csrf") or ""
    form = {"csrf_token": token, "reference": "CR-AAAAAAAA", "postcode": "GU1 1AA",
            "grounds": "I disagree."}
    codes = [client.post("/asb-case-review/appeal", data=form).status_code for _ in range(3)]
    assert page.status_code == 200 and codes == [422, 422, 429]
    last = client.post("/asb-case-review/appeal", data=form)
    assert "Too many forms have been sent from here recently" in last.text
    assert "Traceback" not in last.text
