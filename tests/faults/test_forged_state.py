"""Probes of forged state: a lab cell that writes the simulator's state itself, calls `sim.cloud` privately, or
inserts progress rows, must not make a check pass (issue 12's "faked results pass grading").

They run as a learner's kernel runs once the simulated Azure is its own service: DP100_SERVICE=process and
DP100_SANDBOX_HIDE_HOME=1, so the kernel sees DP100_HOME as an empty folder (plus its lab folder) and reaches
Azure only through the service. Each probe asserts a figure: how many of the checks it targets pass (0), and
what the learner sees in the cell. They need bubblewrap (the walls), as this machine kind has.
"""

from __future__ import annotations

import pytest

from labs import api
from labs.sandbox import isolation
from labs.spec import get_lab
from tests.labs.labkit import LabDriver

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(autouse=True)
def service_mode(monkeypatch, dp100_home):
    """Kernels of these probes hide the home and reach the simulated Azure through its service only."""
    assert isolation().bwrap, f"these probes need bubblewrap's walls: {isolation().summary()}"
    monkeypatch.setenv("DP100_SERVICE", "process")
    monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", "1")
    yield
    api.close_all()


def _passing(driver: LabDriver) -> list[str]:
    """The names of the checks of every step of the lab that pass now."""
    return [r.name for step in driver.lab.spec.steps for r in driver.check(step.id).results if r.passed]


def test_json_and_sqlite_writes_of_workspace_state_pass_no_check_of_lab_01(dp100_home):
    from sim.cloud.workspaces import _workspace_dir

    driver = LabDriver("01")
    folder = _workspace_dir(SUBSCRIPTION, "rg-dp100-lab01", "mlw-dp100-lab01")
    record = {"subscription_id": SUBSCRIPTION, "resource_group": "rg-dp100-lab01", "name": "mlw-dp100-lab01",
              "location": "eastus", "sku": "basic", "folder": str(folder), "workspace_id": "forged"}
    cell = (f"import json, os, sqlite3\nfolder = {str(folder)!r}\n"
            "os.makedirs(os.path.join(folder, 'keyvault'), exist_ok=True)\n"
            f"json.dump({record!r}, open(os.path.join(folder, 'workspace.json'), 'w'))\n"
            "db = sqlite3.connect(os.path.join(folder, 'state.db'))\n"
            "db.execute('CREATE TABLE IF NOT EXISTS computes (name TEXT, type TEXT, vm_size TEXT)')\n"
            "db.execute(\"INSERT INTO computes VALUES ('ci-dp100-lab01', 'ComputeInstance', 'STANDARD_DS11_V2')\")\n"
            "db.execute('CREATE TABLE IF NOT EXISTS role_assignments (principal TEXT, role TEXT)')\n"
            "db.execute(\"INSERT INTO role_assignments VALUES ('ana@contoso.com', 'AzureML Data Scientist')\")\n"
            "db.commit()\n"
            "open(os.path.join(folder, 'keyvault', 'sql-password'), 'w').write('Pa55w.rd-lab01')\n"
            "print('written', sorted(os.listdir(folder)))")
    shown = driver.run(cell).text()
    # The learner sees the writes succeed - in the sandbox's own empty view of the home, which nothing else reads.
    assert "written ['keyvault', 'state.db', 'workspace.json']" in shown
    assert not folder.exists(), "the forged workspace folder reached the real DP100_HOME"
    passing = _passing(driver)
    total = sum(len(step.checks) for step in driver.lab.spec.steps)
    print(f"lab 01 checks passing after forged workspace.json, state.db rows and key-vault file: "
          f"{len(passing)} of {total}")
    assert passing == [], f"forged files passed {len(passing)} check(s) of lab 01: {passing}"
    assert "There is no workspace 'mlw-dp100-lab01'" in driver.failure("create-workspace")


def test_private_sim_cloud_calls_cannot_record_a_completed_script_run(dp100_home):
    driver = LabDriver("02")
    cell = ("from azureml.core import Workspace\nimport sim.service, sim.cloud.runs.lifecycle as lifecycle\n"
            "from sim.cloud.runs import state\nws = Workspace.from_config()\nseen = []\n"
            "try:\n    lifecycle.start(ws._record, 'diabetes-script', state.SCRIPT, state.COMPLETED)\n"
            "except Exception as exc:\n    seen.append(('direct', type(exc).__name__))\n"
            "for name, args in (('start', ('diabetes-script', state.SCRIPT, state.COMPLETED)),\n"
            "                   ('move', ('no-such-run', state.COMPLETED)),\n"
            "                   ('finish', ('no-such-run', 'Completed'))):\n"
            "    try:\n        sim.service.call('sim.cloud.runs.lifecycle', name, ws._record, *args)\n"
            "    except Exception as exc:\n"
            "        seen.append((name, type(exc).__name__, getattr(exc, 'status', None)))\n"
            "print(seen)")
    seen = driver.run(cell).text()
    assert "('direct', 'StateNotHere')" in seen, seen  # the kernel cannot open the state itself
    for name in ("start", "move", "finish"):  # and the service refuses to record a run's state on request
        assert f"('{name}', 'CallRefused', 403)" in seen, seen
    # The narrow operation the service offers makes an interactive run only: the script-run step still fails.
    driver.run("from azureml.core import Experiment\nimport pandas as pd\ndf = pd.read_csv('data/diabetes.csv')\n"
               "run = Experiment(ws, 'diabetes-script').start_logging()\nrun.log('observations', len(df))\n"
               "run.log('diabetic_rate', float((df['Diabetic'] == 1).mean()))\nrun.complete()")
    report = driver.check("script-run")
    assert not report.passed, "an interactive run with the right metrics passed the script-run step"
    print(f"script-run checks passing after the forgeries: {sum(r.passed for r in report.results)} of "
          f"{len(report.results)}")


def test_passed_rows_inserted_into_progress_db_from_a_cell_show_nowhere(dp100_home):
    driver = LabDriver("01")
    steps = len(get_lab("07").spec.steps)
    assert next(c for c in api.list_labs() if c["id"] == "07")["passed"] == 0
    assert (dp100_home / "progress.db").is_file(), "the probe needs the learner's record to exist on the host"
    cell = ("import sqlite3, os, datetime\n"
            f"db = sqlite3.connect({str(dp100_home / 'progress.db')!r})\n"
            "try:\n"
            f"    for n in range({steps}):\n"
            "        db.execute('INSERT INTO lab_step_results (lab_id, step_id, passed, message, hints_used, '\n"
            "                   'solution_shown, checked_at) VALUES (?, ?, 1, \"\", 0, 0, ?)',\n"
            "                   ('07', f'step-{n}', datetime.datetime.now().isoformat()))\n"
            "    db.commit()\n    print('inserted')\n"
            "except Exception as exc:\n    print('refused:', type(exc).__name__, exc)")
    shown = driver.run(cell).text()
    assert "refused: OperationalError no such table: lab_step_results" in shown, shown
    card = next(c for c in api.list_labs() if c["id"] == "07")
    print(f"lab 07 after {steps} passed rows forged from a cell: {card['passed']}/{card['steps']} steps")
    assert card["passed"] == 0, f"lab 07 shows {card['passed']}/{card['steps']} after rows forged from a cell"
