"""Shared fixtures: a Prefect test server, the bundled sample world, fast crawl settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

# The sample world's labels are computed for the current year; detection takes the same day.
TODAY = date.today()


@pytest.fixture(scope="session")
def prefect_api():
    """A real Prefect server (temporary database) for tests that run flows."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def sample_world():
    """The bundled sample PPID sites, served on loopback for the whole session (epoch 1)."""
    from sample_world import SampleWorld

    with SampleWorld(today=TODAY) as world:
        yield world


@pytest.fixture
def fast_settings_file(tmp_path) -> Path:
    """Crawl settings for loopback sites: no politeness delay, short timeouts."""
    path = tmp_path / "settings.yaml"
    path.write_text(
        "crawl:\n  host_delay: 0.0\n  connect_timeout: 3\n  read_timeout: 5\n"
        "  page_timeout: 10\n  retries: 1\n  retry_backoff: 0.05\n"
        "schedule:\n  agency_task_retries: 0\n  max_workers: 8\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def renderer():
    """One headless Chromium for the whole test session (Debian's /usr/bin/chromium): the
    process's shared browser, so code that takes ``shared_renderer()`` by itself (an evidence
    screenshot asked for on the dashboard) uses this same one."""
    from core.settings import CrawlSettings
    from scrapers.crawling.render import shared_renderer

    with shared_renderer(CrawlSettings(render_timeout=30.0)) as shared:
        shared.start()
        yield shared


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Playwright) for every browser test of the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (CI does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_collection_modifyitems(config, items):
    """Tests that use the session's browser run last, in their collected order.

    Playwright's sync API runs its asyncio loop in the test thread from the browser's start to
    the session's end, and Prefect's sync entry points (``Flow.to_deployment``, ``serve``)
    called under a running loop hand back coroutines. With every browser test at the end, the
    one shared browser starts after the last test that needs Prefect without it."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))
