"""The app's page list; `app.py` hands it to `st.navigation` and runs the chosen page.

Page files end in `_page.py`: Streamlit puts a page's folder on sys.path, and `progress.py` would shadow
the `progress` package.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).parent / "pages"

# (file, title, icon, is the default page)
PAGES = [
    ("home_page.py", "Home", ":material/home:", True),
    ("study_page.py", "Study", ":material/menu_book:", False),
    ("quiz_page.py", "Quiz", ":material/quiz:", False),
    ("labs_page.py", "Labs", ":material/science:", False),
    ("studio_page.py", "Studio", ":material/cloud:", False),
    ("progress_page.py", "Progress", ":material/insights:", False),
    ("settings_page.py", "Settings", ":material/settings:", False),
]


def pages() -> list:
    """The st.Page objects of the app, in menu order, titled in the learner's language."""
    from ui import startup
    from ui.i18n import t

    startup.once()
    return [
        st.Page(str(PAGES_DIR / file), title=t(f"nav.{file.removesuffix('_page.py')}"), icon=icon,
                default=default, url_path=file.removesuffix("_page.py"))
        for file, _title, icon, default in PAGES
    ]
