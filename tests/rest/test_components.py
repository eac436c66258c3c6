"""Components (registration only) through the real azure-ai-ml, as lab 05's set-up registers them."""

from __future__ import annotations

import pytest
from azure.core.exceptions import ResourceNotFoundError

COMPONENT_YAML = """\
$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
name: remove_empty_rows
display_name: Remove Empty Rows
version: 1
type: command
inputs:
  input_data:
    type: uri_folder
outputs:
  output_data:
    type: uri_folder
code: ./src
environment: azureml:AzureML-sklearn-1.5@latest
command: >-
  python fix.py --input_data ${{inputs.input_data}} --output_data ${{outputs.output_data}}
"""


@pytest.fixture
def component_file(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "fix.py").write_text("print('fixing')\n")
    path = tmp_path / "fix-missing-data.yml"
    path.write_text(COMPONENT_YAML)
    return path


def test_a_component_from_yaml_is_registered_got_and_listed(ml_client, component_file):
    from azure.ai.ml import load_component

    created = ml_client.components.create_or_update(load_component(source=str(component_file)))
    assert (created.name, created.version, created.display_name) == ("remove_empty_rows", "1", "Remove Empty Rows")
    got = ml_client.components.get("remove_empty_rows", version="1")
    assert list(got.inputs) == ["input_data"] and list(got.outputs) == ["output_data"]
    assert "python fix.py" in got.command and got.code
    assert [c.name for c in ml_client.components.list()] == ["remove_empty_rows"]
    assert ml_client.components.get("remove_empty_rows", label="latest").version == "1"


def test_a_missing_component_is_resource_not_found(ml_client):
    with pytest.raises(ResourceNotFoundError):
        ml_client.components.get("nope", version="1")


def test_a_component_version_keeps_its_spec(ml_client, workspace):
    from sim.client.transport import call_service

    url = (f"https://management.azure.com{workspace.arm_id}/components/c/versions/1?api-version=2024-01-01-preview")
    body = b'{"properties": {"componentSpec": {"name": "c", "type": "command", "command": "echo a"}}}'
    assert call_service("PUT", url, {"Content-Type": "application/json"}, body)[0] == 201
    changed = body.replace(b"echo a", b"echo b")
    status, _, answer = call_service("PUT", url, {"Content-Type": "application/json"}, changed)
    assert status == 400 and b"cannot be updated" in answer
