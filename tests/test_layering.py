"""dlcore stays UI-free: importing every module never imports streamlit."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_dlcore_never_imports_streamlit():
    code = (
        "import importlib, pkgutil, sys, dlcore\n"
        "for m in pkgutil.walk_packages(dlcore.__path__, 'dlcore.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] == 'streamlit')\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=300)


def test_pages_are_thin():
    for page in (ROOT / "pages").glob("*.py"):
        lines = page.read_text(encoding="utf-8").splitlines()
        assert len(lines) <= 250, (
            f"{page.name} has {len(lines)} lines; move logic to dlcore"
        )
        assert any("shell.page(" in line for line in lines[:15]), (
            f"{page.name} must call shell.page(...) first "
            "(deep links on a fresh server)"
        )
