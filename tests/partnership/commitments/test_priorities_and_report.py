"""The priorities page (the office adds one) and the progress report's print stylesheet and PDF."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.partnership.commitments.models import Priority
from safetyhub.partnership.commitments.priority_pages import code_from
from tests.conftest import PageClient
from tests.factories import make_commitment
from tests.partnership.meetings.helpers import World, audit_count

Clients = Callable[..., PageClient]
SCRIPT = "<script>alert('x')</script>"


def _priorities(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Priority)) or 0)


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (its Flate-compressed content streams inflated)."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            parts.append(match.group(1).decode("latin-1"))
    return "".join(re.findall(r"\((.*?)(?<!\\)\)\s*Tj", "".join(parts)))


def test_office_adds_a_priority_with_a_code_made_from_its_name(
    page_client: Clients, session: Session, world: World
) -> None:
    office = page_client(world.office_user)
    page = office.get("/partnership/priorities")
    assert page.status_code == 200 and "Public trust" in page.text and "Add priority" in page.text
    response = office.post("/partnership/priorities", follow_redirects=True, data={
        "csrf_token": office.csrf_token, "name": f"Road safety {SCRIPT}", "code": ""})
    assert response.status_code == 200 and "Priority added" in response.text
    assert SCRIPT not in response.text and "&lt;script&gt;" in response.text
    added = session.scalars(select(Priority).where(Priority.name.startswith("Road"))).one()
    assert added.code == "road_safety_script_alert_x_script"
    assert audit_count(session, "add_priority") == 1
    assert code_from("2024 Knife crime!") == "knife_crime"


def test_bad_or_duplicate_code_shows_the_error_summary_and_adds_nothing(
    page_client: Clients, session: Session, world: World
) -> None:
    office = page_client(world.office_user)
    before = _priorities(session)
    empty = office.post("/partnership/priorities",
                        data={"csrf_token": office.csrf_token, "name": " ", "code": ""})
    assert empty.status_code == 422 and 'href="#name"' in empty.text
    bad = office.post("/partnership/priorities",
                      data={"csrf_token": office.csrf_token, "name": "Drugs", "code": "Bad Code"})
    assert bad.status_code == 422 and 'href="#code"' in bad.text
    taken = office.post("/partnership/priorities", data={
        "csrf_token": office.csrf_token, "name": "Trust again", "code": "public_trust"})
    assert taken.status_code == 422 and "already a priority with that code" in taken.text
    assert "govuk-error-summary" in taken.text
    assert _priorities(session) == before and audit_count(session) == 0


def test_agencies_read_priorities_but_cannot_add_and_csrf_is_checked(
    page_client: Clients, session: Session, world: World
) -> None:
    before = _priorities(session)
    police = page_client(world.police_user)
    page = police.get("/partnership/priorities")
    assert page.status_code == 200 and "Add priority" not in page.text
    assert police.post("/partnership/priorities", data={
        "csrf_token": police.csrf_token, "name": "Police first"}).status_code == 403
    office = page_client(world.office_user)
    for token in ("", "forged"):
        assert office.post("/partnership/priorities", data={
            "csrf_token": token, "name": "Forged"}).status_code == 403
    assert _priorities(session) == before and audit_count(session) == 0


def test_report_links_the_print_stylesheet_which_hides_navigation_and_forms(
    page_client: Clients, session: Session, world: World
) -> None:
    report = page_client(world.housing_user).get("/partnership/progress/report")
    assert report.status_code == 200
    assert ('<link rel="stylesheet" href="/static/partnership-print.css" media="print">'
            in report.text)
    assert "style=" not in report.text.split('<main', 1)[1]
    css = page_client(world.housing_user).get("/static/partnership-print.css")
    assert css.status_code == 200
    hidden = css.text.split("{ display: none", 1)[0]
    for selector in (".govuk-service-navigation", ".sh-header", "form", ".govuk-footer"):
        assert selector in hidden


def test_progress_report_pdf_holds_the_figures(
    page_client: Clients, session: Session, world: World
) -> None:
    late = date.today() - timedelta(days=2)
    make_commitment(session, world.council, text="Late clinic", due_on=late)
    make_commitment(session, world.council, text="Second clinic", status="done")
    make_commitment(session, world.police, text="Patrols", priority_code="vawg",
                    status="on_track")
    response = page_client(world.housing_user).get("/partnership/progress/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Community Safety Agreement: progress report" in text
    assert "Guildford Borough Council" in text and "Surrey Police" in text
    assert "Late clinic" in text and "Patrols" in text
    assert "50%" in text  # the council: 1 of 2 done
    rows = text.split("Guildford Borough Council", 1)[1]
    assert rows.startswith("2") and "Anti-social behaviour" in text


def test_progress_report_pdf_in_german(page_client: Clients, session: Session, world: World
                                       ) -> None:
    make_commitment(session, world.council, text="Late clinic",
                    due_on=date.today() - timedelta(days=2))
    client = page_client(world.housing_user)
    client.cookies.set("safetyhub_lang", "de")
    response = client.get("/partnership/progress/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Community Safety Agreement: progress report" not in text
    assert "Late clinic" in text


def test_typed_priority_names_are_escaped_everywhere_and_percent_is_plain(
    page_client: Clients, session: Session, world: World
) -> None:
    office = page_client(world.office_user)
    office.post("/partnership/priorities", data={
        "csrf_token": office.csrf_token, "name": f"100% safe {SCRIPT}", "code": "odd"})
    priority = session.scalars(select(Priority).where(Priority.code == "odd")).one()
    commitment = make_commitment(session, world.council, priority_code="odd")
    for url in ("/partnership/priorities", "/partnership/progress", "/partnership/commitments",
                "/partnership/progress/report", f"/partnership/commitments/{commitment.id}"):
        page = office.get(url)
        assert page.status_code == 200, url
        assert SCRIPT not in page.text and "100% safe &lt;script&gt;" in page.text, url
    assert priority.name.startswith("100%")
