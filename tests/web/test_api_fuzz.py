"""schemathesis drives the API from its own OpenAPI document, with every check it has:
no 5xx, status codes and content types as documented, every response body valid against
its schema, documented data accepted (positive) and undocumented data refused (negative)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, reject, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

ENDPOINTS = ("configure", "explain", "repair", "complete")


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """An app of its own (the fuzz saves and orders) whose rate limits stay out of the way:
    a 429 would pass every check and hide what the request would have done."""
    from configurator.web import create_app, protect
    from tests.conftest import CATALOG, app_config

    folder = tmp_path_factory.mktemp("api-fuzz")
    limits = {f"RATELIMIT_{kind}": "1000000 per minute" for kind in ("SAVE", "LOOKUP", "EMAIL")}
    app = create_app(
        app_config(folder / "instance", CATALOG, f"sqlite:///{folder / 'app.sqlite3'}", **limits)
    )
    app.extensions["database"].upgrade()
    from configurator.services import staff

    app.config["FUZZ_TOKEN"] = staff.create_token(
        app.extensions["configurator"], "fuzz", "fulfillment"
    )
    yield app
    app.extensions["configurator"].close()
    protect.close(app)


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


def _operations(schema):
    return {
        f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())
    }


LABELS = ["GET /products/{product_id}"] + [
    f"POST /products/{p}/{e}" for p in ("helmet", "jacket") for e in ENDPOINTS
]
# saved designs: random tokens find nothing (404), random bodies are refused or saved
LABELS += (
    [f"POST /products/{p}/designs" for p in ("helmet", "jacket")]
    + [
        "GET /designs/{token}",
        "PUT /designs/{token}",
        "DELETE /designs/{token}",
        "POST /designs/{token}/shares",
        "DELETE /designs/{token}/shares/{share_token}",
        "GET /shared/{token}",
        "GET /orders/{token}",
    ]
    + [f"POST /products/{p}/orders" for p in ("helmet", "jacket")]
)
# the fulfillment API, with a fulfillment token (random order numbers find nothing: 404)
STAFF = {"GET /orders", "POST /orders/{number}/status"}
LABELS += sorted(STAFF)
CASES = [  # it takes nothing to get these wrong
    ("GET /products", GenerationMode.POSITIVE),
    ("GET /notices/keep-designs", GenerationMode.POSITIVE),
] + [
    (label, mode) for label in LABELS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_the_api_keeps_every_promise_of_its_document(api_schema, fuzz_app, label, mode):
    operations = _operations(api_schema)
    assert {"GET /products", "GET /products/{product_id}"} <= set(operations)
    operation = operations[label]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        # the WSGI transport hands back the body as sent: ask for it uncompressed
        headers = {"Accept-Encoding": "identity"}
        if label in STAFF and not _negative(case, ParameterLocation.HEADER):
            headers["Authorization"] = f"Bearer {fuzz_app.config['FUZZ_TOKEN']}"
        if (
            label == "GET /orders"
            and _negative(case, ParameterLocation.QUERY)
            and _sent_valid(case)
        ):
            reject()  # the invalid part vanished on the way out (an empty list sends nothing)
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    # An order's body can be schema-valid and still be refused (422): the document cannot
    # say which choices the catalog's rules allow together, nor which e-mail addresses
    # deliver. Every other check (no 5xx, documented codes and bodies, negative data) stays.
    # A status change likewise: a valid body for an order number that does not exist is a 404.
    refusable = label.endswith("/orders") and label.startswith("POST") or label.endswith("/status")
    excluded = [positive_data_acceptance] if refusable else []

    check()


def _negative(case, location) -> bool:
    """Whether schemathesis meant this part of the request to break the document: the test's
    own bearer token must not mend a header it took away on purpose."""
    info = case.meta.components.get(location) if case.meta else None
    return info is not None and info.mode == GenerationMode.NEGATIVE


def _sent_valid(case) -> bool:
    """Whether GET /orders's query as it is sent (not as generated) is one the document allows."""
    from configurator.web.api_staff_schemas import OrdersQuery

    sent = Request(EnvironBuilder(path="/", query_string=case.query or {}).get_environ()).args
    return not OrdersQuery().validate(sent.to_dict())


def test_every_documented_operation_is_fuzzed(api_schema):
    assert set(_operations(api_schema)) == {label for label, _ in CASES}
