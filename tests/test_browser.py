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
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytestmark.append(pytest.mark.skip(reason="Debian chromium is not installed"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "DLCORE_CACHE_DIR": str(tmp_path / "cache"),
        "DLCORE_EXECUTOR": "process",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
            const charts = [
                ...document.querySelectorAll("[data-testid='stPlotlyChart']"),
            ];
            return charts.length > 0
                && charts.every((el) => el.querySelector('.main-svg'))
                && document.querySelector("[data-testid='stSkeleton']") === null;
        }""",
        timeout=60_000,
    )
    page.wait_for_timeout(1000)


def open_page(browser, url: str, name: str, requests: list[str] | None = None):
    """Load ``url`` at 1400 px, wait for the run, screenshot it; every request
    the load makes is appended to ``requests`` when given."""
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
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
    requests: list[str] = []
    page = open_page(
        browser, f"{fresh_server}/{path}?lang={lang}", f"{slug}_{lang}", requests
    )
    assert_healthy(page)
    title = page.locator("h1").first.inner_text()
    has_cjk = any("\u4e00" <= ch <= "\u9fff" for ch in title)
    assert has_cjk == (lang == "zh"), title
    if lang == "en":
        _assert_asks_no_other_host(page, fresh_server, requests)
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


TRAINING = [p for p in shell.available_pages() if p.tasks]


def _task_url(server: str, page_spec, lang: str, **extra: str) -> str:
    from urllib.parse import urlencode

    task = page_spec.tasks[0]
    params = {"lang": lang}
    if task.tab:
        params[f"{page_spec.prefix}_tab"] = task.tab
    params.update(extra)
    return f"{server}/{page_spec.slug}?{urlencode(params)}"


def _control_keys(page, prefix: str) -> list[str]:
    """Keys of the page's input widgets (not charts), from ``st-key-<key>`` classes."""
    classes = page.evaluate(
        """() => [...document.querySelectorAll("[class*='st-key-']")]
              .filter((el) => el.querySelector(
                  "input, [role='slider'], [role='combobox'], [role='radio']"))
              .flatMap((el) => [...el.classList])
              .filter((c) => c.startsWith('st-key-'))"""
    )
    keys = [c.removeprefix("st-key-") for c in classes]
    skip = ("_tab", "_preset", "_retrain", "_pin", "_download", "_pins")
    return [
        k
        for k in dict.fromkeys(keys)
        if k.startswith(prefix + "_") and not any(s in k for s in skip)
    ]


@pytest.mark.parametrize("spec", TRAINING, ids=lambda p: p.slug)
def test_classroom_tools_on_every_training_page(browser, fresh_server, spec):
    """Pin a run, compare, QR code, hidden/locked controls, a zh link read in en."""
    page = open_page(browser, _task_url(fresh_server, spec, "zh"), f"class_{spec.slug}")
    assert_healthy(page)
    # Pin this run -> the compare panel with a table and an overlay chart.
    page.get_by_role("button", name="固定这次运行").first.click()
    wait_for_run(page)
    page.get_by_text("已固定为第 1 次运行").first.wait_for(timeout=120_000)
    page.get_by_text("比较已固定的运行（1 次）").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / f"class_{spec.slug}_pinned.png"), full_page=True)
    # The QR code of the current link.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("教师工具").click()
    sidebar.get_by_role("button", name="把本页展示给全班").click()
    dialog = page.get_by_test_id("stDialog")
    dialog.locator("img").first.wait_for(timeout=30_000)
    link = dialog.locator("code").first.inner_text().replace("\n", "")
    assert f"/{spec.slug}?" in link and "lang=zh" in link
    page.screenshot(path=str(SHOTS / f"class_{spec.slug}_qr.png"))
    page.keyboard.press("Escape")
    keys = _control_keys(page, spec.prefix)
    assert len(keys) >= 2, keys
    page.close()
    # Hidden and locked controls, from the URL.
    hidden, locked = keys[0], keys[1]
    url = _task_url(fresh_server, spec, "en", hide=hidden, lock=locked)
    page = open_page(browser, url, f"class_{spec.slug}_hide_lock")
    assert page.locator(f".st-key-{hidden}").count() == 0
    box = page.locator(f".st-key-{locked}")
    assert box.count() == 1
    assert box.locator("[disabled], [aria-disabled='true']").count() >= 1
    assert page.get_by_text("Locked by the teacher").count() >= 1
    page.close()


def test_a_chinese_link_opens_the_same_setup_in_english(browser, fresh_server):
    url = f"{fresh_server}/playground?lang=zh&pg_dataset=xor&pg_lr=0.01&pg_num_layers=1"
    page = open_page(browser, url, "link_zh")
    dataset = page.locator(".st-key-pg_dataset")

    def shown() -> str:  # the select box's visible value (an input or a div)
        return dataset.evaluate("(el) => el.innerHTML")

    assert "异或" in shown()
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    wait_for_run(page)
    assert "XOR" in shown() and "异或" not in shown()
    query = page.evaluate("location.search")
    for part in ("pg_dataset=xor", "pg_lr=0.01", "pg_num_layers=1", "lang=en"):
        assert part in query, query
    page.close()


#: Each page on a phone in one language, alternately Chinese and English (the
#: 1400 px test draws every page in both).
PHONE = [(p.slug, ("zh", "en")[i % 2]) for i, p in enumerate(shell.available_pages())]


@pytest.mark.parametrize(("slug", "lang"), PHONE)
def test_every_page_fits_a_phone(browser, fresh_server, slug, lang):
    """390 px wide: no sideways scrolling, the sidebar starts closed, charts drawn."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    path = "" if slug == "home" else slug
    page.goto(f"{fresh_server}/{path}?lang={lang}", timeout=120_000)
    wait_for_run(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone_{slug}_{lang}.png"), full_page=True)
    assert_healthy(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1] + 1, widths  # nothing wider than the screen
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .length"""
    )
    assert too_wide == 0
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_attribute("aria-expanded") != "true"  # closed on arrival
    page.close()


# --- hostile links: no outside requests, multi-segment paths (issue 16) ---------------


def _local(url: str, server: str) -> bool:
    return url.startswith((f"{server}/", "data:", "blob:")) or url == server


def _assert_asks_no_other_host(page, server: str, requests: list[str]) -> None:
    """Favicon, icons, fonts, scripts: every request of a page load goes to the
    app (checked on every page's English load in test_every_page_renders)."""
    assert any(u.startswith(f"{server}/static/") for u in requests), requests
    outside = [u for u in requests if not _local(u, server)]
    assert not outside, outside
    icon = page.evaluate(
        "() => [...document.querySelectorAll(\"link[rel*='icon']\")].map(l => l.href)"
    )
    assert icon and all(_local(h, server) for h in icon), icon


@pytest.mark.parametrize(
    ("path", "expected", "title"),
    [
        ("/a/b", "/?lang=en", "Deep learning"),
        ("/pages/cnn.py?lang=zh", "/cnn?lang=zh", "卷积"),
        (
            "/playground/extra/?lang=en&pg_lr=0.01",
            "/playground?lang=en&pg_lr=0.01",
            "MLP",
        ),
    ],
)
def test_a_multi_segment_address_lands_on_its_page(
    browser, fresh_server, path, expected, title
):
    """Not a blank page (scripts resolved under ``/a/``): the page it names, or home."""
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.goto(f"{fresh_server}{path}", timeout=120_000)
    wait_for_run(page)
    assert page.evaluate("location.pathname + location.search") == expected
    assert title in page.locator("h1").first.inner_text()
    assert_healthy(page)
    page.close()
