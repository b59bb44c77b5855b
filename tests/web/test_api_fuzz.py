"""schemathesis drives the API from its own OpenAPI document, with every check it has:
no 5xx, status codes and content types as documented, every response body valid against
its schema, documented data accepted (positive) and undocumented data refused (negative)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

ENDPOINTS = ("configure", "explain", "repair", "complete")


@pytest.fixture(scope="module")
def api_schema(shared_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", shared_app)


def _operations(schema):
    return {
        f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())
    }


LABELS = ["GET /products/{product_id}"] + [
    f"POST /products/{p}/{e}" for p in ("helmet", "jacket") for e in ENDPOINTS
]
# saved designs: random tokens find nothing (404), random bodies are refused or saved
LABELS += [f"POST /products/{p}/designs" for p in ("helmet", "jacket")] + [
    "GET /designs/{token}",
    "PUT /designs/{token}",
    "DELETE /designs/{token}",
    "POST /designs/{token}/shares",
    "DELETE /designs/{token}/shares/{share_token}",
    "GET /shared/{token}",
]
CASES = [  # it takes nothing to get these wrong
    ("GET /products", GenerationMode.POSITIVE),
    ("GET /notices/keep-designs", GenerationMode.POSITIVE),
] + [
    (label, mode) for label in LABELS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_the_api_keeps_every_promise_of_its_document(api_schema, label, mode):
    operations = _operations(api_schema)
    assert {"GET /products", "GET /products/{product_id}"} <= set(operations)
    operation = operations[label]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        # the WSGI transport hands back the body as sent: ask for it uncompressed
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    check()


def test_every_documented_operation_is_fuzzed(api_schema):
    assert set(_operations(api_schema)) == {label for label, _ in CASES}
