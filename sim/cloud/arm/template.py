"""One ARM template with its parameter values: parameters, variables, resources and outputs, evaluated.

Parameters and variables are evaluated when first read (a default may read another parameter), resources
whose `condition` is false are left out with their children, and child resources get their full type and
name (`workspaces` + `computes` -> `.../workspaces/computes`, `ws/cpu`), as Resource Manager expands them.
"""

from __future__ import annotations

from sim import messages
from sim.cloud.arm import expressions, functions
from sim.cloud.arm.expressions import template_error

TENANT_ID = "72f988bf-0000-0000-0000-000000000000"  # the simulated Azure AD tenant
_UNSET = object()


class Template:
    """A template being deployed into one resource group of one subscription."""

    def __init__(self, template: dict, values: dict, group: dict, subscription_id: str, deployment_name: str):
        if not isinstance(template, dict) or not isinstance(template.get("resources"), list):
            raise template_error(messages.ARM_TEMPLATE_SHAPE)
        self.template, self.group, self.subscription_id = template, group, subscription_id
        self.deployment_name = deployment_name
        self.declared = template.get("parameters") or {}
        self.values = self._checked_values(values or {})
        self._parameters: dict = {}
        self._variables: dict = {}
        self._functions = {**functions.PURE, **self._bound_functions()}

    # ---- parameters and variables --------------------------------------------------------------------

    def _checked_values(self, values: dict) -> dict:
        unknown = sorted(set(values) - set(self.declared))
        if unknown:
            raise template_error(messages.ARM_UNKNOWN_PARAMETERS.format(names=unknown))
        return values

    def parameter(self, name: str):
        """A parameter's value: the one given (coerced to its declared type) or its evaluated default."""
        if name not in self.declared:
            raise template_error(messages.ARM_PARAMETER_UNKNOWN.format(name=name))
        if name not in self._parameters:
            self._parameters[name] = _UNSET  # a default that reads itself fails below instead of recursing
            self._parameters[name] = self._resolve(name, self.declared[name] or {})
        if self._parameters[name] is _UNSET:
            raise template_error(messages.ARM_PARAMETER_CYCLE.format(name=name))
        return self._parameters[name]

    def _resolve(self, name: str, spec: dict):
        given = self.values.get(name)
        if given is not None:
            value = _coerce(given, str(spec.get("type", "string")))
        elif "defaultValue" in spec:
            value = self.value(spec["defaultValue"])
        elif name in self.values:
            value = None  # an explicit null for a parameter without a default
        else:
            raise template_error(messages.ARM_PARAMETER_MISSING.format(name=name))
        allowed = spec.get("allowedValues")
        if allowed and value is not None and value not in allowed:
            raise template_error(messages.ARM_PARAMETER_NOT_ALLOWED.format(value=value, name=name, allowed=allowed))
        return value

    def parameters(self) -> dict:
        """Every parameter with its declared type and value, as a deployment reports them."""
        return {name: {"type": _type_name(spec or {}), "value": self.parameter(name)}
                for name, spec in self.declared.items()}

    def variable(self, name: str):
        """A variable's evaluated value."""
        declared = self.template.get("variables") or {}
        if name not in declared:
            raise template_error(messages.ARM_VARIABLE_MISSING.format(name=name))
        if name not in self._variables:
            self._variables[name] = self.value(declared[name])
        return self._variables[name]

    # ---- expressions ---------------------------------------------------------------------------------

    def function(self, name: str):
        """The template function `name` (lower-case), or None when it is not simulated."""
        return self._functions.get(name)

    def value(self, node):
        """A JSON node with every expression inside it evaluated."""
        if isinstance(node, dict):
            return {k: self.value(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if isinstance(node, str) and node.startswith("[["):
            return node[1:]
        return expressions.evaluate(node, self) if expressions.is_expression(node) else node

    def _bound_functions(self) -> dict:
        sub = {"id": f"/subscriptions/{self.subscription_id}", "subscriptionId": self.subscription_id,
               "tenantId": TENANT_ID, "displayName": "Simulated subscription"}
        group = {"id": self.group["id"], "name": self.group["name"], "location": self.group["location"],
                 "type": "Microsoft.Resources/resourceGroups", "tags": self.group.get("tags") or {},
                 "properties": {"provisioningState": "Succeeded"}}
        return {"parameters": self.parameter, "variables": self.variable, "resourcegroup": lambda: group,
                "subscription": lambda: sub, "tenant": lambda: {"tenantId": TENANT_ID},
                "deployment": lambda: {"name": self.deployment_name, "properties": {"mode": "Incremental"}},
                "resourceid": self._resource_id, "subscriptionresourceid": self._subscription_resource_id}

    def _resource_id(self, *parts) -> str:
        # resourceId([subscriptionId,] [resourceGroupName,] type, name1, name2, ...)
        at = next((i for i, p in enumerate(parts) if _is_resource_type(p)), None)
        if at is None or at > 2:
            raise template_error(messages.ARM_RESOURCE_ID_INVALID.format(parts=list(parts)))
        scope = list(parts[:at])
        sub = scope.pop(0) if len(scope) == 2 else self.subscription_id
        group = scope[0] if scope else self.group["name"]
        return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{_type_path(parts[at], parts[at + 1:])}"

    def _subscription_resource_id(self, *parts) -> str:
        at = 1 if parts and not _is_resource_type(parts[0]) else 0
        sub = parts[0] if at else self.subscription_id
        return f"/subscriptions/{sub}/providers/{_type_path(parts[at], parts[at + 1:])}"

    # ---- resources and outputs -----------------------------------------------------------------------

    def resources(self) -> list[dict]:
        """The resources to deploy, evaluated, with full types and names, in template order."""
        found: list[dict] = []
        for node in self.template["resources"]:
            self._collect(node, None, found)
        return found

    def _collect(self, node: dict, parent: dict | None, found: list) -> None:
        if not isinstance(node, dict):
            raise template_error(messages.ARM_TEMPLATE_SHAPE)
        if "copy" in node:
            raise template_error(messages.ARM_COPY_UNSUPPORTED.format(name=node.get("name")))
        if "condition" in node and not self.value(node["condition"]):
            return
        body = {k: self.value(v) for k, v in node.items() if k not in ("condition", "dependsOn", "resources")}
        if parent is not None:
            if "/" not in str(body.get("type", "")):
                body["type"] = f"{parent['type']}/{body.get('type')}"
            if str(body.get("name", "")).count("/") < body["type"].count("/") - 1:
                body["name"] = f"{parent['name']}/{body.get('name')}"
        found.append(body)
        for child in node.get("resources") or []:
            self._collect(child, body, found)

    def outputs(self) -> dict | None:
        """The template's outputs, evaluated (None when it declares none)."""
        declared = self.template.get("outputs") or {}
        return {name: {"type": spec.get("type", "String"), "value": self.value(spec.get("value"))}
                for name, spec in declared.items()} or None


def _is_resource_type(part) -> bool:
    head = str(part).split("/", 1)[0]
    return "/" in str(part) and "." in head


def _type_path(resource_type: str, names) -> str:
    provider, *types = str(resource_type).split("/")
    if len(types) != len(names):
        raise template_error(messages.ARM_RESOURCE_ID_INVALID.format(parts=[resource_type, *names]))
    return "/".join([provider, *(f"{t}/{n}" for t, n in zip(types, names, strict=True))])


def _coerce(value, declared_type: str):
    kind = declared_type.lower()
    if isinstance(value, str) and kind == "int":
        return int(value)
    if isinstance(value, str) and kind == "bool":
        return value.lower() == "true"
    return value


def _type_name(spec: dict) -> str:
    declared = str(spec.get("type", "string"))
    return declared[:1].upper() + declared[1:]
