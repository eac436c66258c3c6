"""Azure Resource Manager in the simulated cloud: ARM templates evaluated and deployed into resource groups.

`template` evaluates a template (parameters, variables, template functions, conditions, child resources);
`deployments` deploys it (workspaces and their computes into `sim.cloud`) and records the deployment and its
operations. Both `az deployment group create` and the REST service (`PUT .../deployments/<name>`, which
azure-ai-ml's `workspaces.begin_create` sends) deploy through here.
"""
