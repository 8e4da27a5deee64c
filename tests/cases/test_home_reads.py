"""The home page's case reads: my open cases and my actions due."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from safetyhub.cases import service
from safetyhub.cases.models import Case, CaseAction
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership
from tests.factories import actor, make_case


def _action(session: Session, case: Case, org_id: object, *, days: int, owner: object = None,
            state: str = "open", description: str = "Visit") -> CaseAction:
    action = CaseAction(case_id=case.id, organisation_id=org_id, owner_user_id=owner,
                        description=description, state=state,
                        due_date=london_today() + timedelta(days=days))
    session.add(action)
    session.flush()
    return action


def test_my_open_cases_are_the_open_cases_my_agency_works(
    session: Session, world: Partnership
) -> None:
    make_case(session, world.police, title="Police open")
    make_case(session, world.police, title="Police closed", status="closed")
    make_case(session, world.council, members=[world.police], title="Council led, police member")
    make_case(session, world.housing, title="Housing only")

    titles = {c.title for c in service.my_open_cases(session, actor=actor(world.police_user),
                                                     limit=10)}
    assert titles == {"Police open", "Council led, police member"}
    assert len(service.my_open_cases(session, actor=actor(world.police_user), limit=1)) == 1
    assert [c.title for c in service.my_open_cases(
        session, actor=actor(world.housing_user), limit=10)] == ["Housing only"]


def test_my_actions_due_are_mine_or_my_agencys_unowned_soonest_first(
    session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council], title="Elm Court")
    closed = make_case(session, world.police, status="closed")
    _action(session, case, world.police.id, days=5, owner=world.police_user.id,
            description="Mine, later")
    _action(session, case, world.police.id, days=-1, description="Unowned, overdue")
    _action(session, case, world.police.id, days=1, owner=world.police_analyst.id,
            description="Colleague's")
    _action(session, case, world.police.id, days=0, state="done", description="Done")
    _action(session, case, world.council.id, days=2, description="Council's")
    _action(session, closed, world.police.id, days=2, description="On a closed case")

    due = service.my_actions_due(session, actor=actor(world.police_user), limit=10)
    assert [(a.description, a.overdue, a.case_title) for a in due] == [
        ("Unowned, overdue", True, "Elm Court"),
        ("Mine, later", False, "Elm Court"),
    ]
    council_due = service.my_actions_due(session, actor=actor(world.council_user), limit=10)
    assert [a.description for a in council_due] == ["Council's"]
    assert service.my_actions_due(session, actor=actor(world.housing_user), limit=10) == []
