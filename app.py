"""Entry point: ``streamlit run app.py``. Sets up the shell and runs the chosen page.

The module is also the server's ASGI app: ``streamlit run`` finds the
``st.App`` below (Streamlit 1.67's supported hook for middleware) and serves
it, so a multi-segment address (``/a/b``, ``/pages/cnn.py``) is redirected to
its page instead of a blank page (see :class:`ui.shell.OnePathSegment`).
Streamlit runs this file as ``__main__`` for every page view.
"""

import streamlit as st
from starlette.middleware import Middleware

from ui import shell

app = st.App("app.py", middleware=[Middleware(shell.OnePathSegment)])

if __name__ == "__main__":
    shell.navigation().run()
