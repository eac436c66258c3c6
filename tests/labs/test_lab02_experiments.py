"""Lab 02: run experiments."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

START = ('import pandas as pd\nfrom azureml.core import Experiment, Workspace\nws = Workspace.from_config()\n'
         'df = pd.read_csv("data/diabetes.csv")\nrun = Experiment(ws, "diabetes-explore").start_logging()\n')


LAB_ID = "02"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_forgetting_complete_leaves_the_run_running(lab):
    lab.run(START + 'run.log("observations", len(df))')
    assert "call run.complete()" in lab.failure("inline-run")


def test_mistake_hard_coded_metric_is_caught(lab):
    lab.run(START + 'run.log("observations", 768)\nrun.complete()')
    assert "not a number typed by hand" in lab.failure("inline-run")


def test_mistake_label_counts_in_the_wrong_order(lab):
    lab.run(START + 'run.log("observations", len(df))\n'
            'counts = df["Diabetic"].value_counts().sort_index(ascending=False)\n'
            'run.log_list("label_counts", list(counts.values))\nrun.complete()')
    assert "wrong order" in lab.failure("inline-run")


def test_mistake_mlflow_script_logging_elsewhere(lab):
    lab.run('from azureml.core import ScriptRunConfig\n'
            'open("diabetes-script/mlflow_explore.py", "w").write("""\n'
            'import mlflow, pandas as pd\n'
            'mlflow.set_tracking_uri("sqlite:///elsewhere.db")\n'
            'df = pd.read_csv("diabetes.csv")\n'
            'with mlflow.start_run():\n'
            '    mlflow.log_metric("diabetic_rate", float(df["Diabetic"].mean()))\n'
            '""")\n'
            'r = Experiment(ws, "mlflow-diabetes-script").submit(ScriptRunConfig(source_directory="diabetes-script",'
            ' script="mlflow_explore.py"))\nr.wait_for_completion(raise_on_error=False)')
    assert "sets its own tracking URI" in lab.failure("mlflow-script")


def test_any_route_passes_a_script_run_from_the_terminal(lab):
    # The learner may work outside the app: `python -m sim run` in the lab folder is graded the same way.
    import subprocess
    import sys

    from labs.kernel import kernel_env

    folder = lab.open().folder
    (folder / "inline_from_terminal.py").write_text(lab.lab.spec.step("inline-run").solution)
    done = subprocess.run([sys.executable, "-m", "sim", "run", "inline_from_terminal.py"], cwd=folder,
                          env=kernel_env({"MPLBACKEND": "Agg"}), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert lab.check("inline-run").passed


def test_mistake_mlflow_run_elsewhere_or_in_default_names_its_own_cause(lab):
    lab.reset()
    connect = 'import mlflow\nfrom azureml.core import Workspace\nws = Workspace.from_config()\n'
    log = 'with mlflow.start_run():\n    mlflow.log_metric("observations", 10)\n'
    # A tracking URI that is not the workspace's: nothing reaches it, so the URI is the cause.
    lab.run(connect + 'mlflow.set_tracking_uri("sqlite:///elsewhere.db")\nmlflow.set_experiment("mlflow-diabetes")\n'
            + log)
    message = lab.failure("mlflow-notebook")
    assert "no run of yours reached the workspace" in message and "Set the tracking URI" in message
    # The workspace's URI but no experiment chosen (in a new kernel, as MLflow remembers the experiment it was
    # given): the run lands in 'Default', and the URI is not blamed.
    lab.close()
    lab.run(connect + 'mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())\n' + log)
    message = lab.failure("mlflow-notebook")
    assert "went into the experiment 'Default'" in message and "mlflow.set_experiment('mlflow-diabetes')" in message
    assert "The tracking URI is right" in message
