"""Checks of lab 11 (compute and environments, SDK v2): the cluster's settings, registered environments, and
command jobs the service ran: where, in which environment, and how they ended."""

from __future__ import annotations

from labs import checklib_v2
from labs.grading import failed, needs, passed

CLUSTER, SIZE = "aml-cluster", "STANDARD_DS11_V2"
CURATED, IMAGE_ONLY, CUSTOM = "AzureML-sklearn-1.5", "image-only", "diabetes-env"
SCRIPT = "train.py"
NEEDED = ("pandas", "scikit-learn")


# ---- the cluster ---------------------------------------------------------------------------------------

def _cluster(record):
    from sim.cloud import compute

    return compute.find(record, CLUSTER)


def cluster_exists(record):
    cluster = _cluster(record)
    if cluster is None:
        return failed(f"There is no compute named '{CLUSTER}'. In the except branch, create an AmlCompute and pass it "
                      "to ml_client.compute.begin_create_or_update(...).result().",
                      pt=f"Não existe computação chamada '{CLUSTER}'. No ramo except, crie um AmlCompute e passe-o "
                         "para ml_client.compute.begin_create_or_update(...).result().")
    if cluster.type != "AmlCompute":
        return failed(f"'{CLUSTER}' is a {cluster.type}, not a compute cluster (AmlCompute).",
                      expected="AmlCompute", found=cluster.type,
                      pt=f"'{CLUSTER}' é um {cluster.type}, não um cluster de computação (AmlCompute).")
    return passed(f"Cluster '{CLUSTER}' exists.", pt=f"O cluster '{CLUSTER}' existe.")


@needs("cluster_exists")
def cluster_settings(record):
    cluster = _cluster(record)
    found = {"size": getattr(cluster, "vm_size", None), "min_instances": getattr(cluster, "min_nodes", None),
             "idle_time_before_scale_down": getattr(cluster, "idle_seconds_before_scaledown", None),
             "tier": getattr(cluster, "vm_priority", None)}
    expected = {"size": SIZE, "min_instances": 0, "idle_time_before_scale_down": 120, "tier": "dedicated"}
    if cluster is None or {**found, "size": str(found["size"]).upper()} != expected:
        return failed("The cluster's settings are not those asked for: STANDARD_DS11_V2 nodes, min_instances=0, "
                      "idle_time_before_scale_down=120 and the Dedicated tier.", expected=expected, found=found,
                      pt="As configurações do cluster não são as pedidas: nós STANDARD_DS11_V2, min_instances=0, "
                         "idle_time_before_scale_down=120 e a camada Dedicated.")
    return passed("The cluster has the asked-for size, minimum, idle time and tier.",
                  pt="O cluster tem o tamanho, o mínimo, o tempo ocioso e a camada pedidos.")


def cluster_scaled(record):
    cluster = _cluster(record)
    found = getattr(cluster, "max_nodes", None)
    if found != 2:
        return failed("The cluster cannot grow to 2 nodes yet: send AmlCompute(name='aml-cluster', max_instances=2) "
                      "to ml_client.begin_create_or_update and wait.", expected=2, found=found,
                      pt="O cluster ainda não pode crescer até 2 nós: envie AmlCompute(name='aml-cluster', "
                         "max_instances=2) para ml_client.begin_create_or_update e espere.")
    return passed("The cluster scales up to 2 nodes.", pt="O cluster escala até 2 nós.")


# ---- environments --------------------------------------------------------------------------------------

def _environment(record, name):
    """The newest registered version of a workspace environment (curated ones excluded), or None."""
    from sim.cloud.environments import assets

    try:
        found = assets.latest_version(record, name)
    except Exception:  # noqa: BLE001 - not registered (the service's not-found error)
        return None
    return None if found.get("curated") else found


def _image(version) -> str:
    return str(((version or {}).get("definition") or {}).get("docker", {}).get("baseImage") or "")


def _packages(version) -> list[str]:
    from sim.cloud.environments import packages

    return packages.declared_packages((version or {}).get("definition") or {})


def image_only_registered(record):
    env = _environment(record, IMAGE_ONLY)
    if env is None:
        return failed(f"No environment named '{IMAGE_ONLY}' is registered. Create Environment(name='{IMAGE_ONLY}', "
                      "image=...) with ml_client.environments.create_or_update.",
                      pt=f"Nenhum ambiente chamado '{IMAGE_ONLY}' está registrado. Crie Environment("
                         f"name='{IMAGE_ONLY}', image=...) com ml_client.environments.create_or_update.")
    if not _image(env) or _packages(env):
        return failed(f"'{IMAGE_ONLY}' should be a base image and nothing else (no conda file).",
                      expected={"image": "mcr.microsoft.com/azureml/...", "packages": []},
                      found={"image": _image(env) or None, "packages": _packages(env)},
                      pt=f"'{IMAGE_ONLY}' deveria ser uma imagem base e nada mais (sem arquivo conda).")
    return passed(f"'{IMAGE_ONLY}' is a bare image.", pt=f"'{IMAGE_ONLY}' é uma imagem sem pacotes.")


def custom_env_registered(record):
    env = _environment(record, CUSTOM)
    if env is None:
        return failed(f"No environment named '{CUSTOM}' is registered yet.",
                      pt=f"Nenhum ambiente chamado '{CUSTOM}' está registrado ainda.")
    if not _image(env):
        return failed(f"'{CUSTOM}' has no base image: give Environment both image= and conda_file=.",
                      pt=f"'{CUSTOM}' não tem imagem base: passe ao Environment tanto image= quanto conda_file=.")
    return passed(f"'{CUSTOM}' is registered on a base image.", pt=f"'{CUSTOM}' está registrado sobre uma imagem base.")


@needs("custom_env_registered")
def custom_env_packages(record):
    declared = _packages(_environment(record, CUSTOM))
    missing = [p for p in NEEDED if p not in declared]
    if missing:
        return failed(f"'{CUSTOM}' does not install what train.py imports; its conda file lacks "
                      f"{', '.join(missing)}.", expected=list(NEEDED), found=declared,
                      pt=f"'{CUSTOM}' não instala o que o train.py importa; faltam no arquivo conda dele: "
                         f"{', '.join(missing)}.")
    return passed(f"'{CUSTOM}' installs pandas and scikit-learn.", pt=f"'{CUSTOM}' instala pandas e scikit-learn.")


# ---- jobs ----------------------------------------------------------------------------------------------

def _jobs_in(record, environment: str) -> list[dict]:
    """Command jobs the service ran with train.py in an environment (any version), newest first."""
    return [j for j in checklib_v2.command_jobs(record) if j["environment_name"] == environment
            and SCRIPT in j["command"]]


def _completed(record, environment):
    return next((j for j in _jobs_in(record, environment) if j["status"] == "Completed"), None)


def _job_completed(record, environment, label, label_pt):
    jobs = _jobs_in(record, environment)
    if not jobs:
        return failed(f"No command job running {SCRIPT} in '{environment}' has been submitted ({label}).",
                      pt=f"Nenhum job de comando que rode {SCRIPT} em '{environment}' foi enviado ({label_pt}).")
    if _completed(record, environment) is None:
        return failed(f"No job in '{environment}' completed; read the latest one's log with ml_client.jobs.stream.",
                      expected="Completed", found=jobs[0]["status"],
                      pt=f"Nenhum job em '{environment}' foi concluído; leia o log do mais recente com "
                         "ml_client.jobs.stream.")
    return passed(f"A job in '{environment}' completed.", pt=f"Um job em '{environment}' foi concluído.")


def _job_on_cluster(record, environment):
    job = _completed(record, environment)
    compute = job["compute"] if job else None
    if compute != CLUSTER:
        return failed(f"The completed job in '{environment}' did not run on '{CLUSTER}': pass compute='{CLUSTER}' to "
                      "command().", expected=CLUSTER, found=compute,
                      pt=f"O job concluído em '{environment}' não rodou no '{CLUSTER}': passe compute='{CLUSTER}' a "
                         "command().")
    return passed(f"It ran on '{CLUSTER}'.", pt=f"Ele rodou no '{CLUSTER}'.")


def curated_job_completed(record):
    return _job_completed(record, CURATED, f"environment='{CURATED}@latest'", f"environment='{CURATED}@latest'")


@needs("curated_job_completed")
def curated_job_on_cluster(record):
    return _job_on_cluster(record, CURATED)


@needs("image_only_registered")
def image_only_job_failed(record):
    jobs = _jobs_in(record, IMAGE_ONLY)
    failed_job = next((j for j in jobs if j["status"] == "Failed"), None)
    if failed_job is None:
        return failed(f"No job in '{IMAGE_ONLY}' has failed yet: run {SCRIPT} in it on the cluster and follow it "
                      "to the end.", expected="Failed", found=jobs[0]["status"] if jobs else None,
                      pt=f"Nenhum job em '{IMAGE_ONLY}' falhou ainda: execute {SCRIPT} nele no cluster e acompanhe-o "
                         "até o fim.")
    if "pandas" not in failed_job["error"]:
        return failed(f"The job in '{IMAGE_ONLY}' failed, but not for the missing package this step is about.",
                      expected="No module named 'pandas'", found=failed_job["error"],
                      pt=f"O job em '{IMAGE_ONLY}' falhou, mas não pelo pacote ausente de que trata este passo.")
    return passed("The job failed because the image has no pandas, as expected.",
                  pt="O job falhou porque a imagem não tem pandas, como esperado.")


def custom_job_completed(record):
    return _job_completed(record, CUSTOM, f"environment='{CUSTOM}@latest'", f"environment='{CUSTOM}@latest'")


@needs("custom_job_completed")
def custom_job_on_cluster(record):
    return _job_on_cluster(record, CUSTOM)
