"""Fleet: three hosts of two tenants published to SeaweedFS (and to a directory), queried per tenant."""
from __future__ import annotations

import glob
import json
import os
import subprocess
import sys

import duckdb
import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner

from fleet_hosts import build_hosts, make_person, scan_host
from seaweed_server import FLEET_BUCKET
from scanner.cli import cli

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


@pytest.fixture(scope="module")
def person():
    return make_person()


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, person):
    return build_hosts(str(tmp_path_factory.mktemp("fleet")), person)


def run_cli(args, expect=0):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


def publish(host, dest, tenant=None):
    return json.loads(run_cli(["publish", "-i", host.inventory, "--key", host.key, "--to", dest,
                               "--tenant", tenant or host.tenant, "--host", host.name]).stdout)


def fleet_find(dest, tenant, key, email, expect=0):
    result = run_cli(["find", "--fleet", dest, "--tenant", tenant, "--key", key, "--email", email,
                      "-f", "json"], expect)
    return json.loads(result.stdout) if expect == 0 else result


def test_directory_fleet_is_hive_partitioned_keyed_and_read_by_duckdb(hosts, person, tmp_path):
    dest = str(tmp_path / "fleet")
    for host in hosts:
        publish(host, dest)
    findings = duckdb.sql(f"SELECT DISTINCT tenant, host FROM read_parquet('{dest}/tenant=acme/*/findings/*.parquet', "
                          "hive_partitioning = true) ORDER BY host").fetchall()
    assert findings == [("acme", "acme-files"), ("acme", "acme-mail")]
    uris = duckdb.sql(f"""
        SELECT DISTINCT l.host, l.uri FROM read_parquet('{dest}/tenant=*/*/locations/*.parquet', hive_partitioning = true) l
        WHERE l.tenant = 'acme' AND l.uri LIKE '%archive.zip!/old/letter.txt'""").fetchall()
    assert sorted(h for h, _ in uris) == ["acme-files", "acme-mail"]
    published = b"".join(open(p, "rb").read() for p in glob.glob(f"{dest}/**/*", recursive=True) if os.path.isfile(p))
    assert person.email.encode() not in published and person.name.split()[-1].encode() not in published
    assert not glob.glob(f"{dest}/**/_snapshots/**/*.parquet", recursive=True)      # staging removed
    hits = fleet_find(dest, "acme", hosts[0].key, person.email)
    assert {(h["tenant"], h["host"]) for h in hits} == {("acme", "acme-files"), ("acme", "acme-mail")}


def test_publishing_is_refused_for_another_tenant_or_key(hosts, tmp_path):
    dest = str(tmp_path / "fleet")
    acme, beta = hosts[0], hosts[2]
    result = run_cli(["publish", "-i", acme.inventory, "--key", acme.key, "--to", dest, "--tenant", "beta"], 2)
    assert "belongs to tenant 'acme'" in result.output
    result = run_cli(["publish", "-i", acme.inventory, "--key", beta.key, "--to", dest, "--tenant", "acme"], 2)
    assert "key id" in result.output
    assert not os.path.exists(dest) or not os.listdir(dest)
    publish(acme, dest)
    stray = str(tmp_path / "stray")                 # an untenanted inventory with a key of its own
    scan_host(acme.tree, stray, str(tmp_path / "stray.key"), None, "stray")
    result = run_cli(["publish", "-i", stray, "--key", str(tmp_path / "stray.key"), "--to", dest, "--tenant", "acme"], 2)
    assert "share one key file" in result.output
    assert sorted(os.listdir(os.path.join(dest, "tenant=acme"))) == ["host=acme-files"]


def test_a_scan_for_another_tenant_or_with_another_key_is_refused(hosts, tmp_path):
    acme, beta = hosts[0], hosts[2]
    before = sorted(os.listdir(os.path.join(acme.inventory, "locations")))
    for args in (["--tenant", "beta", "--key", acme.key], ["--tenant", "acme", "--key", beta.key], ["--key", beta.key]):
        result = run_cli(["scan", beta.tree, "-i", acme.inventory, "--no-ner", "-q", "-w", "1", *args], 2)
        assert "pdsweep:" in result.output
    assert sorted(os.listdir(os.path.join(acme.inventory, "locations"))) == before


def test_s3_fleet_per_tenant_credentials_and_keys(hosts, person, s3_as, seaweed):
    dest = f"s3://{FLEET_BUCKET}"
    for host in hosts:
        s3_as(host.tenant)                      # each tenant publishes with its own credentials
        publish(host, dest)
    s3_as("acme")
    hits = fleet_find(dest, "acme", hosts[0].key, person.email)
    assert {h["host"] for h in hits} == {"acme-files", "acme-mail"} and {h["tenant"] for h in hits} == {"acme"}
    assert any(h["location"].endswith("archive.zip!/old/letter.txt") for h in hits)
    assert all(not h["host"].startswith("beta") for h in hits)
    result = run_cli(["find", "--fleet", dest, "--tenant", "acme", "--key", hosts[2].key, "--email", person.email,
                      "-f", "json"])
    assert json.loads(result.stdout) == [] and "is not the key of tenant 'acme'" in result.stderr
    s3_as("beta")
    assert {h["host"] for h in fleet_find(dest, "beta", hosts[2].key, person.email)} == {"beta-files"}
    denied = fleet_find(dest, "acme", hosts[0].key, person.email, expect=1)      # beta's credentials on acme
    assert "access denied" in denied.output
    with pytest.raises(ClientError):
        seaweed.client("beta").get_object(Bucket=FLEET_BUCKET, Key="tenant=acme/host=acme-files/_current.json")
    s3_as("acme")
    report = json.loads(run_cli(["report", "--fleet", dest, "--tenant", "acme", "-f", "json"]).stdout)
    assert report["totals"]["locations"] > 0 and report["inventory"].endswith("tenant=acme")


def test_duckdb_reads_the_s3_dataset_with_a_glob(hosts, s3_as, seaweed):
    pafs = pytest.importorskip("pyarrow.fs")
    from fsspec.implementations.arrow import ArrowFSWrapper

    dest = f"s3://{FLEET_BUCKET}"
    s3_as("acme")
    for host in hosts[:2]:
        publish(host, dest)
    who = seaweed.ids["acme"]
    s3fs = pafs.S3FileSystem(access_key=who.access_key, secret_key=who.secret_key, region="us-east-1",
                             endpoint_override=seaweed.endpoint, scheme="http")

    class S3Wrapper(ArrowFSWrapper):          # DuckDB (no httpfs offline) reads s3:// through fsspec
        protocol = "s3"

    db = duckdb.connect()
    db.register_filesystem(S3Wrapper(s3fs))
    rows = db.sql(f"SELECT host, count(*) FROM read_parquet('{dest}/tenant=acme/*/findings/*.parquet', "
                  "hive_partitioning = true) GROUP BY host ORDER BY host").fetchall()
    assert [h for h, _ in rows] == ["acme-files", "acme-mail"] and all(n > 0 for _, n in rows)


def _snapshot_answer(dest, host, email):
    from scanner.fleet.reader import FleetReader
    from scanner.fleet.store import open_store

    reader = FleetReader(open_store(dest), host.tenant)
    try:
        snapshots = {h.host: h.snapshot for h in reader.hosts}
        rows = reader.query("SELECT DISTINCT host, uri, snapshot FROM locations WHERE status <> 'gone'")
        assert len({r[2] for r in rows if r[0] == host.name}) == 1      # one snapshot per host, never a mix
        return snapshots[host.name], sorted((r[0], r[1]) for r in rows if r[0] == host.name)
    finally:
        reader.close()


@pytest.mark.parametrize("kill_at", ["staged findings", "placed locations"])   # before and after the commit
def test_kill_9_mid_publish_leaves_a_whole_snapshot_readable(hosts, s3_as, tmp_path, kill_at, person):
    host = hosts[1]
    dest = f"s3://{FLEET_BUCKET}/crash-{kill_at.replace(' ', '-')}"
    env = s3_as("admin").env("admin")           # a prefix of its own: the admin may write anywhere
    publish(host, dest)
    first = _snapshot_answer(dest, host, person.email)
    extra = os.path.join(host.tree, f"new-{kill_at.replace(' ', '-')}.txt")
    with open(extra, "w") as f:
        f.write(f"New note for {person.name}: {person.email}\n")
    scan_host(host.tree, host.inventory, host.key, host.tenant, host.name)
    proc = subprocess.run([sys.executable, os.path.join(HERE, "publish_killer.py"), host.inventory, dest,
                           host.tenant, host.name, host.key, kill_at],
                          env=dict(os.environ, **env, PYTHONPATH=REPO), capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()[-800:]
    snapshot, uris = _snapshot_answer(dest, host, person.email)
    if kill_at == "staged findings":
        assert (snapshot, uris) == first                           # not committed: the previous one, whole
    else:
        assert snapshot != first[0] and any(u.endswith(os.path.basename(extra)) for _, u in uris)
    publish(host, dest)                                            # the next publish completes and tidies up
    final = _snapshot_answer(dest, host, person.email)
    assert any(u.endswith(os.path.basename(extra)) for _, u in final[1])


def test_fleet_sar_reads_this_hosts_copies_and_names_the_host_of_the_others(hosts, person, tmp_path):
    import socket

    dest, here = str(tmp_path / "fleet"), socket.gethostname()
    publish_as = [(hosts[0], here), (hosts[1], hosts[1].name)]
    for host, name in publish_as:
        run_cli(["publish", "-i", host.inventory, "--key", host.key, "--to", dest, "--tenant", "acme", "--host", name])
    out = tmp_path / "pack"
    run_cli(["sar", "--fleet", dest, "--tenant", "acme", "--key", hosts[0].key, "--email", person.email,
             "--name", person.name, "--out", str(out), "-f", "json"])
    pack = json.loads((out / "index.json").read_text())
    assert pack["tenant"] == "acme"
    copies = [c for g in pack["groups"] for c in g["copies"]]
    assert {c["host"] for c in copies} == {here, hosts[1].name}
    assert all(c["state"] == "current" for c in copies if c["host"] == here)
    elsewhere = [c for c in copies if c["host"] == hosts[1].name]
    assert elsewhere and all(c["state"] == "unreadable" and "on host acme-mail" in c["reason"] for c in elsewhere)
    letter = next(g for g in pack["groups"] if any(c["location"].endswith("!/old/letter.txt") and c["host"] == here
                                                  for c in g["copies"]))
    assert any(person.email in e for e in letter["excerpts"])


def test_the_daemon_config_names_its_tenant(tmp_path):
    from scanner.daemon.config import daemon_config_from_dict
    from scanner.errors import UsageError

    base = {"roots": [{"path": str(tmp_path / "tree")}], "inventory": str(tmp_path / "inv")}
    assert daemon_config_from_dict(dict(base, tenant="acme")).scan.tenant == "acme"
    assert daemon_config_from_dict(base).scan.tenant is None
    with pytest.raises(UsageError, match="^config: tenant: "):
        daemon_config_from_dict(dict(base, tenant="Acme Ltd"))
