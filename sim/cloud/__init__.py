"""The simulated Azure ML service: state and rules, one module per resource kind, no SDK shapes.

Facades (`sim.azureml`, later an SDK v2 one) call these modules; graders and the Studio page read them.
State lives under `dp100.paths.workspaces_dir()`: one folder per workspace with its `state.db`
(SQLAlchemy, SQLite WAL), its MLflow store `mlflow-<id>.db`, its key vault and its datastore contents.
"""
