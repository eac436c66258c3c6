"""Checks of lab 09 (workspace and developer tools, SDK and CLI v2): compute made with the CLI, what the
learner read through MLClient compared with the service, and an instance stopped."""

from __future__ import annotations

from labs import checklib
from labs.grading import failed, needs, passed

CLUSTER, SIZE = "aml-cluster", "STANDARD_DS11_V2"
DETAIL_KEYS = ("location", "storage_account", "key_vault", "application_insights", "mlflow_tracking_uri")
# How SDK v2 and CLI v2 name the service's compute types.
V2_TYPES = {"AmlCompute": "amlcompute", "ComputeInstance": "computeinstance"}


def params(rng):
    """The attempt's compute instance name (instance names are unique in a region)."""
    return {"instance": f"ci-lab09-{rng.randrange(16 ** 5):05x}"}


def _compute(record, name):
    from sim.cloud import compute

    return compute.find(record, name)


def instance_created(record, params):
    name = params["instance"]
    target = _compute(record, name)
    if target is None:
        return failed(f"The workspace has no compute named '{name}'. Create it with az ml compute create --name "
                      f"{name} --type ComputeInstance ...",
                      pt=f"O workspace não tem computação chamada '{name}'. Crie-a com az ml compute create --name "
                         f"{name} --type ComputeInstance ...")
    if target.type != "ComputeInstance":
        return failed(f"'{name}' is a {target.type}; this step asks for a compute instance (--type ComputeInstance).",
                      expected="ComputeInstance", found=target.type,
                      pt=f"'{name}' é um {target.type}; este passo pede uma instância de computação "
                         "(--type ComputeInstance).")
    return passed(f"Compute instance '{name}' exists.", pt=f"A instância de computação '{name}' existe.")


@needs("instance_created")
def instance_size(record, params):
    target = _compute(record, params["instance"])
    size = getattr(target, "vm_size", None)
    if str(size).upper() != SIZE:
        return failed(f"The compute instance is not a {SIZE} (--size).", expected=SIZE, found=size,
                      pt=f"A instância de computação não é uma {SIZE} (--size).")
    return passed(f"The instance is a {SIZE}.", pt=f"A instância é uma {SIZE}.")


def cluster_created(record):
    target = _compute(record, CLUSTER)
    if target is None:
        return failed(f"There is no compute named '{CLUSTER}' yet. Create it with az ml compute create --name "
                      f"{CLUSTER} --type AmlCompute ...",
                      pt=f"Ainda não existe computação chamada '{CLUSTER}'. Crie-a com az ml compute create --name "
                         f"{CLUSTER} --type AmlCompute ...")
    if target.type != "AmlCompute":
        return failed(f"'{CLUSTER}' is a {target.type}, not a compute cluster (--type AmlCompute).",
                      expected="AmlCompute", found=target.type,
                      pt=f"'{CLUSTER}' é um {target.type}, não um cluster de computação (--type AmlCompute).")
    return passed(f"Cluster '{CLUSTER}' exists.", pt=f"O cluster '{CLUSTER}' existe.")


@needs("cluster_created")
def cluster_scale(record):
    target = _compute(record, CLUSTER)
    found = {"size": getattr(target, "vm_size", None), "min_instances": getattr(target, "min_nodes", None),
             "max_instances": getattr(target, "max_nodes", None)}
    expected = {"size": SIZE, "min_instances": 0, "max_instances": 2}
    if str(found["size"]).upper() != SIZE or found["min_instances"] != 0 or found["max_instances"] != 2:
        return failed("The cluster is not sized as asked: STANDARD_DS11_V2 nodes, --min-instances 0 (nothing to pay "
                      "when idle) and --max-instances 2.", expected=expected, found=found,
                      pt="O cluster não está dimensionado como pedido: nós STANDARD_DS11_V2, --min-instances 0 (nada "
                         "a pagar quando ocioso) e --max-instances 2.")
    return passed("The cluster scales between 0 and 2 STANDARD_DS11_V2 nodes.",
                  pt="O cluster escala entre 0 e 2 nós STANDARD_DS11_V2.")


def computes_file_present(folder):
    doc = checklib.read_json(folder / "computes.json")
    if not isinstance(doc, dict) or not doc or not all(isinstance(v, str) for v in doc.values()):
        return failed("computes.json is missing from the lab folder, or is not a JSON object from compute names "
                      "to types.",
                      pt="O computes.json não está na pasta do laboratório, ou não é um objeto JSON de nomes de "
                         "computação para tipos.")
    return passed("computes.json maps compute names to types.",
                  pt="O computes.json associa nomes de computação a tipos.")


@needs("computes_file_present")
def computes_match_workspace(folder, record):
    from sim.cloud import compute

    doc = checklib.read_json(folder / "computes.json")
    listed = {str(k): str(v).lower() for k, v in doc.items()} if isinstance(doc, dict) else {}
    actual = {c.name: V2_TYPES.get(c.type, c.type.lower()) for c in compute.list_computes(record)}
    if not actual or listed != actual:
        return failed("computes.json does not list the workspace's compute as ml_client.compute.list() reports it "
                      "(every name, each with its type).", expected=actual or "the instance and the cluster",
                      found=listed or None,
                      pt="O computes.json não lista a computação do workspace como ml_client.compute.list() informa "
                         "(todos os nomes, cada um com o seu tipo).")
    return passed("computes.json lists the workspace's compute.", pt="O computes.json lista a computação do workspace.")


def details_file_present(folder):
    doc = checklib.read_json(folder / "workspace-details.json")
    missing = sorted(set(DETAIL_KEYS) - set(doc)) if isinstance(doc, dict) else list(DETAIL_KEYS)
    if missing:
        return failed("workspace-details.json is missing, or lacks some of the keys asked for.",
                      expected=list(DETAIL_KEYS), found=sorted(doc) if isinstance(doc, dict) else None,
                      pt="O workspace-details.json não existe, ou faltam nele algumas das chaves pedidas.")
    return passed("workspace-details.json has the five keys.", pt="O workspace-details.json tem as cinco chaves.")


def _true_details(record) -> dict:
    from sim.rest.workspaces import mlflow_tracking_uri

    return {"location": record.location, "storage_account": record.storage_account, "key_vault": record.key_vault,
            "application_insights": record.application_insights, "mlflow_tracking_uri": mlflow_tracking_uri(record)}


@needs("details_file_present")
def details_match_workspace(folder, record):
    doc = checklib.read_json(folder / "workspace-details.json")
    doc = doc if isinstance(doc, dict) else {}
    true = _true_details(record)
    wrong = {key: doc.get(key) for key in DETAIL_KEYS if doc.get(key) != true[key]}
    if wrong:
        return failed("Some values in workspace-details.json are not this workspace's: copy them from the Workspace "
                      "object that ml_client.workspaces.get returns.", expected={k: true[k] for k in wrong},
                      found=wrong,
                      pt="Alguns valores no workspace-details.json não são deste workspace: copie-os do objeto "
                         "Workspace que ml_client.workspaces.get devolve.")
    return passed("The details are those of the workspace.", pt="Os detalhes são os do workspace.")


def instance_stopped(record, params):
    name = params["instance"]
    target = _compute(record, name)
    if target is None or target.type != "ComputeInstance":
        return failed(f"There is no compute instance '{name}' to stop (stop it; deleting it loses your files).",
                      pt=f"Não há a instância de computação '{name}' para parar (pare-a; excluí-la perde seus "
                         "arquivos).")
    if target.state != "Stopped":
        return failed(f"'{name}' is {target.state}; stop it with ml_client.compute.begin_stop('{name}').result().",
                      expected="Stopped", found=target.state,
                      pt=f"'{name}' está {target.state}; pare-a com ml_client.compute.begin_stop('{name}').result().")
    return passed(f"'{name}' is stopped.", pt=f"'{name}' está parada.")
