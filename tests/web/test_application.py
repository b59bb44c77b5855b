"""The app's Flask class and Jinja environment (web/application.py, web/templating.py): the
shortcuts they take give what Flask and Jinja would."""

from __future__ import annotations

import functools

import pytest
from flask import Flask

from configurator.web.application import App
from configurator.web.templating import Templates


def plain(x):
    return x


async def coroutine(x):
    return x


class Hooks:
    def method(self, x):
        return x

    async def async_method(self, x):
        return x


def test_plain_functions_and_methods_are_returned_as_they_are(app):
    assert isinstance(app, App)
    hooks = Hooks()
    for func in (plain, hooks.method, lambda: None):
        assert app.ensure_sync(func) is func
    partial = functools.partial(plain, 1)
    assert app.ensure_sync(partial) is Flask.ensure_sync(app, partial)


@pytest.mark.parametrize("func", [coroutine, Hooks().async_method])
def test_coroutine_functions_go_to_flask(app, func):
    """Flask wraps them (or says it needs its async extra): never returned unwrapped."""
    try:
        wrapped = app.ensure_sync(func)
    except RuntimeError as needs_extra:
        assert "async" in str(needs_extra)
        return
    assert wrapped is not func


def test_templates_see_every_global_and_their_own(app):
    """The plain dict holds what the ChainMap did: the environment's globals (Flask's and
    Flask-WTF's) and a template's own globals over them."""
    env = app.jinja_env
    assert isinstance(env, Templates)
    with app.test_request_context("/"):
        template = env.from_string(
            "{{ url_for('shop.product_list') }} {{ csrf_token()|length > 0 }} {{ mine }} {{ range(2)|list }}",
            globals={"mine": "own", "range": lambda n: [7] * n},
        )
        assert template.render() == "/ True own [7, 7]"
        assert env.from_string("{{ range(2)|list }}").render() == "[0, 1]"
