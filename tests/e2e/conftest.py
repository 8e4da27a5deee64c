"""Browser tests: a live SafetyHub on a free local port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Chromium comes from the system (`apt-get install chromium`). Without
it (or without Playwright) these tests skip with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.app import create_app
from safetyhub.db import make_engine
from safetyhub.migrate import upgrade

CHROMIUM = os.environ.get("SAFETYHUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def e2e_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A committed SQLite database for the live server (browser tests need real commits)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def e2e_sessions(e2e_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the live server's database, for arranging data (commit explicitly)."""
    return sessionmaker(bind=e2e_engine, expire_on_commit=False)


@pytest.fixture(scope="session")
def live_server(e2e_sessions: sessionmaker[Session]) -> Iterator[str]:
    """SafetyHub served by uvicorn in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(factory=e2e_sessions), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a fresh browser context (its own cookies) and page; closed after the test."""
    contexts: list[Any] = []

    def open_page(locale: str = "en-GB") -> Any:
        # CSP forbids injected scripts; the axe checker needs to inject one.
        context = browser.new_context(locale=locale, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot under test-artifacts/ (kept by CI)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page: no serious or critical violations."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + "; ".join(bad)


def sign_in(page: Any, base_url: str, email: str, password: str) -> None:
    """Sign in through the form."""
    page.goto(f"{base_url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
