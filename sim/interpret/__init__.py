"""`interpret` as the simulator serves it: interpret-community's `TabularExplainer` (`interpret.ext.blackbox`).

The real interpret-community needs shap<=0.46, which does not run on the project's numpy 2, so this package serves
the same API over real Shapley values computed here (`sim.interpret._shapley`). It is reached as `interpret.*` only
after `sim.activate()` (see `sim._hook.ALIASES`), like `azureml.*`.
"""
