"""Publishing without a restart, on SQLite and PostgreSQL: two app instances serve one
database; a publish reaches both within 2 s (they poll once a second), a catalog with errors
is refused and both keep serving the published one, a page opened before a publish keeps
working (a renamed option moves, a retired one is named), and the CLI says what it did."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from contextlib import ExitStack

import pytest
from click.testing import CliRunner

from configurator.bootstrap import bootstrap
from configurator.cli import cli
from configurator.services import publishing
from tests.conftest import CATALOG
from tools.live import serve

BOUND_S = 2.0


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    return copy


@pytest.fixture
def ctx(database_url, tmp_path, folder):
    context = bootstrap(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "cli"),
            "CATALOG_DIR": str(folder),
        }
    )
    context.database.upgrade()
    yield context
    context.close()


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def edit(folder, old: str, new: str) -> None:
    path = folder / "helmet.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def eventually(check, bound: float = BOUND_S):
    """`check()` until it holds, for at most `bound` seconds; how long it took."""
    start = time.monotonic()
    while True:
        if check():
            return time.monotonic() - start
        if time.monotonic() - start > bound:
            raise AssertionError(f"not within {bound} s")
        time.sleep(0.05)


def test_two_instances_switch_within_the_bound(ctx, database_url, tmp_path, folder):
    first = publishing.publish(ctx, folder, actor="cli")
    with ExitStack() as stack:
        urls = [
            stack.enter_context(
                serve(tmp_path / f"instance-{n}", CATALOG, DATABASE_URL=database_url)
            )
            for n in (1, 2)
        ]
        helmet = [f"{u}/api/v1/products/helmet" for u in urls]
        assert {get(h)["version"] for h in helmet} == {first.versions["helmet"]}
        opened = (
            f"{urls[0]}/p/helmet?shell_colour=cobalt_blue&visor=clear&_order=shell_colour,visor"
        )
        assert "Cobalt blue metallic" in page(opened)

        edit(folder, 'base_price: "229.00"', 'base_price: "239.00"')
        start = time.monotonic()
        second = publishing.publish(ctx, folder, actor="cli")
        assert second.versions["helmet"] != first.versions["helmet"]
        for h in helmet:
            eventually(
                lambda h=h: get(h)["base_price"] == "239.00", BOUND_S - (time.monotonic() - start)
            )

        (folder / "broken.yaml").write_text("product: {id: [\n")
        with pytest.raises(publishing.Refused) as refused:
            publishing.publish(ctx, folder, actor="cli")
        assert "broken.yaml" in str(refused.value.problems[0])
        time.sleep(1.2)  # past a poll: both still serve the second publication
        assert {get(h)["version"] for h in helmet} == {second.versions["helmet"]}
        (folder / "broken.yaml").unlink()

        # retire cobalt blue: the page opened before says so on its next click
        text = (folder / "helmet.yaml").read_text()
        start_at = text.index("      - id: cobalt_blue\n")
        end_at = text.index("      - id: signal_yellow\n")
        text = text[:start_at] + text[end_at:]
        (folder / "helmet.yaml").write_text(
            text.replace("carbon_black, cobalt_blue, gunmetal", "carbon_black, gunmetal")
        )
        prefs = folder / "preferences.yaml"
        prefs.write_text(prefs.read_text().replace("          blue: cobalt_blue\n", ""))
        publishing.publish(ctx, folder, actor="cli")
        eventually(lambda: "no longer offered" in page(opened))
        assert "Cobalt blue metallic is no longer offered for Shell colour." in page(opened)


def test_a_renamed_option_moves_without_a_word(ctx, database_url, tmp_path, folder):
    publishing.publish(ctx, folder, actor="cli")
    edit(
        folder, "      - id: cobalt_blue\n", "      - id: cobalt\n        replaces: [cobalt_blue]\n"
    )
    text = (
        (folder / "helmet.yaml")
        .read_text()
        .replace("carbon_black, cobalt_blue, gunmetal", "carbon_black, cobalt, gunmetal")
    )
    (folder / "helmet.yaml").write_text(text)
    prefs = folder / "preferences.yaml"
    prefs.write_text(prefs.read_text().replace("blue: cobalt_blue", "blue: cobalt"))
    publishing.publish(ctx, folder, actor="cli")
    with serve(tmp_path / "instance", CATALOG, DATABASE_URL=database_url) as url:
        shown = page(f"{url}/p/helmet?shell_colour=cobalt_blue&_order=shell_colour")
    assert "could not be used" not in shown and 'value="cobalt" checked' in shown


def test_publish_from_the_command_line(ctx, database_url, tmp_path, folder):
    env = {
        "CONFIGURATOR_DATABASE_URL": database_url,
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "cli"),
        "CONFIGURATOR_CATALOG_DIR": str(folder),
    }
    runner = CliRunner()
    done = runner.invoke(cli, ["catalog", "publish"], env=env)
    assert done.exit_code == 0 and "Published #1" in done.output and "helmet" in done.output
    assert "helmet: circuit stored" in done.output  # compiled once, here, for the workers
    stored = sorted(p.name for p in (tmp_path / "cli" / "circuits").glob("*.circuit"))
    assert [name.split("-")[0] for name in stored] == ["helmet", "jacket"]
    worker = publishing.Live(ctx, poll_s=0).now()  # a worker following the publication
    assert worker.catalogs.engine("helmet").circuit is not None  # loads it, compiles nothing
    again = runner.invoke(cli, ["catalog", "publish"], env=env)
    assert "Published #1" in again.output  # the same files: no new publication
    (folder / "broken.yaml").write_text("product: {id: [\n")
    refused = runner.invoke(cli, ["catalog", "publish"], env=env)
    assert refused.exit_code == 1 and "broken.yaml" in refused.output
    assert "keeps serving" in refused.output
    assert publishing.newest(ctx).id == 1
