"""Environment variables: defaults, parsing, and errors that name the variable, the rule and a fix."""

from __future__ import annotations

import pytest

from ${{ values.pythonPackage }}.config import ConfigError, Settings


def test_defaults_follow_the_platform_conventions():
    settings = Settings.from_env({})
    assert (settings.port, settings.drain_seconds, settings.request_timeout_seconds) == (8080, 5.0, 60.0)
    assert settings.max_request_bytes == 8 * 1024 * 1024 and settings.log_level == "INFO"


def test_values_are_read():
    settings = Settings.from_env({"PORT": "9000", "DRAIN_SECONDS": "0.5", "LOG_LEVEL": "debug",
                                  "MODEL_URI": "s3://models/fraud/2", "MODEL_VERSION": "2024-06-01"})
    assert settings.port == 9000 and settings.drain_seconds == 0.5 and settings.log_level == "DEBUG"
    assert settings.model_uri == "s3://models/fraud/2" and settings.model_version == "2024-06-01"


def test_every_problem_is_reported_with_a_fix():
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"PORT": "http", "DRAIN_SECONDS": "-1", "MODEL_URI": "ftp://x", "MODEL_NAME": "Bad Name"})
    message = str(raised.value)
    for fragment in ["PORT must be a whole number", "e.g. PORT=8080", "DRAIN_SECONDS", "MODEL_URI", "MODEL_NAME"]:
        assert fragment in message


def test_serving_settings_default_from_the_answers_and_are_overridable():
    settings = Settings.from_env({})
    assert settings.grpc_port == 8081 and settings.header_timeout_seconds == 10.0
    assert settings.max_batch_size >= 1 and settings.max_queue_length >= settings.max_batch_size
    settings = Settings.from_env({"MAX_BATCH_SIZE": "8", "MAX_BATCH_DELAY_MS": "2.5", "MAX_QUEUE_LENGTH": "64",
                                  "GRPC_PORT": "0", "HEADER_TIMEOUT_SECONDS": "3"})
    assert (settings.max_batch_size, settings.max_batch_delay_ms, settings.max_queue_length) == (8, 2.5, 64)
    assert settings.grpc_port == 0 and settings.header_timeout_seconds == 3.0


def test_the_body_deadline_defaults_to_the_request_timeout_and_is_checked():
    assert Settings.from_env({"REQUEST_TIMEOUT_SECONDS": "7"}).body_deadline_seconds() == 7.0
    both = Settings.from_env({"REQUEST_TIMEOUT_SECONDS": "7", "BODY_TIMEOUT_SECONDS": "2.5"})
    assert both.body_deadline_seconds() == 2.5
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"BODY_TIMEOUT_SECONDS": "0"})
    assert "BODY_TIMEOUT_SECONDS must be a number of seconds from 0.1 to 86400, got '0'" in str(raised.value)


def test_serving_settings_are_checked_together():
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"MAX_BATCH_SIZE": "64", "MAX_QUEUE_LENGTH": "8", "GRPC_PORT": "8080"})
    message = str(raised.value)
    assert "MAX_QUEUE_LENGTH must be at least MAX_BATCH_SIZE (64)" in message and "e.g. MAX_QUEUE_LENGTH=256" in message
    assert "GRPC_PORT must differ from PORT (8080)" in message
