"""Cases pages: the list, the case page and opening a case, through the access policy."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.cases.models import Case, CaseNote, CaseSubject
from safetyhub.config import get_settings
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from tests.cases.helpers import Partnership, audit_events, case_table_counts, summary
from tests.conftest import PageClient
from tests.factories import make_agreement, make_case, make_incident_row, make_person_record_row

Clients = Callable[..., PageClient]


def _note(session: Session, case: Case, org_id: object, text: str,
          sensitivity: Sensitivity = Sensitivity.standard) -> CaseNote:
    note = CaseNote(case_id=case.id, organisation_id=org_id, text=text,
                    sensitivity=sensitivity.value)
    session.add(note)
    session.flush()
    return note


def test_case_list_shows_the_cases_the_user_may_see(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    shared = make_case(session, world.police, members=[world.council], title="Elm Court noise")
    make_case(session, world.police, title="Police-only case", status="closed")
    police = page_client(world.police_user)
    page = police.get("/cases")
    assert page.status_code == 200
    assert "Elm Court noise" in page.text and "Police-only case" in page.text
    assert "2 cases" in page.text
    assert f'href="/cases/{shared.id}"' in page.text
    assert 'href="/cases/new"' in page.text

    council = page_client(world.council_user).get("/cases")
    assert "Elm Court noise" in council.text and "Police-only case" not in council.text
    assert "1 case" in council.text


def test_third_agency_sees_no_case_in_the_list_and_gets_404_on_the_page(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council], title="Elm Court noise")
    housing = page_client(world.housing_user, Purpose.safeguarding)
    listing = housing.get("/cases")
    assert "Elm Court noise" not in listing.text
    assert "0 cases" in listing.text
    page = housing.get(f"/cases/{case.id}")
    assert page.status_code == 404
    assert "Elm Court noise" not in page.text
    assert housing.get(f"/cases/{case.id}/close").status_code == 404
    assert housing.get("/cases/not-a-uuid").status_code == 404


def test_case_list_filters_by_status_and_answers_htmx_with_the_results_only(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    make_case(session, world.police, title="Open one")
    make_case(session, world.police, title="Closed one", status="closed")
    police = page_client(world.police_user)
    page = police.get("/cases", params={"status": "closed"})
    assert "Closed one" in page.text and "Open one" not in page.text
    fragment = police.get("/cases", params={"status": "open"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'id="case-results"' in fragment.text
    assert "Open one" in fragment.text and "Closed one" not in fragment.text
    restore = police.get("/cases", headers={"HX-Request": "true",
                                            "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_case_list_paginates_visible_cases(
    page_client: Clients, session: Session, world: Partnership, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        make_case(session, world.police, title=f"Case number {n}")
    make_case(session, world.housing, title="Housing case")
    monkeypatch.setenv("SAFETYHUB_PAGE_SIZE_DEFAULT", "2")
    get_settings.cache_clear()
    police = page_client(world.police_user)
    first = police.get("/cases")
    assert "3 cases" in first.text
    assert 'href="/cases?page=2"' in first.text
    second = police.get("/cases?page=2")
    assert len(re.findall(r'href="/cases/[0-9a-f-]{36}"', second.text)) == 1
    assert "Housing case" not in first.text + second.text


def test_case_page_shows_what_the_lead_may_see_and_change(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    record = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    incident = make_incident_row(session, world.police)
    case = make_case(session, world.police, members=[world.council], subjects=[record],
                     incidents=[incident], risk_level="high")
    _note(session, case, world.police.id, "Spoke to the neighbours.")
    page = page_client(world.police_user).get(f"/cases/{case.id}")
    assert page.status_code == 200
    text = page.text
    assert "Noise and threats at Elm Court" in text
    assert "Guildford Borough Council" in text
    assert f'href="/people/{record.id}"' in text and "Jordan Taylor" in text
    assert f'href="/incidents/{incident.id}"' in text
    assert "Spoke to the neighbours." in text
    assert f'action="/cases/{case.id}/actions"' in text
    assert f'hx-post="/cases/{case.id}/actions"' in text
    assert f'action="/cases/{case.id}/notes"' in text
    assert f'action="/cases/{case.id}/members"' in text
    assert "Elm Housing Association" in text  # offered as a new member
    assert f'href="/cases/{case.id}/close"' in text
    assert "Case opened by Surrey Police" in text  # the timeline
    assert "purpose" in text.lower()


def test_member_sees_subjects_of_others_only_as_a_count_without_a_purpose(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    record = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    case = make_case(session, world.police, members=[world.council], subjects=[record])
    page = page_client(world.council_user).get(f"/cases/{case.id}")
    assert page.status_code == 200
    assert "Jordan" not in page.text
    assert "1 other subject recorded by another agency." in page.text
    with_purpose = page_client(world.council_user, Purpose.safeguarding).get(f"/cases/{case.id}")
    assert "Jordan Taylor" in with_purpose.text
    reads = [e for e in audit_events(session, "read") if e.object_type == "person_record"]
    assert [(str(e.object_id), e.purpose) for e in reads] == [(str(record.id), "safeguarding")]


def test_member_does_not_see_another_agencys_special_category_note_without_an_agreement(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    _note(session, case, world.police.id, "Standard police note.")
    _note(session, case, world.police.id, "Mental-health history detail.",
          Sensitivity.special_category)
    council = page_client(world.council_user, Purpose.safeguarding)
    page = council.get(f"/cases/{case.id}")
    assert "Standard police note." in page.text
    assert "Mental-health history detail." not in page.text
    make_agreement(session, [world.police, world.council],
                   categories=[DataCategory.case_notes, DataCategory.special_category])
    page = council.get(f"/cases/{case.id}")
    assert "Mental-health history detail." in page.text


def test_reader_through_an_agreement_sees_no_change_forms_and_posts_are_refused(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, title="Shared by agreement")
    make_agreement(session, [world.police, world.housing], categories=[DataCategory.case_notes])
    housing = page_client(world.housing_user, Purpose.safeguarding)
    page = housing.get(f"/cases/{case.id}")
    assert page.status_code == 200 and "Shared by agreement" in page.text
    assert "/actions" not in page.text and "/notes\"" not in page.text
    assert "/close" not in page.text and "/members" not in page.text
    before = case_table_counts(session)
    token = housing.csrf_token
    for path, data in [
        (f"/cases/{case.id}/actions", {"description": "x", "organisation_id": str(world.housing.id),
                                      "due_day": "1", "due_month": "1", "due_year": "2099"}),
        (f"/cases/{case.id}/notes", {"text": "x", "sensitivity": "standard"}),
        (f"/cases/{case.id}/members", {"organisation_id": str(world.housing.id)}),
        (f"/cases/{case.id}/close", {"outcome": "x", "confirm": "yes"}),
    ]:
        response = housing.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 403, path
    assert housing.get(f"/cases/{case.id}/close").status_code == 403
    # A read by agreement is a disclosure; refused changes wrote nothing else.
    assert case_table_counts(session)[:-1] == before[:-1]
    assert not [e for e in audit_events(session) if e.action != "read"]


def test_open_a_case_about_a_person_in_three_steps(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    record = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    other = make_person_record_row(session, world.police, given_name="Casey",
                                   family_name="Taylor")
    police = page_client(world.police_user)
    start = police.get(f"/cases/new?person_record_id={record.id}")
    assert start.status_code == 200 and "Jordan Taylor" in start.text
    assert f'name="subject" value="{record.id}"' in start.text
    answers = {"csrf_token": police.csrf_token, "title": "Elm Court", "kind": "asb",
               "risk_level": "medium", "subject": [str(record.id)]}
    subjects = police.post("/cases/new", data={**answers, "step": "details"})
    assert subjects.status_code == 200 and "Who is the case about?" in subjects.text
    found = police.post("/cases/new", data={**answers, "step": "subjects", "action": "search",
                                            "q": "taylor"})
    assert "Casey Taylor" in found.text
    answers["subject"] = [str(record.id), str(other.id)]
    check = police.post("/cases/new", data={**answers, "step": "subjects",
                                            "action": "continue"})
    assert "Check your answers" in check.text and "Casey Taylor" in check.text
    assert case_table_counts(session)[0] == 0  # nothing stored before confirming
    opened = police.post("/cases", data=answers, follow_redirects=False)
    assert opened.status_code == 303
    case = session.scalars(select(Case)).one()
    assert opened.headers["location"] == f"/cases/{case.id}?done=opened"
    assert case.lead_organisation_id == world.police.id and case.risk_level == "medium"
    subjects_saved = set(session.scalars(select(CaseSubject.person_record_id)))
    assert subjects_saved == {record.id, other.id}
    [event] = audit_events(session, "open_case")
    assert summary(event)["after"]["status"] == "open"
    shown = police.get(opened.headers["location"])
    assert "Case opened" in shown.text and "govuk-notification-banner--success" in shown.text


def test_opening_a_case_with_missing_answers_shows_errors_and_writes_nothing(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    police = page_client(world.police_user)
    before = case_table_counts(session)
    for path in ("/cases/new", "/cases"):
        response = police.post(path, data={"csrf_token": police.csrf_token, "step": "details",
                                           "title": "  ", "kind": "nonsense"})
        assert response.status_code == 422
        assert "govuk-error-summary" in response.text
        assert "<title>Error:" in response.text
        assert 'href="#title"' in response.text and 'href="#risk_level"' in response.text
    assert case_table_counts(session) == before


def test_opening_a_case_about_an_invisible_person_is_404(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    hidden = make_person_record_row(session, world.housing)
    police = page_client(world.police_user, Purpose.safeguarding)
    assert police.get(f"/cases/new?person_record_id={hidden.id}").status_code == 404
    before = case_table_counts(session)
    response = police.post("/cases", data={"csrf_token": police.csrf_token, "title": "T",
                                           "kind": "asb", "risk_level": "high",
                                           "subject": [str(hidden.id)]})
    assert response.status_code == 404
    assert case_table_counts(session) == before


def test_only_case_workers_open_cases(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    analyst = page_client(world.police_analyst)
    assert analyst.get("/cases/new").status_code == 403
    assert 'href="/cases/new"' not in analyst.get("/cases").text


def test_case_page_in_german(page_client: Clients, session: Session, world: Partnership) -> None:
    case = make_case(session, world.police)
    police = page_client(world.police_user)
    police.cookies.set("safetyhub_lang", "de")
    page = police.get(f"/cases/{case.id}")
    assert page.status_code == 200
    assert '<html lang="de"' in page.text
    assert "Maßnahmen" in page.text and "Verlauf" in page.text
    assert "Fall schließen" in page.text
