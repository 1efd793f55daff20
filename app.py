"""Entry point: ``streamlit run app.py``. Sets up the shell and runs the chosen page."""

from ui import shell

shell.navigation().run()
