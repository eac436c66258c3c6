"""Lab 19: batch inference with ParallelRunStep (SDK v1)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "19"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
ONE_NODE = '''
one_node = ParallelRunConfig(source_directory="batch_pipeline", entry_script="batch_diabetes.py",
                             mini_batch_size="5", error_threshold=10, output_action="append_row",
                             environment=Environment.get(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu"),
                             compute_target="batch-cluster", node_count=1, process_count_per_node=2)
step = ParallelRunStep(name="batch-score-diabetes", parallel_run_config=one_node,
                       inputs=[batch_data.as_named_input("diabetes_batch")],
                       output=OutputFileDatasetConfig(name="inferences"))
Experiment(ws, "mslearn-diabetes-batch").submit(Pipeline(workspace=ws, steps=[step])).wait_for_completion()
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_one_node_is_named(lab):
    lab.solve(upto="batch-run", through=False)
    lab.run("from azureml.core import Environment, Experiment, Workspace\n"
            "from azureml.data import OutputFileDatasetConfig\nfrom azureml.pipeline.core import Pipeline\n"
            "from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep\nimport os\n"
            "ws = Workspace.from_config()\nbatch_data = ws.datasets.get('batch-data')\n")
    lab.run(_entry_script_lines() + ONE_NODE)
    assert "differs from what the lab asks in: --process_count" in lab.failure("batch-run")


def _entry_script_lines() -> str:
    """The solution's lines that write the entry script (the script is not what this mistake is about)."""
    from labs.spec import get_lab

    solution = get_lab(LAB_ID).spec.steps[0].solution
    start = solution.index('os.makedirs("batch_pipeline"')
    return solution[start:solution.index("parallel_run_config = ")]


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)
