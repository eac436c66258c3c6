"""`az login`, `az account show|list|set`, `az provider register|unregister|show|list`, `az configure`, `az version`.

The simulated learner is always signed in to one subscription (Azure's default name for a first
subscription, "Azure subscription 1"); subscriptions the simulated cloud holds besides it are listed too.
"""

from __future__ import annotations

import sys

from sim import messages
from sim.az import _state
from sim.az._cli import AzError, command, group
from sim.cloud import providers
from sim.cloud import workspaces as _workspaces
from sim.service.routed import routed

cloud_workspaces = routed(_workspaces)  # through the simulated Azure service when it runs as its own process

TENANT_ID = "72f988bf-0000-0000-0000-000000000000"  # the tenant of the simulator's token (sim.client.identity)
USER = {"name": "learner@contoso.com", "type": "user"}
DEFAULT_SUBSCRIPTION_NAME = "Azure subscription 1"
CLI_VERSION = "2.67.0"  # the Azure CLI release this simulation follows


def register(subparsers) -> None:
    """Add `login`, `account`, `provider` and `configure`."""
    command(subparsers, "login", login, "Log in to Azure (the simulated learner is always signed in).")
    _register_account(group(subparsers, "account", "Manage Azure subscription information."))
    _register_provider(group(subparsers, "provider", "Manage resource providers."))
    parser = command(subparsers, "configure", configure, "Manage Azure CLI configuration.")
    parser.add_argument("--defaults", "-d", nargs="+", action="extend", default=[],
                        help="Space-separated 'name=value' defaults, e.g. group=rg workspace=ws location=eastus.")
    parser.add_argument("--list-defaults", "-l", action="store_true", help="List the configured defaults.")
    parser.add_argument("--scope", choices=["global"], default="global", help="Scope of the defaults.")
    command(subparsers, "version", version, "Show the versions of Azure CLI modules and extensions.")


def _register_account(sub) -> None:
    command(sub, "show", account_show, "Get the details of a subscription.")
    parser = command(sub, "list", account_list, "Get a list of subscriptions for the logged in account.")
    parser.add_argument("--all", action="store_true", help="List all subscriptions.")
    parser = command(sub, "set", account_set, "Set a subscription to be the current active subscription.")
    # `--subscription` itself is a global argument of every command; `-s`, `--name` and `-n` mean the same here.
    parser.add_argument("--name", "-n", "-s", dest="target", help="Name or ID of subscription.")


def _register_provider(sub) -> None:
    for verb, handler, text in (("register", provider_register, "Register a provider."),
                                ("unregister", provider_unregister, "Unregister a provider."),
                                ("show", provider_show, "Gets the specified resource provider.")):
        parser = command(sub, verb, handler, text)
        parser.add_argument("--namespace", "-n", required=True, help="The resource namespace, e.g. Microsoft.Storage.")
        if verb != "show":
            parser.add_argument("--wait", action="store_true", help="Wait for the registration to finish.")
    command(sub, "list", provider_list, "Gets all resource providers for a subscription.")


# ---- accounts ----------------------------------------------------------------------------------------

def current_subscription_id() -> str:
    """The subscription commands act in: the one `az account set` chose, else the learner's default."""
    return _state.current_subscription() or cloud_workspaces.DEFAULT_SUBSCRIPTION_ID


def subscription_of(args) -> str:
    """The subscription a command acts in: `--subscription` (id or name) or the current one."""
    wanted = getattr(args, "subscription", None)
    return _find_subscription(wanted)["id"] if wanted else current_subscription_id()


def _account(subscription_id: str) -> dict:
    name = (DEFAULT_SUBSCRIPTION_NAME if subscription_id == cloud_workspaces.DEFAULT_SUBSCRIPTION_ID
            else f"Simulated subscription {subscription_id[:8]}")
    return {"cloudName": "AzureCloud", "environmentName": "AzureCloud", "homeTenantId": TENANT_ID,
            "id": subscription_id, "isDefault": subscription_id == current_subscription_id(),
            "managedByTenants": [], "name": name, "state": "Enabled", "tenantId": TENANT_ID, "user": dict(USER)}


def _accounts() -> list[dict]:
    return [_account(sub) for sub in cloud_workspaces.list_subscriptions()]


def _find_subscription(wanted: str) -> dict:
    for account in _accounts():
        if wanted.lower() in (account["id"].lower(), account["name"].lower()):
            return account
    raise AzError(messages.AZ_SUBSCRIPTION_NOT_FOUND.format(name=wanted))


def login(args):
    """az login: the simulated learner is signed in already; lists the subscriptions as az login does."""
    return _accounts()


def account_show(args):
    """az account show [--subscription S]."""
    return _account(subscription_of(args))


def account_list(args):
    """az account list."""
    return _accounts()


def account_set(args):
    """az account set --subscription NAME_OR_ID."""
    wanted = args.target or args.subscription
    if not wanted:
        raise AzError(messages.AZ_ACCOUNT_SET_ARGS)
    _state.set_current_subscription(_find_subscription(wanted)["id"])
    return None


# ---- providers ---------------------------------------------------------------------------------------

def _namespace(args) -> str:
    if not providers.is_namespace(args.namespace):
        raise AzError(messages.AZ_PROVIDER_NAMESPACE_INVALID.format(namespace=args.namespace))
    return args.namespace


def provider_register(args):
    """az provider register --namespace NS [--wait]."""
    started = providers.register(subscription_of(args), _namespace(args))
    if started and not args.wait and not args.only_show_errors:
        print(messages.AZ_PROVIDER_ONGOING.format(action="Registering", namespace=args.namespace), file=sys.stderr)
    return None


def provider_unregister(args):
    """az provider unregister --namespace NS [--wait]."""
    started = providers.unregister(subscription_of(args), _namespace(args))
    if started and not args.wait and not args.only_show_errors:
        print(messages.AZ_PROVIDER_ONGOING.format(action="Unregistering", namespace=args.namespace),
              file=sys.stderr)
    return None


def provider_show(args):
    """az provider show --namespace NS."""
    return providers.get(subscription_of(args), _namespace(args))


def provider_list(args):
    """az provider list."""
    return providers.list_providers(subscription_of(args))


# ---- az configure ------------------------------------------------------------------------------------

def configure(args):
    """az configure --defaults name=value ... | --list-defaults."""
    if args.defaults:
        _state.set_defaults(dict(_default_pair(item) for item in args.defaults))
    if args.list_defaults:
        source = _state.config_path()
        return [{"name": key, "source": source, "value": value} for key, value in _state.defaults().items()]
    if not args.defaults:
        raise AzError(messages.AZ_CONFIGURE_INTERACTIVE)
    return None


def _default_pair(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise AzError(messages.AZ_CONFIGURE_DEFAULT_INVALID.format(item=item))
    return key.strip(), value.strip()


def version(args):
    """az version: the CLI's version and the installed extensions'."""
    return {"azure-cli": CLI_VERSION, "azure-cli-core": CLI_VERSION, "azure-cli-telemetry": "1.1.0",
            "extensions": {ext["name"]: ext["version"] for ext in _state.installed()}}
