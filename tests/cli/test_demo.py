"""`safetyhub demo` end to end: seeds the county and the partnership's work, and every demo
user can open every page of their navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from safetyhub import cli
from safetyhub.analytics import commands as analytics_commands
from safetyhub.analytics.models import PoliceCrime
from safetyhub.app import create_app
from safetyhub.auth.models import Role, User
from safetyhub.conferences.models import Conference
from safetyhub.db import job_session
from safetyhub.partnership.commitments.models import Commitment
from safetyhub.partnership.meetings.models import Meeting
from safetyhub.partnership.problems.models import Problem
from safetyhub.referrals.directory.models import DirectoryService
from safetyhub.risk.models import Alert
from safetyhub.synthetic.directory import DEMO_EMAILS, DEMO_PASSWORD
from safetyhub.web.navigation import NAV_ITEMS
from tests.cli.databases import committed_database
from tests.factories import web_session_for


def test_the_demo_seeds_everything_and_every_demo_page_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(cli, "serve", lambda host, port: served.append((host, port)))
    # As from a clone with no shared data beside it: the demo loads the copy SafetyHub ships.
    monkeypatch.setattr(analytics_commands, "SHARED_DATA", tmp_path / "no-shared-data")
    with committed_database("sqlite", tmp_path, monkeypatch, migrated=False):
        result = CliRunner().invoke(cli.app, ["demo", "--port", "8123"])
        output = re.sub(r"\s+", " ", result.output)
        assert result.exit_code == 0, output
        assert "Demo sign-ins" in output and served == [("127.0.0.1", 8123)]
        # Whole emails and the password, even in an 80-column terminal.
        assert all(email in result.output for email in DEMO_EMAILS)
        assert f"Password for every demo user: {DEMO_PASSWORD}" in output
        assert "from SafetyHub's own copy" in output
        with job_session() as session:
            for model in (Alert, DirectoryService, Meeting, Commitment, Problem, Conference):
                assert (session.scalar(select(func.count()).select_from(model)) or 0) > 0, model
            # The real picture: Surrey's four police.uk months, January to April 2024.
            assert session.scalar(select(func.count()).select_from(PoliceCrime)) == 28287
            users = {u.email: u for u in session.scalars(select(User))}
            tokens = {email: web_session_for(session, users[email])[0] for email in DEMO_EMAILS}
        client = TestClient(create_app(), base_url="https://testserver")
        for email, token in tokens.items():
            client.cookies.set("safetyhub_session", token)
            role = Role(users[email].role)
            for item in (i for i in NAV_ITEMS if role in i.roles):
                page = client.get(item.href)
                assert page.status_code == 200, (email, item.href, page.status_code)
                assert "Traceback" not in page.text
