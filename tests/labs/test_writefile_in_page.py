"""A step that wants a `%%writefile` cell "in its own cell" works in the page's one-cell editor.

The editor's runs go to one IPython kernel that keeps its state, so the learner runs the starter, then replaces
the text with the `%%writefile` cell and runs it, then replaces it with the code that submits the script. Here
that is lab 02's script-run step, run exactly so through the session the Labs page uses, and then checked.
"""

from __future__ import annotations

import pytest

from labs import api
from labs.spec import fill

LAB_ID = "02"  # the `lab` fixture (tests/labs/conftest.py) drives this lab

SCRIPT_CELL = '''%%writefile diabetes-script/explore.py
import os
import pandas as pd
from azureml.core import Run

run = Run.get_context()
df = pd.read_csv("diabetes.csv")
run.log("observations", len(df))
run.log("diabetic_rate", float((df["Diabetic"] == 1).mean()))
os.makedirs("outputs", exist_ok=True)
df.head(100).to_csv("outputs/sample.csv", index=False)
run.complete()
'''

SUBMIT_CELL = '''from azureml.core import Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
config = ScriptRunConfig(source_directory="diabetes-script", script="explore.py")
script_run = Experiment(workspace=ws, name="diabetes-script").submit(config)
script_run.wait_for_completion(show_output=True)
'''


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory):
    """This module's own DP100_HOME: lab 02's script-run step starts untouched here."""
    home = tmp_path_factory.mktemp("writefilehome")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.delenv("DP100_DATABASE_URL", raising=False)
        yield home


def test_the_starter_then_a_writefile_cell_then_the_submit_pass_the_step(lab):
    step = lab.lab.spec.step("script-run")
    assert "in a cell of its own" in step.starter  # the starter says how to do it in the page
    lab.run(fill(step.starter, lab.params))  # the editor's text as the step opens
    written = lab.run(SCRIPT_CELL)
    assert "Writing diabetes-script/explore.py" in written.stdout
    assert (api.prepare(LAB_ID).folder / "diabetes-script" / "explore.py").exists()
    assert not lab.check("script-run").passed  # written but not submitted yet
    lab.run(SUBMIT_CELL)
    report = lab.check("script-run")
    assert report.passed, report.message


def test_a_writefile_line_below_other_code_says_to_give_it_its_own_cell(lab, lab_home):
    result = lab.run('print("first")\n%%writefile diabetes-script/late.py\nprint(1)\n', ok=False)
    assert "first" in result.stdout  # IPython ran the code above it ...
    assert not (api.prepare(LAB_ID).folder / "diabetes-script" / "late.py").exists()  # ... but wrote nothing
    assert result.message == ("%%writefile is a cell magic: it works only as the first line of a cell of its own. "
                              "Run the code above it first, then replace the editor's text with the %%writefile "
                              "cell and run that.")
