"""Problems pages: list, open, the four SARA sections and their forms, through the policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.incidents.models import PartyRole
from safetyhub.partnership.problems import reads, service
from safetyhub.partnership.problems.models import (
    Problem,
    ProblemAction,
    ProblemIncident,
)
from safetyhub.partnership.problems.schemas import ProblemCreate, ProblemUpdate
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership, audit_events
from tests.conftest import PageClient
from tests.factories import (
    actor,
    make_incident,
    make_person_record_row,
    make_place,
    make_user,
)

Clients = Callable[..., PageClient]


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(int(session.scalar(select(func.count()).select_from(m)) or 0)
                 for m in (Problem, ProblemIncident, ProblemAction, AuditEvent))


def _problem(session: Session, world: Partnership, title: str = "Rec ground ASB") -> Problem:
    place = make_place(session, address="Rec ground, Stoke Road", postcode="GU1 1AA")
    return service.open_problem(session, actor=actor(world.police_user), details=ProblemCreate(
        title=title, place_ids=[place.id], partner_organisation_ids=[world.council.id]))


def test_open_a_problem_through_the_form(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    place = make_place(session, address="Rec ground, Stoke Road", postcode="GU1 1AA")
    police = page_client(world.police_user)
    assert 'href="/problems"' in police.get("/").text
    form = police.get("/problems/new")
    assert form.status_code == 200 and "Open a problem" in form.text
    found = police.post("/problems", data={"csrf_token": police.csrf_token, "action": "find",
                                           "place_query": "stoke", "title": "Rec ground"})
    assert found.status_code == 200 and str(place.id) in found.text
    missing = police.post("/problems", data={"csrf_token": police.csrf_token,
                                             "action": "open", "title": ""})
    assert missing.status_code == 422
    assert "Enter a short name for the problem" in missing.text
    assert "Choose at least one place, or give an area" in missing.text
    opened = police.post("/problems", follow_redirects=False, data={
        "csrf_token": police.csrf_token, "action": "open", "title": "Rec ground ASB",
        "place_ids": [str(place.id)], "categories": ["asb_nuisance", "drugs"],
        "partners": [str(world.council.id)]})
    assert opened.status_code == 303
    page = police.get(opened.headers["location"])
    assert page.status_code == 200 and "Problem opened" in page.text
    assert "Rec ground ASB" in page.text and "Guildford Borough Council" in page.text
    council = page_client(world.council_user)
    assert "Rec ground ASB" in council.get("/problems").text


def test_other_agency_gets_404_everywhere(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world, title="Confidential hotspot")
    housing = page_client(world.housing_user)
    assert "Confidential hotspot" not in housing.get("/problems").text
    for path in ("", "/analysis", "/response", "/assessment"):
        page = housing.get(f"/problems/{problem.id}{path}")
        assert page.status_code == 404 and "Confidential" not in page.text
    incident = make_incident(session, world.housing)
    before = _counts(session)
    posted = housing.post(f"/problems/{problem.id}/incidents",
                          data={"csrf_token": housing.csrf_token,
                                "incident_ids": [str(incident.id)]})
    assert posted.status_code == 404 and _counts(session) == before


def test_linking_an_invisible_incident_through_the_page_is_404(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    hidden = make_incident(session, world.housing)
    police = page_client(world.police_user)
    before = _counts(session)
    posted = police.post(f"/problems/{problem.id}/incidents",
                         data={"csrf_token": police.csrf_token, "incident_ids": [str(hidden.id)]})
    assert posted.status_code == 404 and _counts(session) == before


def test_scanning_search_link_map_and_unlink(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    place = make_place(session, address="3 Stoke Road", postcode="GU1 1AB")
    place.latitude, place.longitude = 51.24, -0.57
    nearby = make_place(session, address="5 Stoke Road")
    nearby.latitude, nearby.longitude = 51.241, -0.571
    session.flush()
    incident = make_incident(session, world.police, place=place)
    make_incident(session, world.police, place=nearby)
    police = page_client(world.police_user)
    found = police.get(f"/problems/{problem.id}", params={"postcode": "GU1 1AB"})
    assert found.status_code == 200 and f'value="{incident.id}"' in found.text
    linked = police.post(f"/problems/{problem.id}/incidents", follow_redirects=False,
                         data={"csrf_token": police.csrf_token,
                               "incident_ids": [str(incident.id)]})
    assert linked.status_code == 303
    page = police.get(f"/problems/{problem.id}")
    assert "1 linked incident you may see." in page.text
    assert 'id="scan-map"' in page.text and page.text.count("<circle") == 2
    assert "3 Stoke Road" in page.text and "5 Stoke Road" in page.text
    council = page_client(world.council_user)
    seen = council.get(f"/problems/{problem.id}").text
    assert "1 more linked incident is recorded by other agencies and not shown." in seen
    unlinked = police.post(f"/problems/{problem.id}/incidents/{incident.id}/unlink",
                           follow_redirects=False, data={"csrf_token": police.csrf_token})
    assert unlinked.status_code == 303
    assert [e.action for e in audit_events(session) if "problem" in e.action][-2:] == [
        "link_problem_incident", "unlink_problem_incident"]


def test_analysis_shows_the_triangle_and_saves_notes_escaped(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world, title="<b>Bold</b> estate")
    victim = make_person_record_row(session, world.police)
    incident = make_incident(session, world.police, parties=[(victim, PartyRole.victim)])
    service.link_incident(session, actor=actor(world.police_user), problem_id=problem.id,
                          incident_id=incident.id)
    council = page_client(world.council_user)
    saved = council.post(f"/problems/{problem.id}/analysis", follow_redirects=False, data={
        "csrf_token": council.csrf_token, "victim_notes": "<script>alert(1)</script>",
        "offender_notes": "Teenagers after school", "location_notes": "", "analysis_notes": ""})
    assert saved.status_code == 303
    police = page_client(world.police_user)
    page = police.get(f"/problems/{problem.id}/analysis")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>Bold</b>" not in page.text and "&lt;b&gt;Bold&lt;/b&gt; estate" in page.text
    assert "<b>Bold</b>" not in police.get("/problems").text
    assert "People recorded as victims: 1." in page.text and 'id="monthly-chart-title"' in page.text


def test_forms_refuse_a_forged_or_missing_csrf_token(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    incident = make_incident(session, world.police)
    police = page_client(world.police_user)
    before = _counts(session)
    posts = [
        ("/problems", {"action": "open", "title": "x", "area_district": "Guildford"}),
        (f"/problems/{problem.id}/incidents", {"incident_ids": [str(incident.id)]}),
        (f"/problems/{problem.id}/analysis", {"victim_notes": "x"}),
        (f"/problems/{problem.id}/actions", {"text": "x", "organisation_id": str(world.police.id),
                                             "due_day": "1", "due_month": "1",
                                             "due_year": "2030"}),
        (f"/problems/{problem.id}/stage", {"stage": "closed"}),
        (f"/problems/{problem.id}/assessment", {"assessment_notes": "x"}),
    ]
    for path, data in posts:
        for token in (None, "forged"):
            body = dict(data) | ({"csrf_token": token} if token else {})
            assert police.post(path, data=body).status_code == 403, path
    assert _counts(session) == before


def test_response_actions_and_stage(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    colleague = make_user(session, world.police, email="sergeant@example.org")
    police = page_client(world.police_user)
    due = london_today() + timedelta(days=30)
    added = police.post(f"/problems/{problem.id}/actions", follow_redirects=False, data={
        "csrf_token": police.csrf_token, "text": "Fix the broken street light",
        "organisation_id": str(world.council.id), "owner_id": str(world.council_user.id),
        "due_day": str(due.day), "due_month": str(due.month), "due_year": str(due.year)})
    assert added.status_code == 303, added.text
    bad = police.post(f"/problems/{problem.id}/actions", data={
        "csrf_token": police.csrf_token, "text": "", "organisation_id": ""})
    assert bad.status_code == 422 and "Enter what will be done" in bad.text
    start = london_today() - timedelta(days=7)
    moved = police.post(f"/problems/{problem.id}/stage", follow_redirects=False, data={
        "csrf_token": police.csrf_token, "stage": "response", "start_day": str(start.day),
        "start_month": str(start.month), "start_year": str(start.year), "window_days": "60",
        "owner_id": str(colleague.id)})
    assert moved.status_code == 303
    page = police.get(f"/problems/{problem.id}/response")
    assert "Fix the broken street light" in page.text and world.council_user.full_name in page.text
    session.refresh(problem)
    assert problem.owner_id == colleague.id and problem.stage == "response"
    council = page_client(world.council_user)
    assert 'action="/problems/' + str(problem.id) + '/stage"' not in council.get(
        f"/problems/{problem.id}/response").text
    refused = council.post(f"/problems/{problem.id}/stage", data={
        "csrf_token": council.csrf_token, "stage": "closed"})
    assert refused.status_code == 403


def test_assessment_page_shows_counts_verdict_and_chart(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    me = actor(world.police_user)
    start = london_today() - timedelta(days=100)
    service.update_problem(session, actor=me, problem_id=problem.id,
                           changes=ProblemUpdate(response_started_on=start))
    police = page_client(world.police_user)
    page = police.get(f"/problems/{problem.id}/assessment")
    assert page.status_code == 200
    assert "No incidents in either window" in page.text
    assert 'id="before-after-chart-title"' in page.text


def test_the_pages_speak_german(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    service.update_problem(session, actor=actor(world.police_user), problem_id=problem.id,
                           changes=ProblemUpdate(
                               response_started_on=london_today() - timedelta(days=5)))
    police = page_client(world.police_user)
    german = {"Accept-Language": "de"}
    assert "Problem eröffnen" in police.get("/problems", headers=german).text
    page = police.get(f"/problems/{problem.id}/assessment", headers=german).text
    assert "Keine Vorfälle in beiden Zeiträumen" in page
    assert "Der Zeitraum danach läuft noch" in page
    assert "Phasen der Problemlösung" in police.get(f"/problems/{problem.id}", headers=german).text


def test_a_closed_problem_says_so_and_refuses_changes_with_a_page(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    service.update_problem(session, actor=actor(world.police_user), problem_id=problem.id,
                           changes=ProblemUpdate(stage="closed"))
    council = page_client(world.council_user)
    page = council.get(f"/problems/{problem.id}/analysis")
    assert 'id="problem-closed"' in page.text
    before = _counts(session)
    refused = council.post(f"/problems/{problem.id}/analysis", follow_redirects=False, data={
        "csrf_token": council.csrf_token, "victim_notes": "Late note", "offender_notes": "",
        "location_notes": "", "analysis_notes": ""})
    assert refused.status_code == 409 and "This problem is closed" in refused.text
    assert "Traceback" not in refused.text and _counts(session) == before


def test_remove_a_place_through_the_page(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    extra = make_place(session, address="Stoke Road shops", postcode="GU1 1AB")
    service.add_place(session, actor=actor(world.police_user), problem_id=problem.id,
                      place_id=extra.id)
    police = page_client(world.police_user)
    assert f"/problems/{problem.id}/places/{extra.id}/remove" in police.get(
        f"/problems/{problem.id}").text
    forged = police.post(f"/problems/{problem.id}/places/{extra.id}/remove",
                         data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    removed = police.post(f"/problems/{problem.id}/places/{extra.id}/remove",
                          data={"csrf_token": police.csrf_token}, follow_redirects=False)
    assert removed.status_code == 303
    assert "Place removed" in police.get(removed.headers["location"]).text
    [place] = reads.read_problem(session, actor=actor(world.police_user),
                                 problem_id=problem.id).places
    last = police.post(f"/problems/{problem.id}/places/{place.id}/remove",
                       data={"csrf_token": police.csrf_token}, follow_redirects=False)
    assert last.status_code == 422 and "at least one place" in last.text


def test_adding_a_place_again_is_quiet_but_a_closed_problem_refuses_a_new_one(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    problem = _problem(session, world)
    [place] = reads.read_problem(session, actor=actor(world.police_user),
                                 problem_id=problem.id).places
    police = page_client(world.police_user)
    again = police.post(f"/problems/{problem.id}/places", follow_redirects=False,
                        data={"csrf_token": police.csrf_token, "place_id": str(place.id)})
    assert again.status_code == 303
    service.update_problem(session, actor=actor(world.police_user), problem_id=problem.id,
                           changes=ProblemUpdate(stage="closed"))
    other = make_place(session, address="Stoke Road shops", postcode="GU1 1AB")
    before = _counts(session)
    refused = police.post(f"/problems/{problem.id}/places", follow_redirects=False,
                          data={"csrf_token": police.csrf_token, "place_id": str(other.id)})
    assert refused.status_code == 409 and "This problem is closed" in refused.text
    assert _counts(session) == before
