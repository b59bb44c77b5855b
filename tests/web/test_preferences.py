"""Declared preferences through the shop: asked with their own box, used visibly, withdrawn in one
click, and never written by anything but the shopper's own submit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from configurator.store import ConsentEvent, Preference
from tests.web.test_saving import csrf_of, save

NOTE = re.compile(r'class="preference-note[^"]*">\s*<p>([^<]+)</p>')


@pytest.fixture
def shop(make_app, database_url):
    return make_app(database_url=database_url)


def declare(client, key: str, *answers: str, consent: bool = True):
    page = client.get("/preferences").text
    section = page[page.index(f'id="q-{key}"') :]
    notice = re.search(r'name="notice" value="([0-9a-f]{64})"', section).group(1)
    data = {"answer": list(answers), "notice": notice, "csrf_token": csrf_of(section)}
    if consent:
        data["consent"] = "yes"
    return client.post(f"/preferences/{key}", data=data)


def preference_rows(app) -> list[tuple]:
    with app.extensions["database"].session() as session:
        return [
            (p.key, tuple(p.answers))
            for p in session.scalars(select(Preference).order_by(Preference.key))
        ]


def test_the_questions_are_asked_without_a_cookie(shop):
    page = shop.test_client().get("/preferences")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "What is your head size?" in page.text
    assert "Use my answer for this: We pre-select your helmet size from it." in page.text
    assert 'name="consent" value="yes">' in page.text  # unticked


def test_an_answer_needs_its_own_box_and_records_its_consent(shop):
    client = shop.test_client()
    refused = declare(client, "head_size", "m", consent=False)
    assert refused.status_code == 400 and "Tick the box" in refused.text
    assert "Set-Cookie" not in refused.headers and preference_rows(shop) == []
    assert declare(client, "head_size", "m").status_code == 303
    assert preference_rows(shop) == [("head_size", ("m",))]
    with shop.extensions["database"].session() as session:
        (event,) = session.scalars(select(ConsentEvent)).all()
    assert (event.purpose, event.granted) == ("preference:head_size", True)
    assert event.notice_version.startswith("q-") and len(event.notice_sha256) == 64
    assert "You told us on" in client.get("/preferences").text


def test_a_declared_size_is_preselected_with_a_note_and_drawn(shop):
    client = shop.test_client()
    declare(client, "head_size", "m")
    page = client.get("/p/helmet").text
    (note,) = NOTE.findall(page)
    assert note.startswith("Pre-selected because you told us on ")
    assert "“What is your head size?” M (57-58 cm)." in note
    assert re.search(r'id="opt-size-m"[^>]*checked', page)
    assert "_prefer=size%3Am" in page  # the preview draws the pre-selection
    # a choice made on the page wins, without a note
    chosen = client.get("/p/helmet?size=s").text
    assert NOTE.findall(chosen) == [] and re.search(r'id="opt-size-s"[^>]*checked', chosen)
    # a visitor without the cookie gets the catalog's default, and the shared page memo
    # never hands them this shopper's page
    other = shop.test_client().get("/p/helmet").text
    assert NOTE.findall(other) == [] and "_prefer" not in other


def test_an_impossible_preselection_is_not_applied_and_says_why(shop):
    client = shop.test_client()
    declare(client, "head_size", "xxl")
    page = client.get("/p/helmet?shell_type=open_face").text
    (note,) = NOTE.findall(page)
    assert note.startswith("Not pre-selected, although you told us on ")
    assert not re.search(r'id="opt-size-xxl"[^>]*checked', page)


def test_dont_use_this_withdraws_in_one_click_and_keeps_the_design(shop):
    client = shop.test_client()
    declare(client, "head_size", "m")
    page = client.get("/p/helmet?shell_type=modular").text
    token = re.search(r'name="csrf_token" value="([^"]+)">Don', page).group(1)
    form = {"csrf_token": token, "shell_type": "modular", "size": "m", "_suggested": "size:m"}
    gone = client.post("/preferences/head_size/withdraw?back=helmet", data=form)
    assert gone.status_code == 303
    assert gone.headers["Location"] == "/p/helmet?shell_type=modular"
    assert preference_rows(shop) == []
    with shop.extensions["database"].session() as session:
        granted = [
            e.granted for e in session.scalars(select(ConsentEvent).order_by(ConsentEvent.id))
        ]
    assert granted == [True, False]  # the withdrawal is recorded, the answer deleted
    assert NOTE.findall(client.get("/p/helmet?shell_type=modular").text) == []


def test_nothing_is_ever_inferred(shop):
    """Saving designs, clicking, reviewing, using the API: the preference table never moves."""
    client = shop.test_client()
    declare(client, "head_size", "l")
    before = preference_rows(shop)
    save(client, query="shell_type=full_face&size=s&shell_colour=chrome")
    save(client, query="size=xs&finish=matte")
    for url in (
        "/p/helmet?size=xl",
        "/p/helmet?size=s&shell_colour=racing_red",
        "/p/helmet/complete?size=m",
        "/p/helmet/review?shell_type=full_face&size=m&shell_colour=racing_red&finish=gloss&visor=clear&lining=black",
        "/p/jacket?size=m",
        "/designs",
    ):
        client.get(url, headers={"HX-Request": "true"})
        client.get(url)
    client.post("/api/v1/products/helmet/configure", json={"selections": {"size": "s"}})
    assert preference_rows(shop) == before
    with shop.extensions["database"].session() as session:
        assert session.scalar(select(func.count()).select_from(Preference)) == 1


WISH = re.compile(r'class="preference-note[^"]*">\s*<p>([^<]+)</p>')


def finish_for_me(client, query: str = "") -> tuple[str, str]:
    response = client.get(f"/p/helmet/complete?{query}")
    assert response.status_code == 303
    url = response.headers["Location"]
    return url, client.get(url).text


def test_finish_for_me_honours_declared_tastes_and_names_them(shop):
    client = shop.test_client()
    declare(client, "finishes_i_like", "matte")
    declare(client, "colours_i_like", "blue")
    url, page = finish_for_me(client)
    assert "finish=matte" in url and "shell_colour=cobalt_blue" in url and "_wishes=1" in url
    notes = WISH.findall(page)
    assert any(n.startswith("Matte finish: you told us on ") for n in notes), notes
    assert any(n.startswith("Cobalt blue metallic shell colour: you told us") for n in notes), notes
    # without tastes, Finish for me is what it always was
    plain_url, plain = finish_for_me(shop.test_client())
    assert "_wishes" not in plain_url and WISH.findall(plain) == []


def test_where_a_rule_forbids_one_taste_the_other_is_kept_and_the_page_says_why(shop):
    client = shop.test_client()
    declare(client, "finishes_i_like", "matte")
    declare(client, "colours_i_like", "white")  # matte white is forbidden (finish-by-colour)
    url, page = finish_for_me(client)
    notes = WISH.findall(page)
    honoured = [n for n in notes if not n.startswith("Not ")]
    refused = [n for n in notes if n.startswith("Not ")]
    assert len(honoured) == 1 and len(refused) == 1, notes
    assert "mark too easily" in refused[0]
    # the same answer every time
    assert finish_for_me(client)[0] == url


def test_surprise_me_takes_the_tastes_too(shop):
    client = shop.test_client()
    declare(client, "finishes_i_like", "satin")
    response = client.get("/p/helmet/surprise")
    assert "finish=satin" in response.headers["Location"]


def test_declared_initials_are_offered_beside_the_field_never_added_unasked(shop):
    client = shop.test_client()
    declare(client, "initials", "QZX")
    page = client.get("/p/helmet?shell_type=full_face").text
    (note,) = NOTE.findall(page)
    assert "“Your initials, for monograms” QZX." in note
    assert 'value="QZX"' not in page  # not typed in for them: a monogram costs extra
    use = re.search(r'<a href="\?([^"]+)">Use “QZX”</a>', page).group(1)
    used = client.get("/p/helmet?" + use.replace("&amp;", "&")).text
    assert 'value="QZX"' in used and NOTE.findall(used) == []
