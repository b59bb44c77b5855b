"""Bad input to the saving, preferences and privacy pages: always a 4xx or a page, never a 500
(hypothesis drives every form with arbitrary fields, with and without a keyring)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.test_saving import csrf_of, save

text = st.text(max_size=300)
keyish = st.one_of(st.sampled_from(["head_size", "initials", "colours_i_like", "nope", ""]), text)
form = st.dictionaries(
    st.sampled_from(
        [
            "design",
            "name",
            "keep",
            "notice",
            "answer",
            "consent",
            "days",
            "email",
            "send",
            "as",
            "_saved",
        ]
    ),
    st.one_of(text, st.lists(text, max_size=3)),
    max_size=8,
)
PAGES = [
    "/p/helmet/save?{q}",
    "/designs/{t}",
    "/shared/{t}",
    "/k/{t}",
    "/privacy/notices/{t}",
    "/privacy/receipts/{n}.json",
    "/preferences",
    "/privacy",
    "/designs",
]
POSTS = [
    "/p/helmet/save",
    "/preferences/{k}",
    "/preferences/{k}/withdraw?back={q}",
    "/designs/{t}/rename",
    "/designs/{t}/share",
    "/designs/{t}/share/{t}/revoke",
    "/designs/{t}/delete",
    "/designs/{t}/duplicate",
    "/designs/{t}/update",
    "/designs/keyring/email",
    "/designs/keyring/delete",
    "/privacy/withdraw/{k}",
    "/privacy/erase",
    "/k/{t}",
]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """An app of its own (the fuzz writes), with limits high enough not to get in the way."""
    from configurator.web import create_app, protect
    from tests.conftest import CATALOG, app_config

    folder = tmp_path_factory.mktemp("fuzz")
    config = app_config(
        folder / "instance",
        CATALOG,
        f"sqlite:///{folder / 'app.sqlite3'}",
        RATELIMIT_SAVE="100000 per minute",
        RATELIMIT_LOOKUP="100000 per minute",
        RATELIMIT_EMAIL="100000 per minute",
    )
    app = create_app(config)
    app.extensions["database"].upgrade()
    yield app
    app.extensions["configurator"].close()
    protect.close(app)


def _fill(template: str, token: str, key: str, query: str, number: int) -> str:
    from urllib.parse import quote

    return template.format(t=quote(token, safe=""), k=quote(key, safe=""), q=query, n=number)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    holder=st.booleans(),
    page=st.sampled_from(PAGES),
    post=st.sampled_from(POSTS),
    token=st.one_of(st.text(alphabet="abcXYZ019_-", min_size=20, max_size=64), text),
    key=keyish,
    query=st.sampled_from(
        ["", "shell_type=open_face", "size=zz&_order=size", "monogram=%00%ff", "x" * 200]
    ),
    number=st.integers(min_value=-5, max_value=10**12),
    data=form,
)
def test_no_form_or_link_answers_500(fuzzed, holder, page, post, token, key, query, number, data):
    client = fuzzed.test_client()
    if holder:
        save(client)
        data = {**data, "csrf_token": csrf_of(client.get("/designs").text)}
    got = client.get(_fill(page, token, key, query, number))
    assert got.status_code < 500, (page, got.status_code)
    sent = client.post(_fill(post, token, key, query, number), data=data)
    assert sent.status_code < 500, (post, sent.status_code, re.sub(r"\s+", " ", sent.text)[:300])
