"""The page forms' shared helpers: problems, text and date answers, ids, HTMX, paging links."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from urllib.parse import parse_qsl, urlsplit

import pytest
from starlette.requests import Request

from safetyhub.errors import NotFound
from safetyhub.timeutil import london_today
from safetyhub.web.forms import (
    DateQuestion,
    FormErrors,
    done_message,
    is_htmx,
    list_links,
    parse_uuid,
    read_date,
    read_text,
    read_time,
    required_uuid,
)


def _anchors(errors: FormErrors) -> list[str]:
    return [problem.anchor for problem in errors]


def test_form_errors_keep_page_order_and_the_first_problem_per_input() -> None:
    errors = FormErrors()
    assert not errors and len(errors) == 0
    errors.add("title", "Enter a title")
    errors.add("kind", "Choose a kind")
    errors.add("title", "The title is too long")
    assert errors and len(errors) == 2
    assert _anchors(errors) == ["title", "kind"]
    problem = errors.get("title")
    assert problem is not None and problem.message == "Enter a title" and problem.text is None
    assert "kind" in errors and "other" not in errors and errors.get("other") is None


def test_form_errors_carry_params_and_plain_text() -> None:
    errors = FormErrors()
    errors.add("name", "Enter %(max)s characters or fewer", max=100)
    errors.add_text("form", "The service said <no>")
    name = errors.get("name")
    assert name is not None and dict(name.params) == {"max": 100}
    form = errors.get("form")
    assert form is not None and form.text == "The service said <no>" and not form.params


def test_form_errors_in_words_translates_and_formats() -> None:
    errors = FormErrors()
    errors.add("name", "Enter %(max)s characters or fewer", max=100)
    errors.add("email", "Enter the email address")
    words = errors.in_words(lambda message: message.replace("Enter", "Give"))
    assert [(p.anchor, p.text) for p in words] == [
        ("name", "Give 100 characters or fewer"), ("email", "Give the email address"),
    ]


@pytest.mark.parametrize(("value", "expected", "problem"), [
    ("  Jordan  ", "Jordan", None),
    ("", None, "Enter the name"),
    ("   ", None, "Enter the name"),
    (None, None, "Enter the name"),
    ("x" * 11, None, "Enter %(max)s characters or fewer"),
])
def test_read_text(value: str | None, expected: str | None, problem: str | None) -> None:
    errors = FormErrors()
    assert read_text("name", value, errors, max_length=10, missing="Enter the name") == expected
    found = errors.get("name")
    assert (found.message if found else None) == problem
    if found and found.params:
        assert dict(found.params) == {"max": 10}


def test_read_text_optional_and_own_too_long_message() -> None:
    errors = FormErrors()
    assert read_text("uprn", " ", errors, max_length=3) is None
    assert not errors
    read_text("uprn", "12345", errors, max_length=3, too_long="Up to 3 numbers")
    problem = errors.get("uprn")
    assert problem is not None and problem.message == "Up to 3 numbers"


@pytest.mark.parametrize(("parts", "anchor", "message"), [
    (("", "3", "2020"), "dob-day", "The date must include a day, a month and a year"),
    (("1", "", "2020"), "dob-month", "The date must include a day, a month and a year"),
    (("1", "3", ""), "dob-year", "The date must include a day, a month and a year"),
    (("1", "3", "20"), "dob-year", "The year must include 4 numbers"),
    (("31", "2", "2020"), "dob-day", "Enter a real date, like 27 3 2007"),
    (("x", "2", "2020"), "dob-day", "Enter a real date, like 27 3 2007"),
    (("1", "1", "1850"), "dob-year", "The date must be in %(year)s or later"),
])
def test_read_date_links_the_part_to_fix(
    parts: tuple[str, str, str], anchor: str, message: str
) -> None:
    errors = FormErrors()
    assert read_date("dob", *parts, errors) is None
    assert _anchors(errors) == [anchor]
    problem = errors.get(anchor)
    assert problem is not None and problem.message == message


def test_read_date_reads_a_real_date_and_an_optional_blank() -> None:
    errors = FormErrors()
    assert read_date("dob", " 7 ", "03", "1985", errors) == date(1985, 3, 7)
    assert read_date("dob", "", " ", None, errors) is None
    assert not errors


def test_read_date_asks_for_a_required_date_and_refuses_the_future_when_past_only() -> None:
    question = DateQuestion(missing="Enter the date it happened", past_only=True)
    errors = FormErrors()
    assert read_date("when", "", "", "", errors, question) is None
    assert read_date("then", "1", "1", "2999", errors, question) is None
    assert [(p.anchor, p.message) for p in errors] == [
        ("when-day", "Enter the date it happened"),
        ("then-day", "The date must be today or in the past"),
    ]
    today = london_today()
    assert read_date("now", str(today.day), str(today.month), str(today.year), FormErrors(),
                     question) == today


def test_read_date_says_what_its_question_says() -> None:
    due = DateQuestion(missing="Enter the due date", incomplete="Include a day, month and year",
                       not_real="The due date must be a real date",
                       year_length="The due date must be a real date", earliest_year=None)
    errors = FormErrors()
    read_date("a", "", "", "", errors, due)
    read_date("b", "1", "", "2030", errors, due)
    read_date("c", "1", "1", "30", errors, due)
    read_date("d", "30", "2", "2030", errors, due)
    assert read_date("e", "1", "1", "1850", errors, due) == date(1850, 1, 1)
    assert [(p.anchor, p.message) for p in errors] == [
        ("a-day", "Enter the due date"), ("b-month", "Include a day, month and year"),
        ("c-year", "The due date must be a real date"),
        ("d-day", "The due date must be a real date"),
    ]


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    ("14", "30", time(14, 30)), ("7", "", time(7, 0)), ("", "", None),
])
def test_read_time(hour: str, minute: str, expected: time | None) -> None:
    errors = FormErrors()
    assert read_time("when", hour, minute, errors) == expected
    assert not errors


@pytest.mark.parametrize(("hour", "minute"), [("24", "00"), ("12", "60"), ("x", "1"), ("", "5")])
def test_read_time_refuses_unreal_times(hour: str, minute: str) -> None:
    errors = FormErrors()
    assert read_time("when", hour, minute, errors) is None
    assert _anchors(errors) == ["when-hour"]


def test_read_time_asks_for_a_required_time() -> None:
    errors = FormErrors()
    read_time("when", " ", "", errors, missing="Enter the time")
    problem = errors.get("when-hour")
    assert problem is not None and problem.message == "Enter the time"


def test_ids() -> None:
    known = uuid.uuid4()
    assert parse_uuid(str(known)) == known
    assert parse_uuid("") is None and parse_uuid(None) is None and parse_uuid("nope") is None
    assert required_uuid(str(known), "case") == known
    for bad in ("", "nope"):
        with pytest.raises(NotFound):  # as unknown as a hidden record
            required_uuid(bad, "case")


def _request(headers: dict[str, str]) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [
        (name.lower().encode(), value.encode()) for name, value in headers.items()
    ]})


def test_is_htmx_but_not_a_history_restore() -> None:
    assert is_htmx(_request({"HX-Request": "true"}))
    assert not is_htmx(_request({}))
    assert not is_htmx(_request({"HX-Request": "true", "HX-History-Restore-Request": "true"}))


@dataclass(frozen=True)
class Listing:
    total: int
    page: int
    page_size: int


def _query(href: str | None) -> list[tuple[str, str]]:
    assert href is not None
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


def test_list_links_keep_the_filters_and_drop_empty_ones() -> None:
    links = list_links(Listing(total=95, page=3, page_size=10), "/cases",
                       {"status": "open", "box": "", "page": 3})
    assert _query(links.previous) == [("status", "open"), ("page", "2")]
    assert _query(links.next) == [("status", "open"), ("page", "4")]
    assert links.previous is not None and links.previous.startswith("/cases?")
    numbers = [item.number for item in links.items]
    assert numbers == [1, 2, 3, 4, None, 10]
    assert [item.number for item in links.items if item.current] == [3]


def test_list_links_of_a_second_list_on_the_page() -> None:
    links = list_links(Listing(total=30, page=1, page_size=20), "/search",
                       {"name": "Reed", "page": 2, "places_page": 1}, key="places_page")
    assert links.previous is None
    assert _query(links.next) == [("name", "Reed"), ("page", "2"), ("places_page", "2")]


def test_list_links_of_a_single_page() -> None:
    links = list_links(Listing(total=3, page=1, page_size=20), "/audit", {})
    assert links.previous is None and links.next is None
    assert [item.number for item in links.items] == [1]


def test_done_message() -> None:
    messages = {"opened": "Case opened"}
    assert done_message(messages, "opened") == "Case opened"
    assert done_message(messages, "spam") is None
    assert done_message(messages, None) is None and done_message(messages, "") is None
