"""Issue 16, NER deferred: a `scan --ner deferred` inventory gives find, sar, erase and report the
answers a scan with NER gives, labelling (NER now) only the files an answer depends on first."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.find import find_locations, query_keys
from scanner.inventory import open_inventory
from scanner.keys import Keyer, load_or_create_secret
from scanner.labels import all_pending_paths

pytestmark = pytest.mark.slow

# Texts where NER changes what `find --name` returns (measured: benchmarks/lazy_ner_gate.py): NER reads
# the whole particle name (keys the name index and the name lists do not make), and the name lists
# alone key `van de` as a name, which NER vetoes.
FILES = {
    "renewal.txt": "Reference 2024/311\nWe spoke to Berend Andrea van de Biezenbos about the renewal.\n",
    "signature.txt": "Ide Nurminen\nHead of Sales\nide.nurminen@example.co.uk\n",
    "other.txt": "Minutes\nJane Okafor (jane.okafor@example.co.uk) will send the figures.\n",
}
QUERIES = [["--name", "Berend Andrea van de Biezenbos"], ["--name", "Nurminen"], ["--name", "van de"],
           ["--email", "ide.nurminen@example.co.uk"], ["--name", "Jane Okafor"]]
VARYING = {"generated", "created", "request_id", "as_of", "inventory"}


def run(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def stable(value):
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VARYING}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """A tree scanned with NER now and with NER deferred, one key; the deferred inventory kept pristine."""
    base = tmp_path_factory.mktemp("lazy")
    tree = base / "tree"
    tree.mkdir()
    for name, text in FILES.items():
        (tree / name).write_text(text)
    key = str(base / "key")
    run("scan", str(tree), "-i", str(base / "now"), "--key", key, "-w", "1", "-q")
    run("scan", str(tree), "-i", str(base / "deferred"), "--key", key, "-w", "1", "-q", "--ner", "deferred")
    return base, key


def fresh_copy(base, name: str) -> str:
    copy = base / name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base / "deferred", copy)
    return str(copy)


def raw_find(inventory: str, key: str, args: list[str]) -> list[str]:
    """find's answer from the inventory as it is, without labelling anything first."""
    keyer = Keyer(load_or_create_secret(key, create=False))
    reader = open_inventory(inventory)
    try:
        return sorted(r["location"] for r in find_locations(reader, query_keys(keyer, {args[0][2:]: [args[1]]})))
    finally:
        reader.close()


def test_without_labels_the_deferred_answers_differ(scanned):
    """What labelling is for (so the tests below can fail): the no-NER findings answer otherwise."""
    base, key = scanned
    differ = [q for q in QUERIES if raw_find(str(base / "now"), key, q) != raw_find(str(base / "deferred"), key, q)]
    assert [q[1] for q in differ] == ["Berend Andrea van de Biezenbos", "Nurminen", "van de"]


def test_find_answers_as_with_ner_and_labels_only_what_it_needs(scanned):
    base, key = scanned
    inventory = fresh_copy(base, "find")
    out, err = run("find", "--name", "Berend Andrea van de Biezenbos", "-i", inventory, "--key", key, "-f", "json")
    assert "1 file(s) scanned with --ner deferred read again with NER first" in err
    reader = open_inventory(inventory)
    try:   # the other two files still wait: a request labels what its answer depends on, no more
        assert sorted(p.rsplit("/", 1)[1] for p in all_pending_paths(reader)) == ["other.txt", "signature.txt"]
    finally:
        reader.close()
    for query in QUERIES:
        now, _ = run("find", *query, "-i", str(base / "now"), "--key", key, "-f", "json")
        deferred, _ = run("find", *query, "-i", inventory, "--key", key, "-f", "json")
        assert json.loads(deferred) == json.loads(now), query


def test_sar_and_erase_plan_answer_as_with_ner(scanned, tmp_path):
    base, key = scanned
    for command in ("sar", "erase"):
        inventory = fresh_copy(base, command)
        for query in (QUERIES[0], QUERIES[2]):   # NER adds a key; NER takes one away
            answers = []
            for inv in (str(base / "now"), inventory):
                args = [command, *query, "-i", inv, "--key", key, "-f", "json"]
                if command == "sar":
                    pack = tmp_path / f"pack-{len(answers)}"
                    shutil.rmtree(pack, ignore_errors=True)
                    run(*args, "--out", str(pack), "--received", "2025-01-31", "--request-id", "r")
                    answers.append(json.loads((pack / "index.json").read_text()))
                else:
                    answers.append(json.loads(run(*args)[0]))
            assert stable(answers[1]) == stable(answers[0]), (command, query)


def test_report_labels_everything_and_gives_the_same_figures(scanned):
    base, key = scanned
    inventory = fresh_copy(base, "report")
    now, _ = run("report", "-i", str(base / "now"), "--key", key, "-f", "json")
    deferred, err = run("report", "-i", inventory, "--key", key, "-f", "json")
    assert "3 file(s) scanned with --ner deferred read again" in err
    assert stable(json.loads(deferred)) == stable(json.loads(now))
    again, err = run("report", "-i", inventory, "--key", key, "-f", "json")
    assert err == "" and stable(json.loads(again)) == stable(json.loads(deferred))   # nothing left to label


def test_label_command_and_a_plain_inventory_is_never_written(scanned):
    base, key = scanned
    inventory = fresh_copy(base, "label")
    out, _ = run("label", "-i", inventory, "--key", key)
    assert out.strip() == "3 file(s) labelled"
    assert run("label", "-i", inventory, "--key", key)[0].strip() == "0 file(s) labelled"
    # A deferred rescan takes labelled files as done: nothing is read again, nothing waits again.
    rescan, _ = run("scan", str(base / "tree"), "-i", inventory, "--key", key, "-w", "1", "-q", "-f", "json",
                    "--ner", "deferred")
    assert json.loads(rescan)["files_read"] == 0
    assert run("label", "-i", inventory, "--key", key)[0].strip() == "0 file(s) labelled"
    manifest = (base / "now" / "manifest.json").read_text()
    run("find", "--name", "Nurminen", "-i", str(base / "now"), "--key", key, "-f", "json")
    assert (base / "now" / "manifest.json").read_text() == manifest


@pytest.mark.parametrize("text, span", [
    ("Dear Mrs Siân O'Neill-Smith,", "Siân O'Neill-Smith"),
    ("SMITH-JONES, Jane A.", "Jones, Jane"),            # a tokenizer may cut a span at the hyphen
    ("Łukasz  van der\nBerg", "Łukasz van der Berg"),
    ("call Ide Nurminen on 0113", "Ide Nurminen"),
])
def test_every_name_key_of_a_span_is_built_from_the_texts_name_words(text, span):
    """What labelling relies on: a text's name words hold every word of any name key found in it."""
    from detectors.normalise import index_forms, name_words
    words = name_words(text)
    for form in index_forms("PERSON", span):
        assert set(form.split(":", 1)[1].split()) <= words, form
    assert "nurminen" not in name_words("Nurmi and Nen")   # a word, not a substring


def test_publish_labels_first_and_the_fleet_answers_as_with_ner(scanned, tmp_path):
    """A snapshot is exported through the inventory reader, so it holds the labelled findings only."""
    base, key = scanned
    inventory = str(tmp_path / "acme")
    run("scan", str(base / "tree"), "-i", inventory, "--key", key, "--tenant", "acme", "-w", "1", "-q",
        "--ner", "deferred")
    _, err = run("publish", "-i", inventory, "--key", key, "--to", str(tmp_path / "fleet"), "--tenant", "acme")
    assert "3 file(s) scanned with --ner deferred read again" in err
    for query in (QUERIES[0], QUERIES[2]):
        now, _ = run("find", *query, "-i", str(base / "now"), "--key", key, "-f", "json")
        fleet, _ = run("find", *query, "--fleet", str(tmp_path / "fleet"), "--tenant", "acme", "--key", key,
                       "-f", "json")
        assert [dict(r, tenant="acme", host=None) for r in json.loads(now)] == \
            [dict(r, host=None) for r in json.loads(fleet)], query
