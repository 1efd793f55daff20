"""Every page in a real browser: a fresh server, headless Chromium, both languages.

Screenshots land in ``artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ui import shell

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytestmark.append(pytest.mark.skip(reason="Debian chromium is not installed"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DLCORE_CACHE_DIR": str(tmp_path / "cache"),
           "DLCORE_EXECUTOR": "process"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if (
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
                == b"ok"
            ):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("server"))
    yield url
    proc.terminate()
    proc.wait(20)


def wait_for_run(page, timeout: float = 180_000) -> None:
    page.wait_for_timeout(500)
    page.locator(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
    ).wait_for(state="attached", timeout=timeout)
    page.locator("h1").first.wait_for(timeout=timeout)  # the script has started
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )
    # Let Plotly finish drawing every chart (a loaded machine can take seconds).
    page.wait_for_function(
        """() => {
            const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
            return charts.length > 0 && charts.every((el) => el.querySelector('.main-svg'))
                && document.querySelector("[data-testid='stSkeleton']") === null;
        }""",
        timeout=60_000,
    )
    page.wait_for_timeout(1000)


def open_page(browser, url: str, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.goto(url, timeout=120_000)
    wait_for_run(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return page


def assert_healthy(page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id(
        "stException"
    ).first.inner_text()
    charts = page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot")
    assert charts.count() >= 1, "no Plotly chart rendered"
    assert page.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= 1


def test_deep_link_is_the_first_request_on_a_fresh_server(browser, fresh_server):
    # Must run first in this module: nothing has touched the server yet.
    slug = "playground"
    page = open_page(browser, f"{fresh_server}/{slug}?lang=zh", f"deeplink_{slug}_zh")
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "多层感知机游乐场" in nav, nav  # translated titles: the real navigation
    assert "playground" not in nav.lower()  # not the legacy file-name navigation
    assert page.locator("h1").first.inner_text().startswith("多层感知机")
    assert_healthy(page)
    page.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("slug", [p.slug for p in shell.available_pages()])
def test_every_page_renders(browser, fresh_server, slug, lang):
    path = "" if slug == "home" else slug
    page = open_page(browser, f"{fresh_server}/{path}?lang={lang}", f"{slug}_{lang}")
    assert_healthy(page)
    title = page.locator("h1").first.inner_text()
    has_cjk = any("\u4e00" <= ch <= "\u9fff" for ch in title)
    assert has_cjk == (lang == "zh"), title
    page.close()


def test_language_survives_navigation_and_rides_in_the_url(browser, fresh_server):
    page = open_page(browser, f"{fresh_server}/home?lang=zh", "nav_home_alias_zh")
    # "/home" is the home page itself, not a "Page not found" dialog.
    assert page.get_by_test_id("stDialog").count() == 0
    assert page.locator("h1").first.inner_text().startswith("动手")
    page.get_by_test_id("stSidebarNav").get_by_role(
        "link", name="多层感知机游乐场"
    ).click()
    wait_for_run(page)
    assert page.locator("h1").first.inner_text() == "多层感知机游乐场"
    assert page.evaluate("location.pathname + location.search") == "/playground?lang=zh"
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    wait_for_run(page)
    assert page.locator("h1").first.inner_text() == "MLP playground"
    assert page.evaluate("location.pathname + location.search") == "/playground?lang=en"
    page.close()
