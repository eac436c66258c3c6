"""A lab cell's outputs of every kind, drawn by ui.widgets.cell_output the way a notebook shows them."""

from __future__ import annotations

import base64
import io

import pytest
from streamlit.testing.v1 import AppTest

STDOUT = {"type": "stream", "name": "stdout", "text": "epochs: 3\naccuracy: 0.91\n"}
STDERR = {"type": "stream", "name": "stderr", "text": "UserWarning: deprecated\n"}
BLANK = {"type": "stream", "name": "stdout", "text": "\n\n"}
ERROR = {"type": "error", "ename": "KeyError", "evalue": "'Age'",
         "traceback": ["Traceback (most recent call last):", "  Cell In[3], line 1", "KeyError: 'Age'"]}


def _png() -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _script(outputs, message, restarted):
    from labs.kernel import CellResult
    from ui.widgets.cell_output import show_outputs

    show_outputs(CellResult(status="error" if message else "ok", outputs=outputs, message=message,
                            restarted=restarted, seconds=1.25))


def render(outputs, message="", restarted=False) -> AppTest:
    at = AppTest.from_function(_script, args=(outputs, message, restarted), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def test_streams_stdout_as_code_stderr_as_warning_blank_lines_dropped():
    at = render([STDOUT, STDERR, BLANK])
    assert [c.value for c in at.code] == ["epochs: 3\naccuracy: 0.91"]
    assert [w.value for w in at.warning] == ["UserWarning: deprecated"]
    assert "1.2" in at.caption[-1].value or "1.3" in at.caption[-1].value


def test_an_error_shows_its_name_value_and_traceback():
    at = render([STDOUT, ERROR])
    assert at.error[0].value == "KeyError: 'Age'"
    assert len(at.expander) == 1
    assert at.expander[0].code[0].value == "\n".join(ERROR["traceback"])


def test_a_dataframe_arrives_as_html_and_markdown_as_markdown():
    import pandas as pd

    frame = pd.DataFrame({"Age": [21, 35], "BMI": [22.5, 31.0]})
    at = render([{"type": "display", "data": {"text/html": frame.to_html(), "text/plain": str(frame)}},
                 {"type": "display", "data": {"text/markdown": "**Done** training"}}])
    html = at.get("html")
    assert len(html) == 1 and "<table" in html[0].proto.body and "31.0" in html[0].proto.body
    assert at.markdown[0].value == "**Done** training"
    assert not at.code  # the plain-text twin of the table is not shown a second time


def test_images_png_and_jpeg_are_drawn():
    at = render([{"type": "display", "data": {"image/png": _png(), "text/plain": "<Figure>"}},
                 {"type": "display", "data": {"image/jpeg": _png()}}])
    assert len(at.get("image")) == 2
    assert not at.code


def test_json_and_plain_text_and_unknown_kinds():
    at = render([{"type": "display", "data": {"application/json": {"accuracy": 0.91}, "text/plain": "<JSON>"}},
                 {"type": "display", "data": {"text/plain": "Run(Experiment: diabetes)"}},
                 {"type": "display", "data": {"application/vnd.widget+json": {"id": 1}}}])
    assert at.json[0].value == '{"accuracy": 0.91}'
    assert [c.value for c in at.code] == ["Run(Experiment: diabetes)"]
    assert at.caption[0].value == "application/vnd.widget+json"


@pytest.mark.parametrize("restarted", [False, True])
def test_a_limit_message_and_a_restart_are_reported(restarted):
    at = render([STDOUT], message="The cell ran out of time after 60 s.", restarted=restarted)
    assert at.error[0].value == "The cell ran out of time after 60 s."
    assert len(at.info) == (1 if restarted else 0)


def test_no_outputs_only_the_time():
    at = render([])
    assert not at.code and not at.error and not at.warning and len(at.caption) == 1


def _checks_script():
    from types import SimpleNamespace as NS

    from ui.widgets.cell_output import show_checks

    def check(name, passed, broken=False, hint="", note="", error=""):
        return NS(name=name, passed=passed, broken=broken, hint=hint, note=note, error=error, expected=None,
                  found=None, not_run=False, message_in=lambda lang, n=name: f"{n} message")

    results = [check("ok", True), check("ws", False, hint="Call Workspace.from_config()", note="no-such-note#x"),
               check("again", False, note="no-such-note#x"), check("crash", False, broken=True, error="ZeroDivision")]
    show_checks(NS(passed=False, results=results, step_id="s1", message_in=lambda lang: "2 checks failed"))


def test_a_failed_step_shows_hints_broken_checks_and_one_link_per_note():
    at = AppTest.from_function(_checks_script, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.error[0].value == "2 checks failed"
    assert [i.value for i in at.info] == ["Call Workspace.from_config()"]
    assert [c.value for c in at.code] == ["ZeroDivision"] and len(at.warning) == 1
    assert len(at.button) == 1 and "no-such-note#x" in at.button[0].label  # an unknown note shows its reference
