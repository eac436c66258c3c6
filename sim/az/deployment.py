"""`az group ...` and `az deployment group create` with ARM templates that create Azure ML workspaces.

A small ARM template engine: it reads `parameters` (defaults, `--parameters` values and files),
`variables`, and evaluates the template functions learners meet in Azure ML quickstart templates
(parameters, variables, resourceGroup, subscription, concat, format, toLower, toUpper, uniqueString,
guid, resourceId). Workspaces (`Microsoft.MachineLearningServices/workspaces`) and their compute
(`.../workspaces/computes`) are created in the simulated cloud; the associated storage, key vault,
Application Insights and registry resources are accepted (the workspace brings its own).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sim import messages
from sim.az import _state
from sim.az._cli import AzError, command, group
from sim.cloud import workspaces as cloud_workspaces

WORKSPACE_TYPE = "microsoft.machinelearningservices/workspaces"
COMPUTE_TYPE = "microsoft.machinelearningservices/workspaces/computes"
ACCEPTED_TYPES = {"microsoft.storage/storageaccounts", "microsoft.keyvault/vaults",
                  "microsoft.insights/components", "microsoft.containerregistry/registries"}


def register(subparsers) -> None:
    """Add the `group` and `deployment` command groups."""
    groups = group(subparsers, "group", "Manage resource groups.")
    defaults = _state.defaults()  # `az configure --defaults location=... group=...` fill these in
    parser = command(groups, "create", group_create, "Create a new resource group.")
    parser.add_argument("--name", "--resource-group", "-n", "-g", dest="name", required=True, help="Name.")
    parser.add_argument("--location", "-l", default=defaults.get("location"),
                        required="location" not in defaults, help="Location.")
    command(groups, "list", group_list, "List resource groups.")
    parser = command(groups, "show", group_show, "Get a resource group.")
    parser.add_argument("--name", "--resource-group", "-n", "-g", dest="name", default=defaults.get("group"),
                        required="group" not in defaults, help="Name.")
    deployment = group(subparsers, "deployment", "Manage Azure Resource Manager template deployments.")
    rg = group(deployment, "group", "Manage deployments at resource group scope.")
    parser = command(rg, "create", deployment_group_create, "Start a deployment at resource group scope.")
    parser.add_argument("--resource-group", "-g", required=True, help="Resource group name.")
    parser.add_argument("--template-file", "-f", required=True, help="Path to the ARM template (JSON).")
    parser.add_argument("--parameters", "-p", nargs="+", action="extend", default=[],
                        help="key=value pairs or @file.json with parameter values.")
    parser.add_argument("--name", "-n", help="Deployment name (default: the template file's name).")
    parser.add_argument("--mode", choices=["Incremental", "Complete"], default="Incremental", help="Mode.")


def _subscription(args) -> str:
    return args.subscription or cloud_workspaces.DEFAULT_SUBSCRIPTION_ID


def _resource_group(args, name: str) -> dict:
    found = cloud_workspaces.get_resource_group(_subscription(args), name)
    if found is None:
        raise AzError(messages.AZ_RESOURCE_GROUP_NOT_FOUND.format(name=name))
    return found


def group_create(args):
    """az group create -n NAME -l LOCATION."""
    return cloud_workspaces.create_resource_group(_subscription(args), args.name, args.location)


def group_list(args):
    """az group list."""
    return cloud_workspaces.list_resource_groups(_subscription(args))


def group_show(args):
    """az group show -n NAME."""
    return _resource_group(args, args.name)


# ---- templates ---------------------------------------------------------------------------------------

def _load_template(path: str) -> dict:
    file = Path(path).expanduser()
    if not file.is_file():
        raise AzError(messages.AZ_TEMPLATE_NOT_FOUND.format(path=path))
    try:
        template = json.loads(file.read_text())
    except ValueError as exc:
        raise AzError(messages.AZ_TEMPLATE_INVALID.format(path=path, problem=f"not JSON: {exc}")) from exc
    if not isinstance(template, dict) or not isinstance(template.get("resources"), list):
        raise AzError(messages.AZ_TEMPLATE_INVALID.format(path=path, problem="it has no 'resources' list"))
    return template


def _parameter_values(raw: list[str]) -> dict:
    values: dict = {}
    for item in raw:
        if item.startswith("@"):
            data = json.loads(Path(item[1:]).expanduser().read_text())
            params = data.get("parameters", data)
            values.update({k: v.get("value") if isinstance(v, dict) else v for k, v in params.items()})
        elif "=" in item:
            key, _, value = item.partition("=")
            values[key] = value
        else:
            raise AzError(messages.AZ_PARAMETER_VALUE_INVALID.format(item=item))
    return values


class _Evaluator:
    """Evaluates ARM template expressions (`[...]` strings) against one deployment's context."""

    _TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][\w]*)|(?P<sym>[(),.\[\]]))")

    def __init__(self, template: dict, values: dict, group: dict, subscription_id: str):
        self.template, self.group, self.subscription_id = template, group, subscription_id
        self.parameters = self._resolve_parameters(template.get("parameters", {}), values)
        self.variables_raw = template.get("variables", {})

    def _resolve_parameters(self, declared: dict, values: dict) -> dict:
        unknown = set(values) - set(declared)
        if unknown:
            raise AzError(messages.ARM_UNKNOWN_PARAMETERS.format(names=sorted(unknown)))
        resolved = {}
        for name, spec in declared.items():
            if name in values:
                resolved[name] = _coerce(values[name], spec.get("type", "string"))
            elif "defaultValue" in spec:
                resolved[name] = spec["defaultValue"]
            else:
                raise AzError(messages.ARM_PARAMETER_MISSING.format(name=name))
            allowed = spec.get("allowedValues")
            if allowed and resolved[name] not in allowed:
                raise AzError(messages.ARM_PARAMETER_NOT_ALLOWED.format(value=resolved[name], name=name,
                                                                       allowed=allowed))
        for name, value in resolved.items():
            resolved[name] = self.value(value)
        return resolved

    def value(self, node):
        """Evaluate every expression inside a JSON node."""
        if isinstance(node, dict):
            return {k: self.value(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if isinstance(node, str) and node.startswith("[") and node.endswith("]") and not node.startswith("[["):
            return self._expression(node[1:-1])
        return node

    def _expression(self, text: str):
        tokens = list(self._TOKEN.finditer(text))
        if "".join(m.group(0) for m in tokens).strip() != text.strip():
            raise AzError(messages.ARM_EXPRESSION_INVALID.format(text=text, problem=""))
        return _Expression(self, [(m.lastgroup, m.group(m.lastgroup)) for m in tokens], text).parse_all()

    def variable(self, name):
        if name not in self.variables_raw:
            raise AzError(messages.ARM_VARIABLE_MISSING.format(name=name))
        return self.value(self.variables_raw[name])


class _Expression:
    """One expression being parsed (its own token cursor, so nested evaluations do not interfere)."""

    def __init__(self, evaluator: _Evaluator, tokens: list, text: str):
        self.ev, self.tokens, self.pos, self.text = evaluator, tokens, 0, text

    def parse_all(self):
        result = self._parse()
        if self.pos != len(self.tokens):
            raise self._invalid("unexpected text")
        return result

    def _invalid(self, problem: str) -> AzError:
        return AzError(messages.ARM_EXPRESSION_INVALID.format(text=self.text, problem=f": {problem}"))

    def _next(self):
        if self.pos >= len(self.tokens):
            raise self._invalid("it ends too early")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def _parse(self):
        kind, text = self._next()
        if kind == "str":
            value = text[1:-1].replace("''", "'")
        elif kind == "num":
            value = int(text)
        elif kind == "name":
            value = self._call(text)
        else:
            raise self._invalid(f"unexpected '{text}'")
        return self._members(value)

    def _members(self, value):
        while self._peek()[1] in (".", "["):
            _, symbol = self._next()
            if symbol == ".":
                value = value[self._next()[1]]
            else:
                value = value[self._parse()]
                self._next()
        return value

    def _call(self, name: str):
        if self._next()[1] != "(":
            raise self._invalid(f"'{name}' must be followed by '('")
        args = []
        while self._peek()[1] != ")":
            args.append(self._parse())
            if self._peek()[1] == ",":
                self._next()
        self._next()
        function = _FUNCTIONS.get(name.lower())
        if function is None:
            raise AzError(messages.ARM_FUNCTION_UNSUPPORTED.format(name=name))
        return function(self.ev, *args)


def _coerce(value, declared_type: str):
    if isinstance(value, str) and declared_type.lower() == "int":
        return int(value)
    if isinstance(value, str) and declared_type.lower() == "bool":
        return value.lower() == "true"
    return value


def _unique_string(*parts) -> str:
    digest = hashlib.sha256("-".join(map(str, parts)).encode()).hexdigest()
    return "".join(chr(ord("a") + int(digest[i:i + 2], 16) % 26) for i in range(0, 26, 2))


def _parameter(ev, name):
    if name not in ev.parameters:
        raise AzError(messages.ARM_PARAMETER_UNKNOWN.format(name=name))
    return ev.parameters[name]


def _resource_group_object(ev):
    return {"id": ev.group["id"], "name": ev.group["name"], "location": ev.group["location"],
            "properties": {"provisioningState": "Succeeded"}}


def _resource_id(ev, *parts):
    resource_type, names = parts[0], parts[1:]
    provider, *types = resource_type.split("/")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=False))
    return f"{ev.group['id']}/providers/{provider}/{path}"


_FUNCTIONS = {
    "parameters": _parameter,
    "variables": lambda ev, name: ev.variable(name),
    "resourcegroup": _resource_group_object,
    "subscription": lambda ev: {"id": f"/subscriptions/{ev.subscription_id}", "subscriptionId": ev.subscription_id},
    "concat": lambda ev, *a: "".join(map(str, a)) if all(not isinstance(x, list) for x in a) else sum(a, []),
    "format": lambda ev, fmt, *a: re.sub(r"\{(\d+)\}", lambda m: str(a[int(m.group(1))]), fmt),
    "tolower": lambda ev, s: str(s).lower(),
    "toupper": lambda ev, s: str(s).upper(),
    "uniquestring": lambda ev, *a: _unique_string(*a),
    "guid": lambda ev, *a: str(uuid.uuid5(uuid.NAMESPACE_URL, "-".join(map(str, a)))),
    "resourceid": _resource_id,
    "substring": lambda ev, s, start, length=None: s[start:] if length is None else s[start:start + length],
}


# ---- deploying ---------------------------------------------------------------------------------------

def deployment_group_create(args):
    """az deployment group create -g RG --template-file FILE [--parameters ...]."""
    started = time.monotonic()
    subscription_id = _subscription(args)
    rg = _resource_group(args, args.resource_group)
    template = _load_template(args.template_file)
    ev = _Evaluator(template, _parameter_values(args.parameters), rg, subscription_id)
    resources = [ev.value(r) for r in template["resources"]]
    _check_types(resources)
    ordered = sorted(resources, key=lambda r: _rank(r["type"]))
    output_ids = [_deploy(resource, rg, subscription_id) for resource in ordered]
    name = args.name or Path(args.template_file).stem
    return _deployment_result(name, rg, ev, output_ids, template, time.monotonic() - started, args.mode)


def _check_types(resources: list[dict]) -> None:
    for resource in resources:
        kind = str(resource.get("type", "")).lower()
        if kind not in ACCEPTED_TYPES | {WORKSPACE_TYPE, COMPUTE_TYPE}:
            raise AzError(messages.ARM_RESOURCE_UNSUPPORTED.format(type=resource.get("type")))


def _rank(resource_type: str) -> int:
    kind = resource_type.lower()
    return 2 if kind == COMPUTE_TYPE else 1 if kind == WORKSPACE_TYPE else 0


def _deploy(resource: dict, rg: dict, subscription_id: str) -> str:
    kind = resource["type"].lower()
    if kind == WORKSPACE_TYPE:
        return _deploy_workspace(resource, rg, subscription_id)
    if kind == COMPUTE_TYPE:
        return _deploy_compute(resource, rg, subscription_id)
    provider, _, rest = resource["type"].partition("/")
    return f"{rg['id']}/providers/{provider}/{rest}/{resource['name']}"


def _deploy_workspace(resource: dict, rg: dict, subscription_id: str) -> str:
    props = resource.get("properties") or {}
    sku = (resource.get("sku") or {}).get("name", "basic")
    record = cloud_workspaces.create(
        subscription_id, rg["name"], resource["name"], location=resource.get("location") or rg["location"],
        sku=sku.lower(), exist_ok=True, friendly_name=props.get("friendlyName"), tags=resource.get("tags"),
        description=props.get("description", ""), hbi_workspace=bool(props.get("hbiWorkspace", False)))
    return record.arm_id


def _deploy_compute(resource: dict, rg: dict, subscription_id: str) -> str:
    from sim.cloud import compute

    workspace_name, _, compute_name = resource["name"].partition("/")
    record = cloud_workspaces.get(subscription_id, rg["name"], workspace_name)
    props = (resource.get("properties") or {})
    inner = props.get("properties") or {}
    if compute.find(record, compute_name) is None:
        if props.get("computeType") == "ComputeInstance":
            compute.create_instance(record, compute_name, inner.get("vmSize", "STANDARD_DS3_V2"))
        elif props.get("computeType") == "AmlCompute":
            scale = inner.get("scaleSettings") or {}
            idle = str(scale.get("nodeIdleTimeBeforeScaleDown", "PT1800S")).strip("PTS") or "1800"
            compute.create_cluster(record, compute_name, inner.get("vmSize", ""), int(scale.get("minNodeCount", 0)),
                                   int(scale.get("maxNodeCount", 1)), str(inner.get("vmPriority", "Dedicated")).lower(),
                                   int(idle))
        else:
            raise AzError(messages.ARM_COMPUTE_TYPE_UNSUPPORTED.format(type=props.get("computeType")))
    return f"{record.arm_id}/computes/{compute_name}"


def _deployment_result(name, rg, ev, output_ids, template, seconds, mode) -> dict:
    outputs = {k: {"type": v.get("type", "String"), "value": ev.value(v.get("value"))}
               for k, v in (template.get("outputs") or {}).items()} or None
    return {
        "id": f"{rg['id']}/providers/Microsoft.Resources/deployments/{name}", "location": None, "name": name,
        "resourceGroup": rg["name"], "tags": None, "type": "Microsoft.Resources/deployments",
        "properties": {
            "correlationId": str(uuid.uuid4()), "debugSetting": None, "dependencies": [],
            "duration": f"PT{seconds:.3f}S", "error": None, "mode": mode, "onErrorDeployment": None,
            "outputResources": [{"id": rid, "resourceGroup": rg["name"]} for rid in output_ids],
            "outputs": outputs, "parameters": {k: {"type": _param_type(template, k), "value": v}
                                               for k, v in ev.parameters.items()},
            "parametersLink": None, "provisioningState": "Succeeded",
            "templateHash": str(int(hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:15],
                                    16)),
            "templateLink": None, "timestamp": datetime.now(UTC).isoformat(), "validatedResources": None},
    }


def _param_type(template: dict, name: str) -> str:
    declared = str(template.get("parameters", {}).get(name, {}).get("type", "string"))
    return declared[:1].upper() + declared[1:]
