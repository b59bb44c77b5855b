"""The privacy centre: everything held in one place, exported (JSON against its published schema,
CSV zip), withdrawn per purpose, receipts, and "delete everything" leaving no trace (both databases)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import inspect, select, text

from configurator.store import OutboxMessage
from tests.web.test_preferences import declare
from tests.web.test_saving import csrf_of, save

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "privacy-export.schema.json").read_text()
)
QUERY = "shell_type=open_face&shell_colour=arctic_white&monogram=QZX"


@pytest.fixture
def shop(make_app, database_url):
    return make_app(database_url=database_url)


def shopper_with_everything(shop):
    """A keyring holding two designs (one shared), two answers and a queued e-mail."""
    client = shop.test_client()
    first = save(client, query=QUERY, name="Zebra Unicorn").headers["Location"]
    token = first.split("/")[-1].split("?")[0]
    page = client.get(f"/designs/{token}").text
    client.post(f"/designs/{token}/share", data={"days": "30", "csrf_token": csrf_of(page)})
    save(client, query="shell_type=modular", name="Quokka Vortex")
    declare(client, "head_size", "l")
    declare(client, "initials", "QZX")
    designs = client.get("/designs").text
    notice = re.search(r'name="notice" value="([0-9a-f]{64})"', designs).group(1)
    client.post(
        "/designs/keyring/email",
        data={
            "email": "xylophone@example.org",
            "send": "yes",
            "notice": notice,
            "csrf_token": csrf_of(designs),
        },
    )
    share = re.search(r"/shared/([A-Za-z0-9_-]+)", client.get(f"/designs/{token}").text).group(1)
    return client, token, share


def test_the_centre_shows_everything_held(shop):
    client, _token, _share = shopper_with_everything(shop)
    page = client.get("/privacy").text
    for held in (
        "Zebra Unicorn",
        "Quokka Vortex",
        "What is your head size?",
        "xylophone@example.org",
    ):
        assert held in page, held
    assert page.count("granted") >= 4  # the ledger, newest first
    assert "Keep my designs on this site" in page and "Withdraw" in page
    empty = shop.test_client().get("/privacy")
    assert "This browser: nothing" in empty.text and "Set-Cookie" not in empty.headers


def test_the_export_is_everything_and_follows_its_schema(shop):
    client, _token, _share = shopper_with_everything(shop)
    response = client.get("/privacy/export.json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    jsonschema.validate(data, SCHEMA)
    assert sorted(d["name"] for d in data["designs"]) == ["Quokka Vortex", "Zebra Unicorn"]
    zebra = next(d for d in data["designs"] if d["name"] == "Zebra Unicorn")
    assert zebra["choices"] == [
        {"attribute": "shell_type", "value": "open_face"},
        {"attribute": "shell_colour", "value": "arctic_white"},
        {"attribute": "monogram", "value": "QZX"},
    ]
    assert len(zebra["share_links"]) == 1
    assert {p["question"]: p["answers"] for p in data["preferences"]} == {
        "head_size": ["l"],
        "initials": ["QZX"],
    }
    assert data["emails_waiting"] == ["xylophone@example.org"]
    assert [c["purpose"] for c in data["consents"]][-1] == "keep-designs"  # newest first
    archive = zipfile.ZipFile(io.BytesIO(client.get("/privacy/export.zip").data))
    assert sorted(archive.namelist()) == [
        "consents.csv",
        "designs.csv",
        "emails.csv",
        "preferences.csv",
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("designs.csv").decode())))
    assert sorted(r["name"] for r in rows) == ["Quokka Vortex", "Zebra Unicorn"]
    assert len(list(csv.reader(io.StringIO(archive.read("consents.csv").decode())))) == 1 + len(
        data["consents"]
    )


def test_a_receipt_per_consent(shop):
    client, _token, _share = shopper_with_everything(shop)
    data = client.get("/privacy/export.json").get_json()
    first = data["consents"][-1]
    receipt = client.get(f"/privacy/receipts/{first['id']}.json").get_json()
    assert receipt["purpose"] == "keep-designs"
    assert receipt["notice"] == {
        "version": first["notice_version"],
        "sha256": first["notice_sha256"],
    }
    assert "privacy" in receipt["withdraw"] and receipt["sharing"].startswith("none")
    assert shop.test_client().get(f"/privacy/receipts/{first['id']}.json").status_code == 404


def test_withdrawing_a_purpose_deletes_what_was_kept_for_it(shop):
    client, token, share = shopper_with_everything(shop)
    page = client.get("/privacy").text
    client.post("/privacy/withdraw/keep-designs", data={"csrf_token": csrf_of(page)})
    assert client.get(f"/designs/{token}").status_code == 404
    assert client.get(f"/shared/{share}").status_code == 404
    client.post("/privacy/withdraw/email-keyring-link", data={"csrf_token": csrf_of(page)})
    with shop.extensions["database"].session() as session:
        assert session.scalars(select(OutboxMessage)).all() == []
    client.post("/privacy/withdraw/preference:head_size", data={"csrf_token": csrf_of(page)})
    data = client.get("/privacy/export.json").get_json()
    assert data["designs"] == [] and data["emails_waiting"] == []
    assert [p["question"] for p in data["preferences"]] == ["initials"]
    withdrawn = [c["purpose"] for c in data["consents"] if not c["granted"]]
    assert sorted(withdrawn) == ["email-keyring-link", "keep-designs", "preference:head_size"]


def test_delete_everything_leaves_no_trace(shop):
    client, token, share = shopper_with_everything(shop)
    secret_cookie = client.get_cookie("keyring").value
    page = client.get("/privacy").text
    gone = client.post("/privacy/erase", data={"csrf_token": csrf_of(page)})
    assert gone.status_code == 303 and "keyring=;" in gone.headers["Set-Cookie"]
    assert client.get(f"/designs/{token}").status_code == 404
    assert client.get(f"/shared/{share}").status_code == 404
    # every column of every table: none of the shopper's names, texts, address or tokens
    traces = ["Zebra Unicorn", "Quokka Vortex", "QZX", "xylophone@example.org", token, share]
    engine = shop.extensions["database"].engine
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    for trace in traces:
                        assert trace not in str(value), (table, trace)
    assert secret_cookie  # the cookie held the secret; the database never did
    assert "This browser: nothing" in client.get("/privacy").text


def test_an_old_consent_keeps_the_words_it_was_given_under(shop, tmp_path, monkeypatch):
    from configurator.services import notices

    client = shop.test_client()
    save(client)
    old = client.get("/privacy/export.json").get_json()["consents"][0]
    old_text = client.get(f"/privacy/notices/{old['notice_sha256']}").text
    assert "Keeping your designs on this site" in old_text
    # the merchandiser rewrites the notice: a new version with new words
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "keep-designs-v2.txt").write_text(
        (notices.HERE / "keep-designs.txt").read_text().replace("Never shared", "Not ever shared")
    )
    monkeypatch.setattr(notices, "HERE", folder)
    monkeypatch.setitem(notices.NOTICES, "keep-designs", ("2", "keep-designs-v2.txt"))
    other = shop.test_client()
    save(other, name="Under v2")
    new = other.get("/privacy/export.json").get_json()["consents"][0]
    assert (new["notice_version"], old["notice_version"]) == ("2", "1")
    assert new["notice_sha256"] != old["notice_sha256"]
    assert "Not ever shared" in other.get(f"/privacy/notices/{new['notice_sha256']}").text
    # the old consent still points at its own words and hash
    again = client.get(f"/privacy/notices/{old['notice_sha256']}").text
    assert "Not ever shared" not in again and "Never shared" in again
    assert client.get("/privacy/notices/" + "0" * 64).status_code == 404
