"""The app shell: navigation, language, runtime panel, bad URL parameters."""

from conftest import exceptions

from ui import shell


def test_navigation_lists_only_existing_pages(app_test):
    at = app_test()
    assert not exceptions(at), exceptions(at)
    pages = shell.available_pages()
    assert "playground" in {p.slug for p in pages}
    for spec in pages:
        assert (shell.PAGES_DIR / f"{spec.slug}.py").exists()


def test_language_follows_browser_locale_then_url(app_test):
    assert app_test(locale="zh-CN").session_state["_lang"] == "zh"
    assert app_test(locale="en-US").session_state["_lang"] == "en"
    assert app_test(locale="zh-CN", lang="en").session_state["_lang"] == "en"


def test_language_switch_keeps_page_and_settings_and_rides_in_the_url(app_test):
    at = app_test("playground", lang="zh")
    assert at.query_params.get("lang") == "zh"
    at.slider(key="pg_noise").set_value(0.2).run()
    at.button_group(key="lang").set_value("en").run()
    assert at.query_params.get("lang") == "en"
    assert at.title[0].value == "MLP playground"  # same page, now in English
    assert at.slider(key="pg_noise").value == 0.2  # settings kept


def test_bad_language_parameter_gets_a_message_not_a_traceback(app_test):
    at = app_test(lang="klingon")
    assert not exceptions(at)
    assert at.session_state["_lang"] == "en"
    assert any("klingon" in toast.value for toast in at.toast)


def test_runtime_panel_shows_versions_and_device(app_test):
    import time

    at = app_test()
    for _ in range(120):  # TensorFlow loads in a background thread
        text = " ".join(md.value for md in at.markdown)
        if "CPU" in text or "GPU" in text:
            break
        assert "loading" in text  # the sidebar never blocks on the import
        time.sleep(1)
        at.run()
    assert "TensorFlow" in text and ("CPU" in text or "GPU" in text)


def test_deep_link_page_run_directly_installs_navigation(app_test):
    # AppTest runs pages/ files under legacy routing, as a fresh server does.
    at = app_test("playground", lang="zh")
    assert not exceptions(at), exceptions(at)
    assert at.title[0].value == "多层感知机游乐场"
