"""Whatever a file holds, loading gives a Product or CatalogError: never another exception."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from configurator.catalog import CatalogError, load_product
from configurator.catalog.model import Product

from .samples import BASE

# Keys the loader knows, so generated structures reach deep into the checks.
KEYS = [
    "product",
    "steps",
    "attributes",
    "rules",
    "id",
    "name",
    "label",
    "currency",
    "base_price",
    "views",
    "options",
    "price",
    "sku",
    "swatch",
    "layers",
    "view",
    "image",
    "order",
    "effect",
    "kind",
    "max_length",
    "pattern",
    "default",
    "requires",
    "excludes",
    "table",
    "applies",
    "when",
    "then",
    "rows",
    "rows_file",
    "mode",
    "attribute",
    "message",
    "text",
    "bom",
    "required",
]
WORDS = [
    "thing",
    "colour",
    "red",
    "none",
    "filled",
    "*",
    "front",
    "EUR",
    "1.50",
    "text",
    "choice",
    "forbidden",
    "gloss",
    "#fff",
    "art/body.png",
    "../x",
    "{colour}",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
)
keys = st.sampled_from(KEYS) | st.text(max_size=8)
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)


def outcome(folder, text: str) -> Product | CatalogError:
    """Load `text` as a product file; the only exception allowed is CatalogError."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "art").mkdir(exist_ok=True)
    (folder / "art" / "body.png").write_bytes(b"png")
    path = folder / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return load_product(path)
    except CatalogError as error:
        assert any(p.severity == "error" for p in error.problems)
        return error


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text(tmp_path_factory, text):
    result = outcome(tmp_path_factory.getbasetemp() / "text", text)
    assert isinstance(result, Product | CatalogError)


@settings(max_examples=300, deadline=None)
@given(data=structures)
def test_arbitrary_yaml_structures(tmp_path_factory, data):
    result = outcome(
        tmp_path_factory.getbasetemp() / "structures", yaml.safe_dump(data, allow_unicode=True)
    )
    assert isinstance(result, Product | CatalogError)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutations_of_a_valid_product(tmp_path_factory, data):
    """Replace one value somewhere in a valid product with something arbitrary."""
    document = yaml.safe_load(BASE)
    node, path = document, []
    while isinstance(node, dict | list) and node:
        key = data.draw(
            st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
        )
        path.append(key)
        if data.draw(st.booleans()):
            break
        node = node[key]
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(structures)
    result = outcome(
        tmp_path_factory.getbasetemp() / "mutations", yaml.safe_dump(document, allow_unicode=True)
    )
    assert isinstance(result, Product | CatalogError)
