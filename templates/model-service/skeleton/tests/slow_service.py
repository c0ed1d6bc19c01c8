"""The service with a model held back on purpose, run as a process by test_shutdown.py: after its warm-up,
each call waits until the file MODEL_GATE_FILE exists, then takes MODEL_DELAY_SECONDS."""

from __future__ import annotations

import os
import sys
import time

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.config import Settings
from ${{ values.pythonPackage }}.logs import configure_logging
from ${{ values.pythonPackage }}.model_store import BUNDLED_MODEL_DIR
from ${{ values.pythonPackage }}.server import serve
from ${{ values.pythonPackage }}.softmax_classifier import SoftmaxClassifier


class SlowClassifier(SoftmaxClassifier):
    run_in_thread = True
    warmed_up = False

    def predict(self, inputs):
        gate = os.environ.get("MODEL_GATE_FILE")
        if gate and self.warmed_up:
            deadline = time.monotonic() + 30
            while not os.path.exists(gate) and time.monotonic() < deadline:
                time.sleep(0.01)
        self.warmed_up = True
        time.sleep(float(os.environ.get("MODEL_DELAY_SECONDS", "0")))
        return super().predict(inputs)


def load_slow(uri, cache_dir):
    return SlowClassifier.load(BUNDLED_MODEL_DIR), "bundled"


if __name__ == "__main__":
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    app = create_app(settings, loader=load_slow)
    sys.exit(serve(app, settings, app.state.service))
