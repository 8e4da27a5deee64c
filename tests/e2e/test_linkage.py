"""An analyst reviews possible matches in the browser: side by side, evidence chart, keyboard."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.app import create_app
from safetyhub.auth.models import Role
from safetyhub.linkage import model
from safetyhub.linkage.batch import evidence_json
from safetyhub.linkage.identities import identity_of
from safetyhub.linkage.models import MatchCandidate
from safetyhub.linkage.normalise import prepared
from safetyhub.linkage.records import ALL_FIELDS
from safetyhub.organisations.models import OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.sharing.vocabulary import Purpose
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_agreement, make_org, make_user
from tests.linkage.population import population, prepared_rows


@pytest.fixture(scope="module")
def linkage_server(e2e_sessions: sessionmaker[Session]) -> Iterator[str]:
    """The live app (a server of its own: this module commits a trained model)."""
    app = create_app(factory=e2e_sessions)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the linkage server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


PAIRS = [
    ({"given_name": "Katherine", "family_name": "Ashworth", "date_of_birth": date(1979, 4, 2),
      "postcode": "GU1 3AA", "address": "4 Heron Close, Guildford"},
     {"given_name": "Kate", "family_name": "Ashworth", "date_of_birth": date(1979, 2, 4),
      "postcode": "GU2 9ZZ", "address": "Flat 2, Mill Lane, Guildford"}),
    ({"given_name": "Daniel", "family_name": "Mensah", "date_of_birth": date(1990, 7, 19),
      "postcode": "GU4 7PL", "address": "18 Church Lane, Guildford"},
     {"given_name": "Dan", "family_name": "Mensah", "date_of_birth": None,
      "postcode": "GU4 7PL", "address": "18 Church Ln, Guildford"}),
]


def _arrange(sessions: sessionmaker[Session], tag: str) -> tuple[str, list[uuid.UUID]]:
    settings = model.train([model.records_table(prepared_rows(population()))],
                           fields=set(ALL_FIELDS), u_pairs=100_000)
    with sessions() as session:
        police = make_org(session, f"Surrey Police {tag}", kind=OrganisationKind.police)
        council = make_org(session, f"Waverley Borough Council {tag}",
                           kind=OrganisationKind.council)
        make_agreement(session, [police, council], purposes=[Purpose.safeguarding])
        analyst = make_user(session, police, Role.analyst, email=f"analyst.{tag}@police.example")
        analyst.full_name = "Nadia Osei"
        candidates = []
        for left_fields, right_fields in PAIRS:
            records = [PersonRecord(organisation_id=org.id, sensitivity="standard", **fields)
                       for org, fields in ((police, left_fields), (council, right_fields))]
            session.add_all(records)
            session.flush()
            rows = [prepared(str(r.id), f) for r, f in zip(records, (left_fields, right_fields),
                                                            strict=True)]
            frequencies = {c: {str(r[c]): 0.001 for r in rows if r[c]} for c in model.TF_COLUMNS}
            scored = model.scored_pairs(model.predict_between(
                model.records_table(rows[:1]), model.records_table(rows[1:]), settings,
                threshold=0.0, tf_tables=model.tf_lookup_tables(frequencies)), settings)[0]
            left, right = sorted((records[0].id, records[1].id), key=str)
            candidate = MatchCandidate(
                left_record_id=left, right_record_id=right,
                match_probability=min(max(scored.match_probability, 0.61), 0.94),
                match_weight=scored.match_weight, evidence_json=evidence_json(scored),
                status="pending")
            session.add(candidate)
            session.flush()
            candidates.append(candidate.id)
        session.commit()
        return analyst.email, candidates


def test_analyst_reviews_pairs_with_buttons_and_keyboard(
    linkage_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    tag = uuid.uuid4().hex[:6]
    email, candidates = _arrange(e2e_sessions, tag)
    base = linkage_server
    page = new_page()
    sign_in(page, base, email, PASSWORD)
    page.goto(f"{base}/linkage/review")
    # Without a purpose the council's records stay hidden: the pairs are only counted.
    assert "2 pairs need a reviewer from another agency" in page.locator(
        "#linkage-hidden").inner_text()
    assert_accessible(page)
    screenshot(page, "linkage-review-no-purpose")

    page.select_option("#purpose", "safeguarding")
    page.click("text=Set purpose")
    page.wait_for_url(f"{base}/linkage/review")
    assert "Are these the same person?" in page.locator("h2").all_inner_texts()
    table = page.locator("#linkage-pair").inner_text()
    assert f"Waverley Borough Council {tag}" in table
    assert page.locator("svg.sh-evidence-chart rect").count() >= 3
    assert page.locator("#linkage-shortcuts").is_visible()  # the script ran
    assert_accessible(page)
    screenshot(page, "linkage-review-pair")

    page.click("button:has-text('Not the same person')")
    page.wait_for_url(f"{base}/linkage/review?done=non_match")
    assert "different people" in page.locator(".govuk-notification-banner").inner_text()
    # The second pair, decided from the keyboard.
    page.locator("h1").click()
    page.keyboard.press("m")
    page.wait_for_url(f"{base}/linkage/review?done=match")
    assert "There are no pairs for you to review." in page.content()
    assert_accessible(page)
    screenshot(page, "linkage-review-done")

    with e2e_sessions() as session:
        decided = [session.get(MatchCandidate, c) for c in candidates]
        assert {c.status for c in decided if c is not None} == {"decided"}
        identities = [(identity_of(session, c.left_record_id),
                       identity_of(session, c.right_record_id)) for c in decided if c is not None]
        assert sorted(a is not None and a == b for a, b in identities) == [False, True]


def test_the_review_page_in_german(
    linkage_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        org = make_org(session, f"Surrey Police {tag}", kind=OrganisationKind.police)
        analyst = make_user(session, org, Role.analyst, email=f"analyst.de.{tag}@police.example")
        session.commit()
    page = new_page("de-DE")
    sign_in(page, linkage_server, analyst.email, PASSWORD)
    page.goto(f"{linkage_server}/language/de?next=/linkage/review")
    assert page.locator("h1").inner_text() == "Mögliche Übereinstimmungen prüfen"
    assert_accessible(page)
    screenshot(page, "linkage-review-de")
