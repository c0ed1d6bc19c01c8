"""The Open Inference Protocol endpoints, end to end through the ASGI app."""

from __future__ import annotations

import pytest

from conftest import INFER, MODEL, VERSION, features_request

SETOSA, VERSICOLOR, VIRGINICA = [5.1, 3.5, 1.4, 0.2], [5.9, 3.0, 4.2, 1.5], [6.7, 3.0, 5.2, 2.3]


def test_health_and_server_metadata(client):
    assert client.get("/v2/health/live").json() == {"live": True}
    assert client.get("/v2/health/ready").json() == {"ready": True}
    metadata = client.get("/v2").json()
    assert set(metadata) == {"name", "version", "extensions"} and metadata["extensions"] == []


@pytest.mark.parametrize("path", [f"/v2/models/{MODEL}", f"/v2/models/{MODEL}/versions/{VERSION}"])
def test_model_metadata(client, path):
    body = client.get(path).json()
    assert body["name"] == MODEL and body["versions"] == [VERSION] and body["platform"] == "numpy"
    assert body["inputs"] == [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}]
    assert [output["name"] for output in body["outputs"]] == ["probabilities", "label", "class_index"]


def test_model_ready(client):
    assert client.get(f"/v2/models/{MODEL}/ready").json() == {"name": MODEL, "ready": True}
    assert client.get(f"/v2/models/{MODEL}/versions/{VERSION}/ready").status_code == 200


def test_infer_classifies_iris_flowers(client):
    response = client.post(INFER, json=features_request([SETOSA, VERSICOLOR, VIRGINICA], id="batch-7"))
    assert response.status_code == 200
    body = response.json()
    assert body["model_name"] == MODEL and body["model_version"] == VERSION and body["id"] == "batch-7"
    outputs = {output["name"]: output for output in body["outputs"]}
    assert outputs["label"] == {"name": "label", "datatype": "BYTES", "shape": [3],
                                "data": ["setosa", "versicolor", "virginica"]}
    assert outputs["class_index"]["data"] == [0, 1, 2] and outputs["class_index"]["datatype"] == "INT64"
    probabilities = outputs["probabilities"]
    assert probabilities["shape"] == [3, 3] and probabilities["datatype"] == "FP32"
    rows = [probabilities["data"][i:i + 3] for i in range(0, 9, 3)]
    assert all(abs(sum(row) - 1) < 1e-5 for row in rows)
    assert all(row[i] > 0.9 for i, row in enumerate(rows))


def test_infer_flat_data_equals_nested_and_versioned_path(client):
    nested = client.post(INFER, json=features_request([SETOSA, VIRGINICA])).json()
    flat = {"inputs": [{"name": "features", "shape": [2, 4], "datatype": "FP32", "data": SETOSA + VIRGINICA}]}
    versioned = client.post(f"/v2/models/{MODEL}/versions/{VERSION}/infer", json=flat).json()
    assert versioned["outputs"] == nested["outputs"]


def test_infer_returns_only_requested_outputs(client):
    body = client.post(INFER, json=features_request([SETOSA], outputs=[{"name": "label"}])).json()
    assert [output["name"] for output in body["outputs"]] == ["label"]


BAD_REQUESTS = {
    "not json": b"{not json",
    "not an object": b"[1, 2]",
    "no inputs": b'{"inputs": []}',
    "unknown datatype": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP8", "data": [1, 2, 3, 4]}]}',
    "model datatype": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "INT32", "data": [1, 2, 3, 4]}]}',
    "shape x data": b'{"inputs": [{"name": "features", "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}',
    "ragged nesting": b'{"inputs": [{"name": "features", "shape": [2, 4], "datatype": "FP32", "data": [[1, 2, 3, 4], [1]]}]}',
    "string as number": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": ["1", 2, 3, 4]}]}',
    "bool as number": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [true, 2, 3, 4]}]}',
    "NaN": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [NaN, 2, 3, 4]}]}',
    "FP32 overflow": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1e300, 2, 3, 4]}]}',
    "negative dim": b'{"inputs": [{"name": "features", "shape": [-1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}',
    "wrong width": b'{"inputs": [{"name": "features", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}',
    "unknown input": b'{"inputs": [{"name": "pixels", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}',
    "unknown output": b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}], "outputs": [{"name": "x"}]}',
    "id not string": b'{"id": 7, "inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}',
    "deep nesting": b"[" * 30000 + b"]" * 30000,
}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; "
                                          "boundary=x", "application/jsonp", None])
def test_infer_requires_a_json_content_type(client, content_type):
    # text/plain and form bodies are what another site's page can post here without a CORS preflight.
    body = b'{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(INFER, content=body, headers=headers)
    assert response.status_code == 415
    assert set(response.json()) == {"error"} and "application/json" in response.json()["error"]
    charset = client.post(INFER, content=body, headers={"content-type": "Application/JSON; charset=utf-8"})
    assert charset.status_code == 200


@pytest.mark.parametrize("body", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_malformed_requests_get_400_with_an_error(client, body):
    response = client.post(INFER, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_unknown_model_or_version_is_404(client):
    for path in ["/v2/models/nope/infer", f"/v2/models/{MODEL}/versions/nope/infer"]:
        response = client.post(path, json=features_request([SETOSA]))
        assert response.status_code == 404 and "error" in response.json()
    assert client.get("/v2/models/nope").status_code == 404
    assert client.get("/v2/models/nope/ready").status_code == 404
    assert client.get("/no/such/path").json()["error"]
    assert client.get(INFER).status_code == 405


def test_body_over_the_limit_is_413(client, settings):
    rows = [SETOSA] * (settings.max_request_bytes // 16)
    response = client.post(INFER, json=features_request(rows))
    assert response.status_code == 413 and "MAX_REQUEST_BYTES" in response.json()["error"]


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/v2/health/live", headers={"X-Request-ID": "req-42"}).headers["x-request-id"] == "req-42"
    generated = client.get("/v2/health/live", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"]
    assert generated != "bad id\twith spaces" and len(generated) == 32


def test_metrics_count_requests_and_errors(client):
    def sample(name, **labels):
        text = client.get("/metrics").text
        wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
        for line in text.splitlines():
            series, _, value = line.rpartition(" ")
            if series.startswith(name + "{") and ",".join(sorted(series[len(name) + 1:-1].split(","))) == wanted:
                return float(value)
        return 0.0

    rest = {"model": MODEL, "version": VERSION, "protocol": "rest"}
    before_ok = sample("inference_requests_total", code="200", **rest)
    before_bad = sample("inference_errors_total", reason="bad_request", **rest)
    client.post(INFER, json=features_request([SETOSA]))
    client.post(INFER, content=b"{", headers={"content-type": "application/json"})
    assert sample("inference_requests_total", code="200", **rest) == before_ok + 1
    assert sample("inference_errors_total", reason="bad_request", **rest) == before_bad + 1
    assert sample("inference_requests_total", code="200", model=MODEL, version=VERSION, protocol="grpc") == 0
    assert sample("inference_batch_size_count", model=MODEL, version=VERSION) >= 1
    assert sample("inference_queue_wait_seconds_count", model=MODEL, version=VERSION) >= 1
    assert sample("inference_queue_depth", model=MODEL) == 0
    assert sample("model_ready", model=MODEL, version=VERSION) == 1
    assert sample("model_info", model=MODEL, version=VERSION, source="bundled") == 1
