"""Checks of lab 18 (create and publish a pipeline, SDK v1): the pipeline runs of the experiment as the service ran
them (their steps, the compute, the data one step handed the next, which steps were reused and from where), the
published pipeline and the runs its endpoint started, and the schedule."""

from __future__ import annotations

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT = "mslearn-diabetes-pipeline"
PREP, TRAIN = "Prepare Data", "Train Model"
CLUSTER = "pipeline-cluster"
PUBLISHED = "diabetes-training-pipeline"
SCHEDULE = {"name": "weekly-diabetes-training", "experiment": EXPERIMENT, "frequency": "Week", "interval": 1,
            "week_days": ["Monday"], "time_of_day": "00:00"}
IS_REUSED, REUSED_RUN, PIPELINE_ID = "azureml.isreused", "azureml.reusedrunid", "azureml.pipelineid"


# ---- what the service holds ----------------------------------------------------------------------------

def _runs(record) -> list[dict]:
    """The experiment's pipeline runs, oldest first: {id, status, created, force, properties, steps: {node: ...}},
    each step {spec: its plan node, job: its step run}; a step's node is its name (made unique)."""
    from sim.cloud import pipelines
    from sim.cloud.runs import state

    found = []
    for row in reversed(pipelines.list_jobs(record)):
        if row["experiment"] != EXPERIMENT:
            continue
        row = pipelines.get(record, row["run_id"])
        plan = row["definition"]["plan"]
        steps = {node: {"spec": spec, "job": state.get(record, spec["run_id"]) or {}}
                 for node, spec in plan["nodes"].items()}
        found.append({"id": row["run_id"], "status": row["status"], "created": row["created"],
                      "force": bool(plan["settings"].get("force_rerun")), "steps": steps,
                      "properties": row.get("properties") or {}})
    return found


def _two_step(run: dict) -> bool:
    return set(run["steps"]) == {PREP, TRAIN}


def _completed(record) -> list[dict]:
    return [r for r in _runs(record) if r["status"] == "Completed" and _two_step(r)]


def _reused(step: dict) -> bool:
    return (step["job"].get("properties") or {}).get(IS_REUSED) == "true"


def _worker(record, step: dict) -> str:
    """The run that did a step's work: its own, or the one it was reused from."""
    from sim.cloud.pipelines import _nodes

    return _nodes.effective_run(record, step["spec"]["run_id"])


# ---- step 1: the pipeline -------------------------------------------------------------------------------

def pipeline_run_completed(record):
    runs = _runs(record)
    if not runs:
        return failed(f"The experiment '{EXPERIMENT}' has no pipeline run yet.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem execução de pipeline.")
    if not _completed(record):
        last = runs[-1]
        return failed(f"No pipeline run with exactly the steps '{PREP}' and '{TRAIN}' completed; open the failed "
                      "step's run and read its logs.", expected={"steps": [PREP, TRAIN], "status": "Completed"},
                      found={"steps": sorted(last["steps"]), "status": last["status"]},
                      pt=f"Nenhuma execução de pipeline com exatamente as etapas '{PREP}' e '{TRAIN}' foi concluída; "
                         "abra a execução da etapa que falhou e leia os logs.")
    return passed(f"A pipeline run of '{PREP}' and '{TRAIN}' completed.",
                  pt=f"Uma execução de pipeline de '{PREP}' e '{TRAIN}' foi concluída.")


@needs("pipeline_run_completed")
def steps_ran_on_the_cluster(record):
    targets = [{name: step["spec"]["compute"] for name, step in run["steps"].items()} for run in _completed(record)]
    if not any(set(t.values()) == {CLUSTER} for t in targets):
        return failed(f"Both steps should run on the cluster '{CLUSTER}'.", expected={PREP: CLUSTER, TRAIN: CLUSTER},
                      found=targets[-1] if targets else None,
                      pt=f"As duas etapas deveriam ser executadas no cluster '{CLUSTER}'.")
    return passed(f"Both steps ran on '{CLUSTER}'.", pt=f"As duas etapas foram executadas no '{CLUSTER}'.")


def _handed_over(record, run: dict) -> tuple[bool, dict]:
    """(True, evidence) when the training step waited for the preparation step, whose output it reads, and
    trained on exactly the rows the preparation step kept."""
    prep, train = run["steps"][PREP], run["steps"][TRAIN]
    depends = PREP in train["spec"]["after"]
    kept = checklib.scalar(checklib.metrics(record, _worker(record, prep)).get("processed_rows"))
    trained = checklib.scalar(checklib.metrics(record, _worker(record, train)).get("training_rows"))
    evidence = {"train_step_waits_for_prep": depends, "processed_rows": kept, "training_rows": trained}
    return depends and kept is not None and kept == trained, evidence


@needs("pipeline_run_completed")
def training_read_prepared_data(record):
    evidence = {}
    for run in _completed(record):
        ok, evidence = _handed_over(record, run)
        if ok:
            return passed(f"'{TRAIN}' trained on the {evidence['training_rows']:.0f} rows '{PREP}' wrote.",
                          pt=f"'{TRAIN}' treinou com as {evidence['training_rows']:.0f} linhas que '{PREP}' "
                             "escreveu.")
    return failed(f"'{TRAIN}' did not read what '{PREP}' wrote: pass prepped_data to the first step and "
                  "prepped_data.as_input() to the second.", found=evidence,
                  pt=f"'{TRAIN}' não leu o que '{PREP}' escreveu: passe prepped_data à primeira etapa e "
                     "prepped_data.as_input() à segunda.")


# ---- step 2: reuse --------------------------------------------------------------------------------------

def _reused_from_earlier(run: dict, earlier: list[dict]) -> bool:
    """Every step of the run was reused from a step run of an earlier pipeline run."""
    done = {step["spec"]["run_id"] for other in earlier for step in other["steps"].values()}
    return all(_reused(s) and (s["job"].get("properties") or {}).get(REUSED_RUN) in done
               for s in run["steps"].values())


def _first_reused(record) -> dict | None:
    runs = _completed(record)
    return next((r for i, r in enumerate(runs) if _reused_from_earlier(r, runs[:i])), None)


def unchanged_steps_reused(record):
    if _first_reused(record) is None:
        return failed("No run of the pipeline has reused both steps from an earlier run yet.",
                      hint="Submit the same pipeline again without regenerate_outputs=True.",
                      pt="Nenhuma execução do pipeline reutilizou ainda as duas etapas de uma execução anterior.")
    return passed("A second run reused both steps: nothing they depend on had changed.",
                  pt="Uma segunda execução reutilizou as duas etapas: nada de que elas dependem tinha mudado.")


def regenerate_outputs_ran_every_step(record):
    reused = _first_reused(record)
    later = [r for r in _completed(record) if reused and r["created"] > reused["created"] and r["force"]]
    if not any(not any(_reused(s) for s in r["steps"].values()) for r in later):
        return failed("After the run that reused its steps, no run submitted with regenerate_outputs=True ran "
                      "both steps again.", pt="Depois da execução que reutilizou as etapas, nenhuma execução enviada "
                                              "com regenerate_outputs=True executou as duas etapas de novo.")
    return passed("With regenerate_outputs=True both steps ran again.",
                  pt="Com regenerate_outputs=True as duas etapas foram executadas de novo.")


# ---- step 3: publish ------------------------------------------------------------------------------------

def _published(record) -> list[dict]:
    from sim.cloud.pipelines import published

    return [p for p in published.list_published(record) if p["name"] == PUBLISHED
            and sorted(s["name"] for s in p["steps"]) == sorted([PREP, TRAIN])]


def pipeline_published(record):
    if not _published(record):
        return failed(f"No active published pipeline named '{PUBLISHED}' with the steps '{PREP}' and '{TRAIN}'.",
                      hint="pipeline_run.publish_pipeline(name=..., description=..., version='1.0')",
                      pt=f"Nenhum pipeline publicado ativo chamado '{PUBLISHED}' com as etapas '{PREP}' e '{TRAIN}'.")
    return passed(f"'{PUBLISHED}' is published.", pt=f"'{PUBLISHED}' está publicado.")


def endpoint_started_a_run(record):
    ids = {p["id"] for p in _published(record)}
    started = [r for r in _runs(record) if r["properties"].get(PIPELINE_ID) in ids]
    if not any(r["status"] == "Completed" for r in started):
        return failed(f"No run of '{PUBLISHED}' started through its endpoint has completed in '{EXPERIMENT}'.",
                      expected="Completed", found=[r["status"] for r in started] or None,
                      hint='requests.post(published_pipeline.endpoint, headers=auth_header, '
                           'json={"ExperimentName": "mslearn-diabetes-pipeline"})',
                      pt=f"Nenhuma execução de '{PUBLISHED}' iniciada pelo endpoint foi concluída em '{EXPERIMENT}'.")
    return passed("The published pipeline's endpoint started a run that completed.",
                  pt="O endpoint do pipeline publicado iniciou uma execução que foi concluída.")


# ---- step 4: schedule -----------------------------------------------------------------------------------

def _schedule_facts(item: dict) -> dict:
    recurrence = item.get("recurrence") or {}
    return {"name": item["name"], "experiment": item["experiment_name"], "frequency": recurrence.get("frequency"),
            "interval": int(recurrence.get("interval") or 1), "week_days": recurrence.get("week_days"),
            "time_of_day": recurrence.get("time_of_day")}


def weekly_schedule(record):
    from sim.cloud.pipelines import schedules

    ids = {p["id"] for p in _published(record)}
    found = [_schedule_facts(s) for s in schedules.list_schedules(record) if s["pipeline_id"] in ids]
    if SCHEDULE not in found:
        return failed(f"No active schedule runs '{PUBLISHED}' every Monday at 00:00 in '{EXPERIMENT}'.",
                      expected=SCHEDULE, found=found or None,
                      pt=f"Nenhum agendamento ativo executa '{PUBLISHED}' toda segunda-feira às 00:00 em "
                         f"'{EXPERIMENT}'.")
    return passed(f"'{SCHEDULE['name']}' runs the published pipeline every week.",
                  pt=f"'{SCHEDULE['name']}' executa o pipeline publicado toda semana.")
