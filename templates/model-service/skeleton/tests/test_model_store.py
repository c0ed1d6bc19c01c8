"""Loading models from MODEL_URI: file:// for real, and clear errors for what cannot work."""

from __future__ import annotations

import builtins
import json
import shutil

import pytest

from ${{ values.pythonPackage }}.model_store import BUNDLED_MODEL_DIR, ModelLoadError, load_model


def test_bundled_model_when_uri_is_empty(tmp_path):
    model, source = load_model("", tmp_path)
    assert source == "bundled" and model.metadata.inputs[0].name == "features"


def test_file_uri_loads_a_directory_or_its_manifest(tmp_path):
    artifact = tmp_path / "my model"
    shutil.copytree(BUNDLED_MODEL_DIR, artifact)
    for uri in [artifact.as_uri(), (artifact / "model.json").as_uri()]:
        model, source = load_model(uri, tmp_path / "cache")
        assert source == "file" and len(model.metadata.outputs) == 3


@pytest.mark.parametrize("uri, message", [
    ("file:///does/not/exist", "not a directory"),
    ("file://otherhost/models", "local path"),
    ("ftp://models/1", "not supported"),
    ("hf://just-a-name", "hf://ORG/REPO"),
])
def test_bad_uris_say_what_to_fix(tmp_path, uri, message):
    with pytest.raises(ModelLoadError, match=message):
        load_model(uri, tmp_path)


def test_bad_artifacts_say_what_to_fix(tmp_path):
    (tmp_path / "model.json").write_text(json.dumps({"format": "onnx/v1"}))
    with pytest.raises(ModelLoadError, match="register yours in MODEL_FORMATS"):
        load_model(tmp_path.as_uri(), tmp_path)
    (tmp_path / "model.json").write_text(json.dumps({"format": "softmax-classifier/v1", "features": ["a"],
                                                     "classes": ["x", "y"], "weights": [[1]], "bias": [0, 0]}))
    with pytest.raises(ModelLoadError, match="one row per class"):
        load_model(tmp_path.as_uri(), tmp_path)


@pytest.mark.parametrize("uri, package", [
    ("s3://bucket/models/1", "boto3"),
    ("gs://bucket/models/1", "google-cloud-storage"),
    ("hf://acme/classifier@main", "huggingface_hub"),
])
def test_remote_schemes_name_the_missing_client_library(tmp_path, monkeypatch, uri, package):
    real_import = builtins.__import__

    def without_cloud_clients(name, *args, **kwargs):
        if name.split(".")[0] in ("boto3", "google", "huggingface_hub"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_cloud_clients)
    with pytest.raises(ModelLoadError, match=f"needs the Python package {package}.*requirements.txt"):
        load_model(uri, tmp_path)
