"""RAI Insights dashboard constructor (stand-in): check the model and data once, write the dashboard folder.

Reads the train and test MLTables, checks the target column and the features the model expects, scores the test
rows with the model (kept in the folder, so every tool component uses the same model and predictions) and
records what the tools need in `rai_insights.json`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import uuid
from pathlib import Path

import _insights as rai


def arguments(argv=None) -> argparse.Namespace:
    """The component's inputs, as its command passes them."""
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("title", "task_type", "train_dataset", "test_dataset", "target_column_name", "output_path",
                 "model_info_output_path"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--model_info")
    parser.add_argument("--model_input")
    parser.add_argument("--maximum_rows_for_test_dataset", type=int, default=5000)
    parser.add_argument("--categorical_column_names", default="[]")
    parser.add_argument("--classes", default="[]")
    return parser.parse_args(argv)


def model_folder(args) -> Path:
    """The MLflow model folder given as model_input (the folder holding MLmodel)."""
    if not args.model_input:
        rai.fail("model_input is required here: pass Input(type='mlflow_model', path='azureml:<name>:<version>').")
    found = sorted(Path(args.model_input).rglob("MLmodel"))
    if not found:
        rai.fail(f"model_input {args.model_input} is not an MLflow model (no MLmodel file).")
    return found[0].parent


def check_data(args, train, test) -> list[str]:
    """The feature columns (every column but the target), after checking both tables have the same ones."""
    for name, table in (("train_dataset", train), ("test_dataset", test)):
        if args.target_column_name not in table.columns:
            rai.fail(f"{name} has no column {args.target_column_name!r}; its columns are {list(table.columns)}.")
    features = [c for c in train.columns if c != args.target_column_name]
    missing = [c for c in features if c not in test.columns]
    if missing:
        rai.fail(f"test_dataset lacks the training features {missing}.")
    return features


def classes_of(args, train) -> list:
    """The class labels: as given, or those of the training target (classification only)."""
    if args.task_type != rai.CLASSIFICATION:
        return []
    given = rai.json_list(args.classes, "classes")
    return given or sorted(train[args.target_column_name].unique().tolist())


def main(argv=None) -> None:
    """Build the dashboard folder and the model_info output."""
    args = arguments(argv)
    if args.task_type not in (rai.CLASSIFICATION, rai.REGRESSION):
        rai.fail(f"task_type must be 'classification' or 'regression', not {args.task_type!r}.")
    train, test = rai.read_table(args.train_dataset), rai.read_table(args.test_dataset)
    features = check_data(args, train, test)
    test = test.head(args.maximum_rows_for_test_dataset)
    out = Path(args.output_path)
    shutil.copytree(model_folder(args), out / rai.MODEL, dirs_exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    train.to_parquet(out / rai.TRAIN, index=False)
    test.to_parquet(out / rai.TEST, index=False)
    model = rai.load_model(str(out))
    predictions = model.predict(rai.as_model_input(test[features])).tolist()
    rai.write_json(str(out), rai.PREDICTIONS, {"predictions": predictions})
    meta = {"id": str(uuid.uuid4()), "title": args.title, "task_type": args.task_type,
            "target_column": args.target_column_name, "features": features,
            "categorical_features": rai.json_list(args.categorical_column_names, "categorical_column_names"),
            "classes": classes_of(args, train), "model_id": args.model_info, "train_rows": len(train),
            "test_rows": len(test), "component": "rai_tabular_insight_constructor"}
    rai.write_json(str(out), rai.META, meta)
    rai.write_json(args.model_info_output_path, "model_info.json", {"id": args.model_info})
    print(f"RAI insights dashboard '{args.title}': {args.task_type} of {args.target_column_name!r} on "
          f"{len(features)} features, {len(train)} training and {len(test)} test rows.")
    print(json.dumps({"features": features, "classes": meta["classes"]}))


if __name__ == "__main__":
    main()
