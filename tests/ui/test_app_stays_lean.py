"""The app's own process never loads the SDK v2 client (it costs ~1.5 s); lab kernels do."""

from __future__ import annotations

import subprocess
import sys

from tests.ui.conftest import ROOT

PROBE = """
import sys
from streamlit.testing.v1 import AppTest
for page in ("home_page.py", "studio_page.py", "labs_page.py"):
    AppTest.from_file("ui/pages/" + page, default_timeout=60).run()
print(sorted(m for m in sys.modules if m == "azure.ai.ml" or m.startswith("azure.ai.ml.")))
"""


def test_first_paint_and_the_studio_do_not_import_azure_ai_ml():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
