"""Text answers (HTML, JSON, CSS, JS, SVG) are compressed with gzip or br on request and decode to
the same bytes; images are sent as they are (webp and png are already compressed)."""

from __future__ import annotations

import gzip

import brotli
import pytest

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
TEXTS = {
    "page": "/p/helmet",
    "fragment": "/p/helmet?shell_type=open_face",
    "list": "/",
    "API JSON": "/api/v1/products/helmet",
    "OpenAPI": "/api/v1/openapi.json",
    "swatch stylesheet": "/p/helmet/swatches.css",
    "stylesheet": "/static/css/app.css",
    "script": "/static/js/htmx-2.0.11.min.js",
}


def get(web, address: str, encoding: str, **headers):
    with web.get(address, headers={"Accept-Encoding": encoding, **headers}) as response:
        response.get_data()
        return response


@pytest.mark.parametrize("encoding", DECODE)
@pytest.mark.parametrize("name", TEXTS)
def test_text_is_compressed_and_decodes_to_the_same_bytes(web, name, encoding):
    address = TEXTS[name]
    plain = get(web, address, "identity")
    packed = get(web, address, encoding)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert len(packed.data) < len(plain.data)
    assert DECODE[encoding](packed.data) == plain.data
    assert packed.mimetype == plain.mimetype


def test_svg_is_a_compressed_type_and_tiny_bodies_are_left_alone(shared_app, web):
    """The one SVG (the favicon, 178 bytes) is under Flask-Compress's 500-byte floor."""
    assert "image/svg+xml" in shared_app.config["COMPRESS_MIMETYPES"]
    assert "image/webp" not in shared_app.config["COMPRESS_MIMETYPES"]
    assert "Content-Encoding" not in get(web, "/static/favicon.svg", "gzip").headers


def test_an_htmx_fragment_is_compressed_too(web):
    plain = get(web, TEXTS["fragment"], "identity", **{"HX-Request": "true"})
    packed = get(web, TEXTS["fragment"], "gzip", **{"HX-Request": "true"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["HX-Push-Url"] == plain.headers["HX-Push-Url"]


def test_an_api_post_answer_is_compressed(web):
    body = {"selections": {"shell_type": "open_face"}}
    plain = web.post("/api/v1/products/helmet/configure", json=body)
    packed = web.post(
        "/api/v1/products/helmet/configure", json=body, headers={"Accept-Encoding": "gzip"}
    )
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data


@pytest.mark.parametrize("fmt", ["webp", "png"])
def test_images_are_never_recompressed(web, fmt):
    response = get(web, f"/preview/helmet/front.{fmt}?w=200", "gzip, br")
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_preview_etag_and_304_still_work_with_compression_asked(web):
    address = "/preview/helmet/front.webp?w=200&shell_type=open_face"
    first = get(web, address, "gzip, br")
    etag = first.headers["ETag"]
    assert ":" not in etag  # the image's own ETag, not a compressed variant's
    again = get(web, address, "gzip, br", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_a_compressed_stylesheet_revalidates_with_its_own_etag(web):
    first = get(web, "/p/helmet/swatches.css", "gzip")
    etag = first.headers["ETag"]
    assert etag.endswith(':gzip"')  # a variant's ETag: not the identity body's
    again = get(web, "/p/helmet/swatches.css", "gzip", **{"If-None-Match": etag})
    assert again.status_code == 304
    plain = get(web, "/p/helmet/swatches.css", "identity", **{"If-None-Match": etag})
    assert plain.status_code == 200  # the gzip variant's ETag does not validate identity bytes
