"""Service settings, read once at start-up from environment variables (see README.md)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from typing import Callable, List, Mapping, Optional, TypeVar

from . import __version__
from .runtimes import MODEL_FORMATS
from .runtimes.options import RuntimeOptions

# The answers this service was generated with; every one can be overridden by its variable.
DEFAULT_MODEL_NAME = ${{ values.modelName | dump }}
DEFAULT_MODEL_VERSION = ${{ values.modelVersion | dump }}
DEFAULT_MODEL_URI = ${{ values.modelUri | dump }}
SERVICE_NAME = ${{ values.name | dump }}
DEFAULT_MAX_BATCH_SIZE = ${{ values.maxBatchSize }}
DEFAULT_MAX_BATCH_DELAY_MS = ${{ values.maxBatchDelayMs }}
DEFAULT_MAX_QUEUE_LENGTH = ${{ values.maxQueueLength }}
DEFAULT_MODEL_FORMAT = ${{ values.modelFormat | dump }}
# The GPUs the pod is given are used, or start-up fails saying why (runtimes/device.py).
DEFAULT_DEVICE = ${{ ("cuda" if values.gpuCount > 0 else "cpu") | dump }}

MODEL_NAME_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$")
MODEL_VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MODEL_URI_PATTERN = re.compile(r"^(s3|gs|hf|file)://\S+$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEVICE_PATTERN = re.compile(r"^(auto|cpu|cuda|cuda:[0-9]{1,2})$")
PRECISIONS = ("fp32", "fp16", "bf16")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")

T = TypeVar("T")


class ConfigError(ValueError):
    """One or more environment variables are invalid; the message lists every problem."""


@dataclass(frozen=True)
class Settings:
    model_name: str = DEFAULT_MODEL_NAME
    model_version: str = DEFAULT_MODEL_VERSION
    model_uri: str = DEFAULT_MODEL_URI
    model_cache_dir: str = os.path.join(tempfile.gettempdir(), "model-cache")
    model_format: str = DEFAULT_MODEL_FORMAT
    device: str = DEFAULT_DEVICE
    precision: str = "fp32"
    model_sha256: Optional[str] = None
    onnx_tensorrt: bool = False
    host: str = "0.0.0.0"
    port: int = 8080
    grpc_port: int = 8081
    log_level: str = "INFO"
    drain_seconds: float = 5.0
    request_timeout_seconds: float = 60.0
    max_request_bytes: int = 8 * 1024 * 1024
    header_timeout_seconds: float = 10.0
    #: The longest a request's body may take to arrive after its headers; unset, REQUEST_TIMEOUT_SECONDS
    #: (a body may take as long as the request it belongs to may run).
    body_timeout_seconds: Optional[float] = None
    max_batch_size: int = DEFAULT_MAX_BATCH_SIZE
    max_batch_delay_ms: float = DEFAULT_MAX_BATCH_DELAY_MS
    max_queue_length: int = DEFAULT_MAX_QUEUE_LENGTH
    build_version: str = __version__
    git_sha: str = "unknown"

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Reads every variable, collecting all problems before failing so one run shows them all."""
        env = os.environ if env is None else env
        problems: List[str] = []
        defaults = cls()

        def read(name: str, default: T, parse: Callable[[str], T], rule: str, example: str) -> T:
            raw = env.get(name, "").strip()
            if raw == "":
                return default
            try:
                return parse(raw)
            except ValueError:
                problems.append(f"{name} must be {rule}, got {raw!r} (e.g. {name}={example})")
                return default

        settings = cls(
            model_name=read("MODEL_NAME", defaults.model_name, _matching(MODEL_NAME_PATTERN, 63),
                            "lower-case letters, digits, '-', '_' or '.', at most 63 characters", "example-classifier"),
            model_version=read("MODEL_VERSION", defaults.model_version, _matching(MODEL_VERSION_PATTERN, 63),
                               "letters, digits, '.', '_' or '-', at most 63 characters", "1"),
            model_uri=read("MODEL_URI", defaults.model_uri, _matching(MODEL_URI_PATTERN, 2048),
                           "an s3://, gs://, hf:// or file:// URI (leave it unset for the bundled example model)",
                           "s3://models/fraud/1"),
            model_cache_dir=read("MODEL_CACHE_DIR", defaults.model_cache_dir, str, "a directory path",
                                 "/var/cache/model"),
            model_format=read("MODEL_FORMAT", defaults.model_format, _choice(MODEL_FORMATS),
                              "one of " + ", ".join(MODEL_FORMATS), "pytorch"),
            device=read("DEVICE", defaults.device, _matching(DEVICE_PATTERN, 8), "auto, cpu, cuda or cuda:N", "cuda"),
            precision=read("PRECISION", defaults.precision, _choice(PRECISIONS), "one of " + ", ".join(PRECISIONS),
                           "fp16"),
            model_sha256=read("MODEL_SHA256", defaults.model_sha256, _matching(SHA256_PATTERN, 64),
                              "the artifact file's SHA-256 as 64 lower-case hex digits (sha256sum model.joblib)",
                              "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            onnx_tensorrt=read("ONNX_TENSORRT", defaults.onnx_tensorrt, _flag, "0 or 1", "1"),
            host=read("HOST", defaults.host, str, "an address to listen on", "0.0.0.0"),
            port=read("PORT", defaults.port, _int_between(1, 65535), "a whole number from 1 to 65535", "8080"),
            grpc_port=read("GRPC_PORT", defaults.grpc_port, _int_between(0, 65535),
                           "a whole number from 1 to 65535, or 0 to turn gRPC off", "8081"),
            log_level=read("LOG_LEVEL", defaults.log_level, _one_of(LOG_LEVELS), "one of " + ", ".join(LOG_LEVELS),
                           "INFO"),
            drain_seconds=read("DRAIN_SECONDS", defaults.drain_seconds, _number_between(0, 3600),
                               "a number of seconds from 0 to 3600", "5"),
            request_timeout_seconds=read("REQUEST_TIMEOUT_SECONDS", defaults.request_timeout_seconds,
                                         _number_between(0.001, 86400), "a number of seconds above 0", "60"),
            max_request_bytes=read("MAX_REQUEST_BYTES", defaults.max_request_bytes, _int_between(1024, 2**31),
                                   "a whole number of bytes from 1024 to 2147483648", "8388608"),
            header_timeout_seconds=read("HEADER_TIMEOUT_SECONDS", defaults.header_timeout_seconds,
                                        _number_between(0.1, 3600), "a number of seconds from 0.1 to 3600", "10"),
            body_timeout_seconds=read("BODY_TIMEOUT_SECONDS", defaults.body_timeout_seconds,
                                      _number_between(0.1, 86400), "a number of seconds from 0.1 to 86400", "60"),
            max_batch_size=read("MAX_BATCH_SIZE", defaults.max_batch_size, _int_between(1, 1024),
                                "a whole number from 1 to 1024 (1 turns batching off)", "32"),
            max_batch_delay_ms=read("MAX_BATCH_DELAY_MS", defaults.max_batch_delay_ms, _number_between(0, 1000),
                                    "a number of milliseconds from 0 to 1000", "2"),
            max_queue_length=read("MAX_QUEUE_LENGTH", defaults.max_queue_length, _int_between(1, 100000),
                                  "a whole number from 1 to 100000", "128"),
            build_version=read("BUILD_VERSION", defaults.build_version, str, "a version", "1.2.3"),
            git_sha=read("GIT_SHA", defaults.git_sha, str, "a commit SHA", "3f2a9c1"),
        )
        if settings.max_queue_length < settings.max_batch_size:
            problems.append(f"MAX_QUEUE_LENGTH must be at least MAX_BATCH_SIZE ({settings.max_batch_size}) so a full "
                            f"batch can queue, got {settings.max_queue_length} "
                            f"(e.g. MAX_QUEUE_LENGTH={settings.max_batch_size * 4})")
        if settings.model_format != "custom" and not settings.model_uri:
            problems.append(f"MODEL_URI must name the artifact directory when MODEL_FORMAT is {settings.model_format} "
                            "(the bundled example is a custom model), e.g. MODEL_URI=file:///models/fraud/1")
        if settings.grpc_port == settings.port:
            problems.append(f"GRPC_PORT must differ from PORT ({settings.port}), got {settings.grpc_port} "
                            "(e.g. GRPC_PORT=8081)")
        if problems:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))
        return settings

    def body_deadline_seconds(self) -> float:
        """BODY_TIMEOUT_SECONDS, or REQUEST_TIMEOUT_SECONDS when it is unset."""
        return self.request_timeout_seconds if self.body_timeout_seconds is None else self.body_timeout_seconds

    def runtime_options(self) -> RuntimeOptions:
        return RuntimeOptions(model_format=self.model_format, device=self.device, precision=self.precision,
                              sha256=self.model_sha256, tensorrt=self.onnx_tensorrt)


def _matching(pattern: "re.Pattern[str]", max_length: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if len(raw) > max_length or not pattern.match(raw):
            raise ValueError(raw)
        return raw
    return parse


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value
    return parse


def _number_between(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not low <= value <= high:  # also rejects nan
            raise ValueError(raw)
        return value
    return parse


def _choice(choices: tuple) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.lower() not in choices:
            raise ValueError(raw)
        return raw.lower()
    return parse


def _flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


def _one_of(choices: tuple) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.upper() not in choices:
            raise ValueError(raw)
        return raw.upper()
    return parse
