"""What the service knows about itself: the model once loaded, and whether it is shutting down."""

from __future__ import annotations

from typing import Optional

from .model import Model
from .protocol import ProtocolError


class ServiceState:
    def __init__(self, model_name: str, model_version: str) -> None:
        self.model_name, self.model_version = model_name, model_version
        self.model: Optional[Model] = None
        self.load_error: Optional[str] = None
        # Set from a signal handler: a plain attribute, read by the request handlers.
        self.draining = False

    @property
    def ready(self) -> bool:
        """Loaded, warmed up and not shutting down: the readiness probe's answer."""
        return self.model is not None and not self.draining

    def not_ready_reason(self) -> str:
        if self.draining:
            return "the service is shutting down"
        if self.load_error is not None:
            return f"model {self.model_name} failed to load: {self.load_error}"
        return f"model {self.model_name} is loading"

    def check_served(self, name: str, version: Optional[str]) -> None:
        """404 unless this is the model (and version) served here."""
        if name != self.model_name:
            raise ProtocolError(404, "not_found", f"unknown model {name!r}: this service serves {self.model_name!r}")
        if version is not None and version != self.model_version:
            raise ProtocolError(404, "not_found", f"model {name!r} has no version {version!r}: this service "
                                f"serves version {self.model_version!r}")

    def require_model(self, name: str, version: Optional[str]) -> Model:
        """The model, or 404 (not served here) / 503 (not loaded yet)."""
        self.check_served(name, version)
        if self.model is None:
            raise ProtocolError(503, "not_ready", self.not_ready_reason())
        return self.model
