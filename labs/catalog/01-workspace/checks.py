"""Checks of lab 01 (set up a workspace). They look the workspace up by the names the lab gives."""

from __future__ import annotations

from labs import checklib, grading
from labs.grading import failed, needs, passed

RESOURCE_GROUP = "rg-dp100-lab01"
WORKSPACE = "mlw-dp100-lab01"
INSTANCE = "ci-dp100-lab01"
INSTANCE_SIZE = "STANDARD_DS11_V2"
TEAMMATE = "ana@contoso.com"
ROLE = "AzureML Data Scientist"
SECRET, SECRET_VALUE = "sql-password", "Pa55w.rd-lab01"
# The ids get_details() lists for a new workspace, and the record's field for each.
CREATED_WITH = {"storageAccount": "storage_account", "keyVault": "key_vault",
                "applicationInsights": "application_insights"}
REGISTRY_KEY = "containerRegistry"  # absent until the workspace's first image build
RESOURCE_KEYS = [*CREATED_WITH, REGISTRY_KEY]


def _workspace():
    return checklib.find_workspace(RESOURCE_GROUP, WORKSPACE)


def workspace_exists():
    record = _workspace()
    if record is None:
        from sim.cloud import workspaces

        others = [f"{w.resource_group}/{w.name}" for w in workspaces.list_workspaces()]
        return failed(f"There is no workspace '{WORKSPACE}' in resource group '{RESOURCE_GROUP}' yet. Create it "
                      "with Workspace.create(..., create_resource_group=True).",
                      expected=f"{RESOURCE_GROUP}/{WORKSPACE}", found=others or "no workspaces",
                      pt=f"Ainda não existe o workspace '{WORKSPACE}' no grupo de recursos '{RESOURCE_GROUP}'. "
                      "Crie-o com Workspace.create(..., create_resource_group=True).")
    return passed(f"Workspace '{WORKSPACE}' exists.", pt=f"O workspace '{WORKSPACE}' existe.")


@needs("workspace_exists")
def workspace_region_and_sku():
    record = _workspace()
    if record is None:
        return failed("The workspace's region and edition cannot be checked before the workspace exists.",
                      pt="A região e a edição do workspace só podem ser verificadas depois que o workspace existir.")
    if (record.location, record.sku.lower()) != ("eastus", "basic"):
        return failed("The workspace is in the wrong region or edition. A workspace's region cannot be changed: "
                      "delete it (ws.delete()) and create it again.",
                      expected="eastus / basic", found=f"{record.location} / {record.sku}",
                      pt="O workspace está na região ou na edição errada. A região de um workspace não pode ser "
                      "alterada: exclua-o (ws.delete()) e crie-o de novo.")
    return passed("The workspace is a basic workspace in eastus.",
                  pt="O workspace é da edição basic e fica em eastus.")


def resources_file_present(folder):
    doc = checklib.read_json(folder / "resources.json")
    if not isinstance(doc, dict):
        return failed("resources.json is missing from the lab folder (or is not a JSON object). Save the "
                      "resource ids from ws.get_details() there.",
                      pt="O resources.json não está na pasta do laboratório (ou não é um objeto JSON). Salve nele "
                      "os ids de recurso que ws.get_details() devolve.")
    missing = sorted(set(RESOURCE_KEYS) - set(doc))
    if missing:
        return failed("resources.json lacks some associated resources.", expected=sorted(RESOURCE_KEYS),
                      found=sorted(doc), pt="Faltam alguns recursos associados no resources.json.")
    return passed("resources.json has the four keys of the associated resources.",
                  pt="O resources.json tem as quatro chaves dos recursos associados.")


@needs("resources_file_present")
def resources_match_workspace(folder):
    record = _workspace()
    doc = checklib.read_json(folder / "resources.json") or {}
    if record is None:
        return failed("resources.json cannot be compared with a workspace that does not exist.",
                      pt="Não dá para comparar o resources.json com um workspace que não existe.")
    wrong = {key: doc.get(key) for key, attr in CREATED_WITH.items() if doc.get(key) != getattr(record, attr)}
    if wrong:
        return failed("Some ids in resources.json are not this workspace's resources: copy them from "
                      "ws.get_details() rather than typing them.",
                      expected={k: getattr(record, CREATED_WITH[k]) for k in wrong}, found=wrong,
                      pt="Alguns ids no resources.json não são dos recursos deste workspace: copie-os de "
                      "ws.get_details() em vez de digitá-los.")
    return _registry_matches(record, doc.get(REGISTRY_KEY))


def _registry_matches(record, saved):
    # None is right for a workspace with no image built yet; the registry's id once a build has made one.
    if saved is not None and saved != (record.container_registry or None):
        return failed("resources.json names a container registry the workspace does not have. A new workspace "
                      "gets its registry at its first image build, so get_details() has no containerRegistry "
                      "yet: save details.get(\"containerRegistry\") (None, null in JSON).",
                      expected=record.container_registry or None, found=saved,
                      pt="O resources.json indica um registro de contêiner que o workspace não tem. Um workspace "
                      "novo ganha o registro na primeira construção de imagem, então get_details() ainda não tem "
                      "containerRegistry: salve details.get(\"containerRegistry\") (None, null no JSON).")
    return passed("The ids are those of the workspace's storage account, key vault and insights, and the "
                  "registry is the workspace's (none before its first image build).",
                  pt="Os ids são os da conta de armazenamento, do key vault e do Application Insights do workspace, "
                  "e o registro é o do workspace (nenhum antes da primeira construção de imagem).")


def config_file_present(folder):
    if grading.read_config(folder) is None:
        return failed("There is no workspace config file in the lab folder (ws.write_config(path='.') writes "
                      ".azureml/config.json), or it does not name a subscription, resource group and workspace.",
                      pt="Não há arquivo de configuração do workspace na pasta do laboratório "
                      "(ws.write_config(path='.') grava .azureml/config.json), ou ele não indica uma assinatura, "
                      "um grupo de recursos e um workspace.")
    return passed("The lab folder has a workspace config file.",
                  pt="A pasta do laboratório tem um arquivo de configuração do workspace.")


@needs("config_file_present")
def config_names_lab_workspace(folder):
    names = grading.read_config(folder) or ("?", "?", "?")
    if names[1:] != (RESOURCE_GROUP, WORKSPACE) or _workspace() is None:
        return failed("The config file does not point at this lab's workspace.",
                      expected=f"{RESOURCE_GROUP}/{WORKSPACE}", found="/".join(names[1:]),
                      pt="O arquivo de configuração não aponta para o workspace deste laboratório.")
    return passed("The config file connects to the lab's workspace.",
                  pt="O arquivo de configuração conecta ao workspace do laboratório.")


def _instance():
    record = _workspace()
    if record is None:
        return None
    from sim.cloud import compute

    try:
        return compute.get(record, INSTANCE)
    except Exception:  # noqa: BLE001 - absent compute raises the SDK's not-found error
        return None


def compute_instance_exists():
    target = _instance()
    if target is None:
        return failed(f"There is no compute target named '{INSTANCE}' in the workspace. Create it with "
                      "ComputeTarget.create(ws, name, ComputeInstance.provisioning_configuration(...)).",
                      pt=f"Não há nenhum destino de computação chamado '{INSTANCE}' no workspace. Crie-o com "
                      "ComputeTarget.create(ws, name, ComputeInstance.provisioning_configuration(...)).")
    if target.type != "ComputeInstance":
        return failed(f"'{INSTANCE}' exists but is not a compute instance: a cluster (AmlCompute) is for "
                      "training jobs, an instance is a personal development machine.",
                      expected="ComputeInstance", found=target.type,
                      pt=f"'{INSTANCE}' existe, mas não é uma instância de computação: um cluster (AmlCompute) serve "
                      "para jobs de treinamento, e uma instância de computação é uma máquina de desenvolvimento "
                      "pessoal.")
    if target.provisioning_state != "Succeeded":
        return failed(f"'{INSTANCE}' is still being created; wait with wait_for_completion(show_output=True).",
                      expected="Succeeded", found=target.provisioning_state,
                      pt=f"'{INSTANCE}' ainda está sendo criada; espere com wait_for_completion(show_output=True).")
    return passed(f"Compute instance '{INSTANCE}' is ready.", pt=f"A instância de computação '{INSTANCE}' está pronta.")


@needs("compute_instance_exists")
def compute_instance_size():
    target = _instance()
    size = getattr(target, "vm_size", None)
    if target is None or str(size).upper() != INSTANCE_SIZE:
        return failed("The compute instance does not have the requested size.", expected=INSTANCE_SIZE, found=size,
                      pt="A instância de computação não tem o tamanho pedido.")
    return passed(f"The instance is a {INSTANCE_SIZE}.", pt=f"A instância de computação é uma {INSTANCE_SIZE}.")


def _roles_of_teammate():
    record = _workspace()
    if record is None:
        return None
    from sim.cloud import access

    return [a["roleDefinitionName"] for a in access.list_role_assignments(record, TEAMMATE)]


def teammate_has_data_scientist_role():
    roles = _roles_of_teammate()
    if not roles or ROLE not in roles:
        return failed(f"{TEAMMATE} has no '{ROLE}' role assignment on the workspace. Create it with "
                      "az role assignment create.", expected=ROLE, found=roles or "no roles",
                      pt=f"{TEAMMATE} não tem uma atribuição do papel '{ROLE}' no workspace. Crie-a com "
                      "az role assignment create.")
    return passed(f"{TEAMMATE} holds '{ROLE}' on the workspace.", pt=f"{TEAMMATE} tem o papel '{ROLE}' no workspace.")


def teammate_not_over_privileged():
    roles = _roles_of_teammate() or []
    broad = sorted(set(roles) & {"Owner", "Contributor", "AzureML Compute Operator"})
    if not roles:
        return failed(f"{TEAMMATE} has no roles on the workspace at all; least privilege still means some access.",
                      pt=f"{TEAMMATE} não tem papel nenhum no workspace; privilégio mínimo ainda significa algum "
                      "acesso.")
    if broad:
        return failed(f"{TEAMMATE} also holds {', '.join(broad)}, which lets her change the workspace or its "
                      "compute. Remove it with az role assignment delete.", expected=[ROLE], found=roles,
                      pt=f"{TEAMMATE} também tem {', '.join(broad)}, o que a deixa alterar o workspace ou a "
                      "computação dele. Remova essa atribuição com az role assignment delete.")
    return passed(f"{TEAMMATE} has no broader role than she needs.",
                  pt=f"{TEAMMATE} não tem nenhum papel mais amplo do que precisa.")


def _secret():
    record = _workspace()
    if record is None:
        return None
    from sim.cloud import keyvault

    if not keyvault.secret_exists(record, SECRET):
        return None
    return keyvault.get_secret(record, SECRET)


def secret_exists():
    if _secret() is None:
        return failed(f"The workspace's key vault has no secret named '{SECRET}'. Store it with "
                      "ws.get_default_keyvault().set_secret(name=..., value=...).",
                      pt=f"O key vault do workspace não tem um segredo chamado '{SECRET}'. Guarde-o com "
                      "ws.get_default_keyvault().set_secret(name=..., value=...).")
    return passed(f"The key vault holds '{SECRET}'.", pt=f"O key vault guarda o segredo '{SECRET}'.")


@needs("secret_exists")
def secret_value_right():
    value = _secret()
    if value != SECRET_VALUE:
        return failed(f"The secret '{SECRET}' does not hold the value the lab asked for; set it again (a new "
                      "value replaces the old one).", expected="the value from the instructions",
                      found="no secret" if value is None else "a different value",
                      pt=f"O segredo '{SECRET}' não tem o valor que o laboratório pediu; defina-o de novo (o valor "
                      "novo substitui o antigo).")
    return passed("The secret holds the right value.", pt="O segredo tem o valor certo.")


def workspaces(params):
    """The workspaces this lab creates (deleted when the lab is reset)."""
    return [(RESOURCE_GROUP, WORKSPACE)]
