"""The Commissioner's picture report (HTML and PDF) and the import/report commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from safetyhub import migrate
from safetyhub.analytics.extract import Period
from safetyhub.analytics.report import build_report, render_html, render_pdf
from safetyhub.cli import app
from tests.analytics.conftest import ACTOR, DATA


def test_report_html_and_pdf(fixture_data: Session) -> None:
    report = build_report(fixture_data, actor=ACTOR, period=Period("2024-01", "2024-02"))
    html = render_html(report)
    for text in ("The picture of crime and anti-social behaviour", "Month by month",
                 "Hot spots", "Inequality", "Partnership activity",
                 "Open Government Licence v3.0", "2024-02"):
        assert text in html
    assert "<script" not in html
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1500


def test_commands_import_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SAFETYHUB_DATABASE_URL", url)
    monkeypatch.setenv("SAFETYHUB_PICTURE_EXTRACT_DIR", str(tmp_path / "extracts"))
    migrate.upgrade(url)
    runner = CliRunner()
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "imd2019_england_lsoa.csv").write_bytes((DATA / "imd.csv").read_bytes())
    (reference / "iod2019_population_lsoa.csv").write_bytes(
        (DATA / "population.csv").read_bytes())
    result = runner.invoke(app, ["import", "reference", "--folder", str(reference)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "police-uk", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "2 file(s) imported, 0 rejected" in result.output
    assert "extract is up to date" in result.output
    built = list((tmp_path / "extracts").glob("*/picture-*.duckdb"))
    assert len(built) == 1
    again = runner.invoke(app, ["import", "police-uk", str(DATA)])
    assert "0 added" in again.output
    rebuilt = list((tmp_path / "extracts").glob("*/picture-*.duckdb"))
    assert len(rebuilt) == 1 and rebuilt != built  # a new data version, the old file gone
    bad = tmp_path / "bad.csv"
    bad.write_text("Crime ID,Month\n1,2\n", encoding="utf-8")
    rejected = runner.invoke(app, ["import", "police-uk", str(bad)])
    assert rejected.exit_code == 1
    for fmt in ("html", "pdf"):
        out = tmp_path / f"picture.{fmt}"
        result = runner.invoke(app, ["report", "picture", "--from", "2024-01", "--to", "2024-02",
                                     "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
