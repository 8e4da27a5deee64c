"""`safetyhub report picture`: the Commissioner's picture as printable HTML and as a PDF."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fpdf import FPDF
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from safetyhub.analytics import inequality
from safetyhub.analytics.extract import Period
from safetyhub.analytics.picture import ATTRIBUTION, AnalystPicture, Filters, analyst_picture
from safetyhub.auth.actor import Actor
from safetyhub.sharing import policy
from safetyhub.timeutil import london_today, utcnow
from safetyhub.web import i18n
from safetyhub.web.rendering import templates


@dataclass
class Activity:
    """Partnership activity in SafetyHub (aggregate counts of what the actor may see)."""

    since: date
    until: date
    referrals: list[tuple[str, int]]
    cases: list[tuple[str, int]]
    alerts: list[tuple[str, int]]


@dataclass
class Report:
    """Everything the report shows."""

    picture: AnalystPicture
    activity: Activity
    generated: date
    attribution: str = ATTRIBUTION


def partnership_activity(session: Session, actor: Actor, days: int = 365) -> Activity:
    """Referrals by state, cases by status and alerts by level over the last `days` days."""
    now = utcnow()
    since = now - timedelta(days=days)

    def counts(name: str, visible: Select[Any]) -> list[tuple[str, int]]:
        sub = visible.subquery()
        column = sub.c[name]
        rows = session.execute(select(column, func.count()).where(sub.c.created_at >= since)
                               .group_by(column).order_by(column)).tuples()
        return [(str(k), int(n)) for k, n in rows]

    return Activity(
        since=since.date(), until=now.date(),
        referrals=counts("state", policy.visible_referrals(actor)),
        cases=counts("status", policy.visible_cases(actor)),
        alerts=counts("level", policy.visible_alerts(actor)),
    )


def build_report(session: Session, *, actor: Actor, period: Period) -> Report:
    """The picture for the period and the partnership's recent activity."""
    return Report(picture=analyst_picture(session, actor=actor, filters=Filters(period)),
                  activity=partnership_activity(session, actor), generated=london_today())


def render_html(report: Report) -> str:
    """The report as one printable HTML file (its own stylesheet, no scripts)."""
    with i18n.using_locale("en"):
        return templates.env.get_template("analytics/report.html").render(
            r=report, p=report.picture, measures=inequality.MEASURES, lang="en")


def _latin1(text: str) -> str:
    """Text the PDF core fonts can draw (accents kept where Latin-1 has them)."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or {"–": "-", "—": "-", "’": "'", "“": '"', "”": '"'}.get(char, "?"))
    return "".join(out)


class _Pdf(FPDF):
    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(0, 8, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def para(self, text: str) -> None:
        self.set_font("Helvetica", size=10)
        self.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def grid(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        self.set_font("Helvetica", style="B", size=9)
        for text, width in zip(header, widths, strict=True):
            self.cell(width, 6, _latin1(text), border="B")
        self.ln()
        self.set_font("Helvetica", size=9)
        for row in rows:
            for i, (text, width) in enumerate(zip(row, widths, strict=True)):
                self.cell(width, 5.5, _latin1(text)[:60], align="L" if i == 0 else "R")
            self.ln()

    def bars(self, items: list[tuple[str, int]]) -> None:
        biggest = max((n for _, n in items), default=0) or 1
        self.set_font("Helvetica", size=9)
        for label, n in items:
            y = self.get_y()
            self.cell(45, 5, _latin1(label)[:28])
            self.set_fill_color(29, 112, 184)
            self.rect(self.l_margin + 46, y + 0.8, 110 * n / biggest, 3.6, style="F")
            self.set_x(self.l_margin + 160)
            self.cell(20, 5, f"{n:,}", align="R", new_x="LMARGIN", new_y="NEXT")


def render_pdf(report: Report) -> bytes:
    """The report as a PDF (A4, core fonts)."""
    p = report.picture
    period = p.filters.period
    pdf = _Pdf(format="A4")
    pdf.set_title("The picture of crime and anti-social behaviour")
    pdf.add_page()
    pdf.heading(f"The picture of crime and anti-social behaviour, {period.first} to "
                f"{period.last}", 16)
    pdf.para(f"{p.total:,} police.uk crimes and anti-social behaviour incidents. "
             f"{p.concentration.top_share:.0%} of them happened at the busiest 5% of places "
             f"({p.concentration.top_places:,} of {p.concentration.places:,}). "
             f"{sum(1 for h in p.hotspots if h.hot)} neighbourhoods are significant hot spots.")
    pdf.heading("Month by month")
    pdf.bars([(t.month, t.count) for t in p.county])
    pdf.grid(["Month", "Count", "Change", "Beyond normal variation"],
              [[t.month, f"{t.count:,}", "-" if t.change is None else f"{t.change:+,}",
                "yes" if t.beyond else "no"] for t in p.county], [40, 30, 30, 60])
    pdf.heading("By district")
    pdf.bars(p.district_totals)
    pdf.heading("By type of crime")
    pdf.grid(["Crime type", "Count"], [[c, f"{n:,}"] for c, n in p.category_totals], [90, 30])
    pdf.heading("Hot spots (Getis-Ord Gi*, 8 nearest neighbourhoods, FDR 5%)")
    pdf.grid(["Neighbourhood", "District", "Count", "z"],
              [[h.lsoa_name, h.district, f"{h.count:,}", f"{h.z:.1f}"]
               for h in p.hotspots if h.hot][:20], [60, 50, 25, 20])
    pdf.heading("Inequality: incidents per 1,000 residents by IMD 2019 decile")
    deciles = [d.decile for d in p.inequality[0].deciles] if p.inequality else []
    pdf.grid(["Measure", *(f"D{d}" for d in deciles), "Ratio"],
              [[inequality.MEASURES[m.measure], *(f"{d.rate:.1f}" for d in m.deciles),
                "-" if m.ratio is None else f"{m.ratio:.2f}"] for m in p.inequality],
              [45, *([13.0] * len(deciles)), 15])
    a = report.activity
    pdf.heading(f"Partnership activity in SafetyHub, {a.since} to {a.until}")
    pdf.grid(["Referrals by state", "Count"], [[k, str(n)] for k, n in a.referrals], [90, 30])
    pdf.grid(["Cases by status", "Count"], [[k, str(n)] for k, n in a.cases], [90, 30])
    pdf.grid(["Alerts by level", "Count"], [[k, str(n)] for k, n in a.alerts], [90, 30])
    pdf.ln(4)
    pdf.para(f"Made {report.generated}. {report.attribution}")
    return bytes(pdf.output())
