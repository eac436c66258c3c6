"""Write a lab as a Jupyter notebook (nbformat 4 JSON, written directly: nbformat is not a dependency)."""

from __future__ import annotations

import json
from pathlib import Path

from labs.spec import Lab, fill


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def _code(text: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": text.splitlines(keepends=True)}


PLAIN_KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def file_name(lab: Lab) -> str:
    """The notebook's file name in the lab folder, `lab<NN>.ipynb`."""
    return f"lab{lab.spec.id}.ipynb"


def build(lab: Lab, params: dict, language: str = "en", kernel: dict | None = None) -> dict:
    """The notebook document of a lab: a title cell, then per step its instructions and starter code.

    `kernel` is the kernelspec the notebook asks for (name, display_name, language); the plain `python3` by
    default, for the learner's own Jupyter.
    """
    spec = lab.spec
    goals = "\n".join(f"- {g.get(language)}" for g in spec.goals)
    intro = (f"# Lab {spec.id}: {spec.title.get(language)}\n\n{spec.summary.get(language)}\n\n{goals}\n\n"
             f"Check each step with `dp100 lab check {spec.id} --step <step>` in a terminal.")
    cells = [_markdown(intro),
             _code("# Run first: makes `azureml.*` the simulated SDK in this kernel.\nimport sim\nsim.activate()")]
    for number, step in enumerate(spec.steps, start=1):
        text = fill(step.instructions.get(language), params)
        cells.append(_markdown(f"## Step {number}: {step.title.get(language)} (`{step.id}`)\n\n{text}"))
        cells.append(_code(fill(step.starter, params) or "# your code here"))
    return {"nbformat": 4, "nbformat_minor": 5, "cells": [dict(c, id=f"c{i}") for i, c in enumerate(cells)],
            "metadata": {"kernelspec": dict(kernel or PLAIN_KERNEL),
                         "language_info": {"name": "python"}, "dp100": {"lab": spec.id}}}


def write(lab: Lab, params: dict, folder: Path, language: str = "en", kernel: dict | None = None) -> Path:
    """Write `<folder>/lab<NN>.ipynb` (asking for `kernel`, see `build`) and return its path."""
    path = Path(folder) / file_name(lab)
    document = build(lab, params, language, kernel)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return path
