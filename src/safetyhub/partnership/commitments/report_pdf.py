"""The progress report as a PDF (fpdf2, A4 landscape, Helvetica) in the reader's language."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from fpdf import FPDF

from safetyhub.partnership.commitments.schemas import CommitmentRead, ProgressLine, ProgressReport
from safetyhub.text import N_
from safetyhub.web import i18n

TITLE = N_("Community Safety Agreement: progress report")
ROW = 6.0


def latin1(text: str) -> str:
    """Text the built-in font can show: typographic marks simplified, other letters their base."""
    text = text.translate({0x2013: "-", 0x2014: "-", 0x2018: "'", 0x2019: "'", 0x201C: '"',
                           0x201D: '"', 0x2026: "...", 0x00A0: " "})
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


class _Report(FPDF):
    def heading(self, text: str, size: int = 13) -> None:
        self.ln(2)
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(0, 8, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def para(self, text: str) -> None:
        self.set_font("Helvetica", size=10)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def fit(self, text: str, width: float) -> str:
        """`text` cut (with an ellipsis) to fit `width`."""
        shown = latin1(text)
        if self.get_string_width(shown) <= width - 2:
            return shown
        while shown and self.get_string_width(shown + "...") > width - 2:
            shown = shown[:-1]
        return shown + "..."

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]],
             widths: Sequence[float], numeric_from: int) -> None:
        self.set_font("Helvetica", style="B", size=8)
        for i, (text, width) in enumerate(zip(header, widths, strict=True)):
            self.cell(width, ROW, self.fit(text, width), border="B",
                      align="R" if i >= numeric_from else "L")
        self.ln()
        self.set_font("Helvetica", size=9)
        for row in rows:
            if self.will_page_break(ROW):
                self.add_page()
            for i, (text, width) in enumerate(zip(row, widths, strict=True)):
                self.cell(width, ROW, self.fit(text, width),
                          align="R" if i >= numeric_from else "L")
            self.ln()


def _line_rows(lines: Sequence[ProgressLine], statuses: Sequence[str]) -> list[list[str]]:
    _ = i18n.gettext
    return [
        [_(line.name), i18n.format_number(line.total),
         *(i18n.format_number(line.by_status.get(status, 0)) for status in statuses),
         i18n.format_number(line.overdue),
         "" if line.done_rate is None else f"{round(line.done_rate * 100)}%"]
        for line in lines
    ]


def _commitment_rows(items: Sequence[CommitmentRead], labels: Mapping[str, str]
                     ) -> list[list[str]]:
    _ = i18n.gettext
    return [[c.text, c.organisation_name, _(c.priority_name), i18n.format_date(c.due_on),
             _(labels[c.status]) + (" / " + _("Overdue") if c.overdue else "")] for c in items]


def progress_pdf(report: ProgressReport, items: Sequence[CommitmentRead],
                 labels: Mapping[str, str], *, locale: str) -> bytes:
    """The report: figures per priority and per organisation, overdue and all commitments."""
    with i18n.using_locale(locale):
        _ = i18n.gettext
        pdf = _Report(orientation="L", format="A4")
        pdf.set_title(latin1(_(TITLE)))
        pdf.set_margins(20, 15, 20)
        pdf.add_page()
        pdf.heading(_(TITLE), 16)
        pdf.para(_("As at %(date)s.") % {"date": i18n.format_date(report.today, "long")})
        statuses = list(labels)
        numbers = [_("Commitments"), *(_(labels[s]) for s in statuses), _("Overdue"),
                   _("Done rate")]
        widths = [pdf.epw - 22 * len(numbers), *([22.0] * len(numbers))]
        for caption, first, lines in ((_("By priority"), _("Priority"), report.by_priority),
                                      (_("By organisation"), _("Organisation"),
                                       report.by_organisation)):
            pdf.heading(caption)
            pdf.grid([first, *numbers], _line_rows(lines, statuses), widths, numeric_from=1)
        header = [_("Commitment"), _("Organisation"), _("Priority"), _("Due"), _("Status")]
        columns = [pdf.epw - 200, 60.0, 60.0, 30.0, 50.0]
        pdf.heading(_("Overdue commitments"))
        if report.overdue:
            pdf.grid(header, _commitment_rows(report.overdue, labels), columns, len(header))
        else:
            pdf.para(_("No commitment is overdue."))
        pdf.heading(_("All commitments"))
        pdf.grid(header, _commitment_rows(items, labels), columns, len(header))
        return bytes(pdf.output())
