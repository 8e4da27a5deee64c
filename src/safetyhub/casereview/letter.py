"""The outcome letter to the applicant, in their language: one content, as HTML and as PDF."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from fpdf import FPDF
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.casereview.models import AppealOutcome, Decision, ReviewStatus
from safetyhub.casereview.reads import get_case_review
from safetyhub.casereview.schemas import CaseReviewRead
from safetyhub.errors import Conflict
from safetyhub.text import N_
from safetyhub.timeutil import local, utcnow
from safetyhub.web import i18n

SENDER = N_("The Community Safety Partnership")
LETTER_NOT_READY = N_("The outcome letter can be written once the threshold is decided.")


@dataclass(frozen=True)
class Section:
    """A part of the letter: an optional heading, paragraphs and a list."""

    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OutcomeLetter:
    """The letter's content, already in the applicant's language."""

    case_review_id: uuid.UUID
    language: str
    sender: str
    dated: str
    recipient: str
    address: str
    title: str
    reference: str
    salutation: str
    sections: list[Section]
    closing: str


def _decision_sections(review: CaseReviewRead, _: Callable[[str], str]) -> list[Section]:
    sections: list[Section] = []
    if review.decision == Decision.not_met:
        sections.append(Section(_("The threshold decision"), [
            _("We have looked at your application and the complaints that partner agencies hold. "
              "We decided that the threshold for an ASB Case Review is not met."),
            review.decision_reasons or "",
        ]))
    if review.appeal_outcome == AppealOutcome.dismissed:
        sections.append(Section(_("Your appeal"), [
            _("The partnership office considered your appeal and did not uphold it."),
            review.appeal_reasons or "",
        ]))
    elif review.decision == Decision.not_met and review.appealed_at is None:
        sections.append(Section(_("If you disagree"), [
            _("You can appeal against this decision to the partnership office (the office of "
              "the Police and Crime Commissioner). Apply online with your reference and "
              "postcode, or write to us quoting your reference."),
        ]))
    if review.appeal_outcome == AppealOutcome.upheld:
        sections.append(Section(_("Your appeal"), [
            _("The partnership office upheld your appeal, so the case review went ahead."),
            review.appeal_reasons or "",
        ]))
    return sections


def _review_sections(review: CaseReviewRead, _: Callable[[str], str]) -> list[Section]:
    if review.meeting_on is None:
        return []
    agencies = ", ".join(a.organisation.name for a in review.attendees)
    sections = [Section(_("The case review"), [
        _("The case review meeting was held on %(date)s with: %(agencies)s.")
        % {"date": i18n.format_date(review.meeting_on, "long"), "agencies": agencies},
        review.meeting_summary or "",
    ])]
    items = [
        _("%(agency)s: %(text)s (by %(date)s)") % {
            "agency": r.organisation.name, "text": r.text,
            "date": i18n.format_date(r.due_on, "long")}
        for r in review.recommendations
    ]
    sections.append(Section(
        _("What the partners will do"),
        [] if items else [_("The review made no recommendations.")], items,
    ))
    return sections


def outcome_letter(session: Session, *, actor: Actor, case_review_id: uuid.UUID) -> OutcomeLetter:
    """The outcome letter of a decided case review, written in the applicant's language."""
    review = get_case_review(session, actor=actor, case_review_id=case_review_id)
    if review.decision is None or review.status == ReviewStatus.appealed:
        raise Conflict(LETTER_NOT_READY)
    with i18n.using_locale(review.language):
        _ = i18n.gettext
        recipient = review.applicant_name or (
            f"{review.victim_given_name} {review.victim_family_name}")
        return OutcomeLetter(
            case_review_id=review.id, language=i18n.current_locale(), sender=_(SENDER),
            dated=i18n.format_date(local(utcnow()).date(), "long"), recipient=recipient,
            address=f"{review.victim_address}, {review.victim_postcode}"
            if not review.on_behalf else "",
            title=_("Your application for an ASB Case Review"),
            reference=_("Reference: %(reference)s") % {"reference": review.reference},
            salutation=_("Dear %(name)s,") % {"name": recipient},
            sections=[*_decision_sections(review, _), *_review_sections(review, _)],
            closing=_("Yours sincerely,"),
        )


def _latin1(text: str) -> str:
    """Text the PDF's built-in font can show: typographic marks simplified, accents kept."""
    text = text.translate({0x2013: "-", 0x2014: "-", 0x2018: "'", 0x2019: "'", 0x201C: '"',
                           0x201D: '"', 0x201E: '"', 0x2026: "...", 0x00A0: " "})
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:  # letters outside Latin-1 keep their base letter (for example "ł" -> "l")
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def letter_pdf(letter: OutcomeLetter) -> bytes:
    """The letter as a PDF document (A4, built-in Helvetica)."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(letter.title))
    pdf.set_author(_latin1(letter.sender))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.epw

    def write(text: str, size: int = 11, style: str = "", gap: float = 2) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    write(letter.sender, 12, "B")
    write(letter.dated)
    write(letter.recipient, gap=0)
    if letter.address:
        write(letter.address)
    write(letter.title, 16, "B")
    write(letter.reference, style="B", gap=4)
    write(letter.salutation)
    for section in letter.sections:
        if section.heading:
            write(section.heading, 13, "B")
        for paragraph in section.paragraphs:
            if paragraph:
                write(paragraph)
        for item in section.items:
            write(f"-  {item}", gap=1)
    write(letter.closing, gap=0)
    write(letter.sender)
    return bytes(pdf.output())
