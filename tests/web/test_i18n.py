"""English and German: catalogues complete, the switch works, dates and numbers per locale."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient

from safetyhub.web import i18n
from safetyhub.web.labels import LABELS, label


def test_every_marked_message_has_a_german_translation() -> None:
    assert i18n.missing_translations("de") == []


def test_every_label_is_translated() -> None:
    with i18n.using_locale("de"):
        untranslated = [text for text in LABELS.values() if i18n.gettext(text) == text]
    # "Standard" and "Person" are the same word in both languages.
    assert set(untranslated) <= {"Standard", "Person"}


def test_language_switch_remembers_german(client: TestClient) -> None:
    response = client.get("/language/de?next=/sign-in", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    page = client.get("/sign-in")
    assert '<html lang="de"' in page.text
    assert "Bei SafetyHub anmelden" in page.text
    assert page.headers["content-language"] == "de"


def test_browser_preference_is_used_without_a_cookie(client: TestClient) -> None:
    page = client.get("/sign-in", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert "E-Mail-Adresse" in page.text


def test_unknown_language_is_ignored(client: TestClient) -> None:
    client.get("/language/xx?next=/sign-in")
    assert "Sign in to SafetyHub" in client.get("/sign-in").text


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/language/de", params={"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_dates_and_numbers_follow_the_locale() -> None:
    moment = datetime(2024, 7, 1, 13, 5, tzinfo=UTC)  # 14:05 in London (BST)
    with i18n.using_locale("en"):
        assert i18n.format_number(1234.5) == "1,234.5"
        assert "14:05" in i18n.format_datetime(moment)
        assert i18n.format_date(date(2024, 3, 5)) == "5 Mar 2024"
    with i18n.using_locale("de"):
        assert i18n.format_number(1234.5) == "1.234,5"
        assert "14:05" in i18n.format_datetime(moment)
        assert i18n.format_date(date(2024, 3, 5)) == "05.03.2024"
        assert label("domestic_abuse") == "Häusliche Gewalt"


def test_error_pages_are_translated(client: TestClient) -> None:
    client.get("/language/de")
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Nicht gefunden" in page.text


def test_no_message_is_translated_two_ways() -> None:
    from babel.messages.pofile import read_po

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po_file in sorted((i18n.TRANSLATIONS / "de" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="de"):
                if not message.id or not message.string:
                    continue
                key, text = str(message.id), str(message.string)
                if key in seen and seen[key][1] != text:
                    clashes.append(f"{key!r}: {seen[key]} vs {(po_file.name, text)}")
                seen.setdefault(key, (po_file.name, text))
    assert clashes == []


def test_a_translation_is_text_never_markup() -> None:
    from safetyhub.web.rendering import templates

    page = templates.env.from_string(
        "{{ _(value) }}|{{ _('Shown as %(code)s', code=value) }}|{{ _('Search') }}")
    rendered = page.render(value="<script>alert(1)</script>")
    assert "<script>" not in rendered
    assert rendered.count("&lt;script&gt;") == 2 and rendered.endswith("|Search")
