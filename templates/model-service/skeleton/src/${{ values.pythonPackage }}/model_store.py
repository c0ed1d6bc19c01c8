"""Fetching a model artifact named by MODEL_URI to local disk, and building the Model from it: with the
runtime for MODEL_FORMAT (runtimes/), or, for MODEL_FORMAT=custom, the class its model.json names.

file://  a local directory (or a file in it)
s3://    bucket/prefix, with boto3               (credentials: the pod's IAM role / AWS_* variables)
gs://    bucket/prefix, with google-cloud-storage (credentials: workload identity / GOOGLE_APPLICATION_CREDENTIALS)
hf://    org/repo[@revision], with huggingface_hub (token: HF_TOKEN)
Remote artifacts are downloaded under MODEL_CACHE_DIR. The client libraries are optional: add the
one you need to requirements.txt.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Callable, Dict, Optional, Tuple, Type
from urllib.parse import unquote, urlparse

from .model import Model, ModelLoadError
from .runtimes import load_runtime
from .runtimes.options import RuntimeOptions
from .softmax_classifier import FORMAT as SOFTMAX_FORMAT, SoftmaxClassifier

BUNDLED_MODEL_DIR = Path(__file__).parent / "example_model"

#: MODEL_FORMAT=custom: artifact formats this service can load, by the "format" field of their model.json.
MODEL_FORMATS: Dict[str, Type[Model]] = {SOFTMAX_FORMAT: SoftmaxClassifier}
__all__ = ["ModelLoadError", "load_model", "fetch_artifact", "build_model", "MODEL_FORMATS"]


def load_model(uri: str, cache_dir: Path, options: Optional[RuntimeOptions] = None) -> Tuple[Model, str]:
    """Returns the model and its source (the URI scheme, or "bundled": the example, whatever the format)."""
    options = options or RuntimeOptions()
    path, source = fetch_artifact(uri, cache_dir)
    if source == "bundled" or options.model_format == "custom":
        return build_model(path), source
    return load_runtime(path, options), source


def fetch_artifact(uri: str, cache_dir: Path) -> Tuple[Path, str]:
    if not uri:
        return BUNDLED_MODEL_DIR, "bundled"
    parsed = urlparse(uri)
    fetch = FETCHERS.get(parsed.scheme)
    if fetch is None:
        raise ModelLoadError(f"MODEL_URI {uri!r} has the scheme {parsed.scheme!r}, which is not supported: "
                             "use file://, s3://, gs:// or hf://, or leave MODEL_URI empty for the bundled example")
    return fetch(parsed.netloc, unquote(parsed.path), cache_dir / parsed.scheme), parsed.scheme


def build_model(path: Path) -> Model:
    manifest = path / "model.json"
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
        model_format = document["format"]
    except FileNotFoundError:
        raise ModelLoadError(f"{manifest} does not exist: a model artifact is a directory with a model.json") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ModelLoadError(f"{manifest} must be a JSON object with a \"format\" field ({error})") from None
    model_class = MODEL_FORMATS.get(model_format)
    if model_class is None:
        raise ModelLoadError(f"{manifest} has the format {model_format!r}, which this service cannot load: "
                             f"known formats are {', '.join(MODEL_FORMATS)}; register yours in MODEL_FORMATS")
    try:
        return model_class.load(path)
    except (ValueError, KeyError, TypeError) as error:
        raise ModelLoadError(f"{manifest} is not a valid {model_format} artifact: {error}") from None


def _fetch_file(host: str, path: str, cache_dir: Path) -> Path:
    if host not in ("", "localhost"):
        raise ModelLoadError(f"file:// URIs name a local path (file:///models/1), not the host {host!r}")
    local = Path(path)
    if local.is_file():  # the artifact's file named instead of its directory
        local = local.parent
    if not local.is_dir():
        raise ModelLoadError(f"MODEL_URI names {local}, which is not a directory on this machine")
    return local


def _require(module: str, package: str, scheme: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelLoadError(f"MODEL_URI uses {scheme}://, which needs the Python package {package}; it is not "
                             f"installed: add {package} to requirements.txt and rebuild the image") from None


def _target(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ModelLoadError(f"the artifact holds {relative!r}, which points outside {root}")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _split_bucket(scheme: str, bucket: str, path: str) -> Tuple[str, str]:
    if not bucket:
        raise ModelLoadError(f"MODEL_URI must name a bucket: {scheme}://BUCKET/PREFIX")
    return bucket, path.strip("/")


def _fetch_s3(bucket: str, path: str, cache_dir: Path) -> Path:
    boto3 = _require("boto3", "boto3", "s3")
    bucket, prefix = _split_bucket("s3", bucket, path)
    root = cache_dir / bucket / prefix
    client = boto3.client("s3")
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            relative = item["Key"][len(prefix):].lstrip("/")
            if relative and not item["Key"].endswith("/"):
                client.download_file(bucket, item["Key"], str(_target(root, relative)))
                count += 1
    if count == 0:
        raise ModelLoadError(f"s3://{bucket}/{prefix} holds no objects")
    return root


def _fetch_gs(bucket: str, path: str, cache_dir: Path) -> Path:
    storage = _require("google.cloud.storage", "google-cloud-storage", "gs")
    bucket, prefix = _split_bucket("gs", bucket, path)
    root = cache_dir / bucket / prefix
    count = 0
    for blob in storage.Client().list_blobs(bucket, prefix=prefix):
        relative = blob.name[len(prefix):].lstrip("/")
        if relative and not blob.name.endswith("/"):
            blob.download_to_filename(str(_target(root, relative)))
            count += 1
    if count == 0:
        raise ModelLoadError(f"gs://{bucket}/{prefix} holds no objects")
    return root


def _fetch_hf(org: str, path: str, cache_dir: Path) -> Path:
    repo, _, revision = f"{org}{path}".partition("@")
    if repo.count("/") != 1:
        raise ModelLoadError("MODEL_URI must name a Hugging Face repository: hf://ORG/REPO[@REVISION], "
                             f"got hf://{repo}")
    hub = _require("huggingface_hub", "huggingface_hub", "hf")
    return Path(hub.snapshot_download(repo_id=repo, revision=revision or None, cache_dir=str(cache_dir)))


FETCHERS: Dict[str, Callable[[str, str, Path], Path]] = {
    "file": _fetch_file,
    "s3": _fetch_s3,
    "gs": _fetch_gs,
    "hf": _fetch_hf,
}
