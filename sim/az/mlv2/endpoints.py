"""`az ml online-endpoint ...` and `az ml online-deployment ...` (CLI v2, managed online endpoints)."""

from __future__ import annotations

import json

from sim import messages
from sim.az._cli import AzError, group
from sim.az.mlv2._common import (
    NO_WAIT,
    YES,
    add_flags,
    apply_set,
    client,
    confirm,
    dump,
    dump_all,
    file_arguments,
    ml_command,
    overrides,
    wait,
)

LOCAL = (("--local",), "Use a local (Docker) endpoint: not simulated.", {"action": "store_true"})


def register(ml) -> None:
    """Add the `online-endpoint` and `online-deployment` subgroups."""
    _register_endpoint(group(ml, "online-endpoint", "Manage Azure ML online endpoints."))
    _register_deployment(group(ml, "online-deployment", "Manage Azure ML online deployments."))


def _register_endpoint(sub) -> None:
    parser = file_arguments(ml_command(sub, "create", endpoint_create, "Create an endpoint."))
    add_flags(parser, (("--name", "-n"), "Name of the endpoint."),
              (("--auth-mode",), "Authentication mode.", {"choices": ["key", "aml_token", "aad_token"]}),
              NO_WAIT, LOCAL)
    _endpoint(sub, "show", endpoint_show, "Show details for an endpoint.", LOCAL)
    parser = ml_command(sub, "list", endpoint_list, "List endpoints in a workspace.")
    add_flags(parser, LOCAL)
    _endpoint(sub, "delete", endpoint_delete, "Delete an endpoint.", YES, NO_WAIT, LOCAL)
    parser = file_arguments(_endpoint(sub, "update", endpoint_update, "Update an endpoint.", NO_WAIT, LOCAL,
                                      required=False))
    add_flags(parser, (("--traffic", "-r"), "Traffic per deployment, e.g. \"blue=90 green=10\".", {"nargs": "+"}),
              (("--mirror-traffic",), "Traffic mirrored to a deployment, e.g. \"green=10\".", {"nargs": "+"}))
    _endpoint(sub, "invoke", endpoint_invoke, "Invoke an endpoint.", LOCAL,
              (("--request-file", "-r"), "File containing the request JSON."),
              (("--deployment-name", "-d"), "Name of the deployment to target."))
    _endpoint(sub, "get-credentials", endpoint_get_credentials, "List the token/keys for an endpoint.")
    _endpoint(sub, "regenerate-keys", endpoint_regenerate_keys, "Regenerate the keys for an endpoint.", NO_WAIT,
              (("--key-type",), "Key to regenerate.", {"choices": ["primary", "secondary"], "default": "primary"}))


def _endpoint(sub, verb, handler, text, *specs, required=True):
    parser = ml_command(sub, verb, handler, text)
    add_flags(parser, (("--name", "-n"), "Name of the endpoint.", {"required": required}), *specs)
    return parser


def _register_deployment(sub) -> None:
    parser = file_arguments(ml_command(sub, "create", deployment_create, "Create a deployment."))
    add_flags(parser, (("--name", "-n"), "Name of the deployment."),
              (("--endpoint-name", "-e"), "Name of the endpoint."),
              (("--all-traffic",), "Send all the endpoint's traffic to this deployment.", {"action": "store_true"}),
              (("--skip-script-validation",), "Skip validation of the scoring script.", {"action": "store_true"}),
              NO_WAIT, LOCAL)
    _deployment(sub, "show", deployment_show, "Show details for a deployment.", LOCAL)
    parser = ml_command(sub, "list", deployment_list, "List deployments of an endpoint.")
    add_flags(parser, (("--endpoint-name", "-e"), "Name of the endpoint.", {"required": True}), LOCAL)
    _deployment(sub, "delete", deployment_delete, "Delete a deployment.", YES, NO_WAIT, LOCAL)
    file_arguments(_deployment(sub, "update", deployment_update, "Update a deployment.", NO_WAIT, LOCAL,
                               required=False))
    _deployment(sub, "get-logs", deployment_get_logs, "Get the container logs of a deployment.", LOCAL,
                (("--lines", "-l"), "Maximum number of lines to tail.", {"type": int, "default": 5000}),
                (("--container", "-c"), "The container to get logs from.",
                 {"choices": ["inference-server", "storage-initializer"]}))


def _deployment(sub, verb, handler, text, *specs, required=True):
    parser = ml_command(sub, verb, handler, text)
    add_flags(parser, (("--name", "-n"), "Name of the deployment.", {"required": required}),
              (("--endpoint-name", "-e"), "Name of the endpoint.", {"required": required}), *specs)
    return parser


def _remote(args):
    """Local endpoints run in Docker, which this simulator has not: say so instead of trying."""
    if getattr(args, "local", False):
        raise AzError(messages.AZ_ML_LOCAL_ENDPOINT)


def _traffic(items: list[str] | None) -> dict[str, int] | None:
    if not items:
        return None
    pairs = [pair for item in items for pair in item.replace(",", " ").split()]
    traffic = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not value.strip().isdigit():
            raise AzError(messages.AZ_ML_TRAFFIC_INVALID.format(item=pair))
        traffic[name.strip()] = int(value)
    return traffic


# ---- online endpoints --------------------------------------------------------------------------------

def _endpoint_entity(args):
    from azure.ai.ml import load_online_endpoint

    return load_online_endpoint(source=args.file,
                                params_override=overrides(args, {"name": "name", "auth_mode": "auth_mode"}))


def endpoint_create(args):
    """az ml online-endpoint create --name N [--auth-mode key] | --file endpoint.yml."""
    _remote(args)
    poller = client(args).online_endpoints.begin_create_or_update(_endpoint_entity(args))
    return dump(wait(poller, args))


def endpoint_show(args):
    """az ml online-endpoint show --name N."""
    _remote(args)
    return dump(client(args).online_endpoints.get(args.name))


def endpoint_list(args):
    """az ml online-endpoint list."""
    _remote(args)
    return dump_all(client(args).online_endpoints.list())


def endpoint_delete(args):
    """az ml online-endpoint delete --name N [--yes] [--no-wait]."""
    _remote(args)
    confirm(args)
    wait(client(args).online_endpoints.begin_delete(name=args.name), args)
    return None


def endpoint_update(args):
    """az ml online-endpoint update --name N [--traffic "blue=90 green=10"] [--set k=v] | --file endpoint.yml."""
    _remote(args)
    ml_client = client(args)
    endpoint = _endpoint_entity(args) if args.file else ml_client.online_endpoints.get(args.name)
    traffic, mirror = _traffic(args.traffic), _traffic(args.mirror_traffic)
    if traffic is not None:
        endpoint.traffic = traffic
    if mirror is not None:
        endpoint.mirror_traffic = mirror
    if not args.file:
        apply_set(endpoint, args.set_values)
    return dump(wait(ml_client.online_endpoints.begin_create_or_update(endpoint), args))


def _fresh_invoke_headers() -> None:
    """Start from the SDK's pristine invoke headers, as each real `az` command is a new process.

    azure-ai-ml 1.35 writes the key and `azureml-model-deployment` into its class-level default header dict, so in
    one process an earlier invoke's deployment sticks to later ones (a notebook sees that too, as in Azure); the CLI
    runs in-process here (tests, lab kernels), so it must not inherit it.
    """
    from azure.ai.ml.constants._endpoint import EndpointInvokeFields

    EndpointInvokeFields.DEFAULT_HEADER.clear()
    EndpointInvokeFields.DEFAULT_HEADER["Content-Type"] = "application/json"


def endpoint_invoke(args):
    """az ml online-endpoint invoke --name N --request-file FILE [--deployment-name D]: the scoring answer."""
    _remote(args)
    _fresh_invoke_headers()
    answer = client(args).online_endpoints.invoke(endpoint_name=args.name, request_file=args.request_file,
                                                  deployment_name=args.deployment_name)
    try:  # a JSON answer prints as JSON (`[0]` as a list, as the CLI shows it), anything else as text
        return json.loads(answer)
    except (TypeError, ValueError):
        return answer


def endpoint_get_credentials(args):
    """az ml online-endpoint get-credentials --name N: the keys (or token) of the endpoint."""
    return dump(client(args).online_endpoints.get_keys(args.name))


def endpoint_regenerate_keys(args):
    """az ml online-endpoint regenerate-keys --name N [--key-type primary|secondary]."""
    wait(client(args).online_endpoints.begin_regenerate_keys(name=args.name, key_type=args.key_type), args)
    return None


# ---- online deployments ------------------------------------------------------------------------------

def _deployment_entity(args):
    from azure.ai.ml import load_online_deployment

    fields = {"name": "name", "endpoint_name": "endpoint_name"}
    return load_online_deployment(source=args.file, params_override=overrides(args, fields))


def deployment_create(args):
    """az ml online-deployment create --file deployment.yml [--endpoint-name E] [--all-traffic]."""
    _remote(args)
    ml_client = client(args)
    deployment = _deployment_entity(args)
    poller = ml_client.online_deployments.begin_create_or_update(
        deployment, skip_script_validation=args.skip_script_validation)
    created = wait(poller, args)
    if args.all_traffic:  # as the real command: once the deployment is up, the endpoint sends it everything
        endpoint = ml_client.online_endpoints.get(deployment.endpoint_name)
        endpoint.traffic = {deployment.name: 100}
        ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    return dump(created)


def deployment_show(args):
    """az ml online-deployment show --name N --endpoint-name E."""
    _remote(args)
    return dump(client(args).online_deployments.get(args.name, args.endpoint_name))


def deployment_list(args):
    """az ml online-deployment list --endpoint-name E."""
    _remote(args)
    return dump_all(client(args).online_deployments.list(args.endpoint_name))


def deployment_delete(args):
    """az ml online-deployment delete --name N --endpoint-name E [--yes] [--no-wait]."""
    _remote(args)
    confirm(args)
    wait(client(args).online_deployments.begin_delete(args.name, args.endpoint_name), args)
    return None


def deployment_update(args):
    """az ml online-deployment update --name N --endpoint-name E --set k=v | --file deployment.yml."""
    _remote(args)
    ml_client = client(args)
    if args.file:
        deployment = _deployment_entity(args)
    else:
        deployment = apply_set(ml_client.online_deployments.get(args.name, args.endpoint_name), args.set_values)
    return dump(wait(ml_client.online_deployments.begin_create_or_update(deployment), args))


def deployment_get_logs(args):
    """az ml online-deployment get-logs --name N --endpoint-name E [--lines L] [--container C]."""
    _remote(args)
    return client(args).online_deployments.get_logs(args.name, args.endpoint_name, args.lines,
                                                    container_type=args.container)
