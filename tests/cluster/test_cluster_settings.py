"""--cluster and `cluster =`: which addresses are accepted, and one clear line (exit 2) for the rest."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.cluster import cluster_settings
from scanner.cluster.dedupe import ContentDeduper
from scanner.analysis import TaskResult
from scanner.daemon.config import daemon_config_from_dict
from scanner.errors import UsageError


@pytest.mark.parametrize("address, canonical", [
    ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("tcp://localhost", "tcp://localhost:8786"),
    ("tcp://[::1]:9000", "tcp://[::1]:9000"),
])
def test_loopback_tcp_is_accepted(address, canonical):
    settings = cluster_settings(address)
    assert settings.address == canonical and settings.security() is None


@pytest.mark.parametrize("address", ["tcp://10.1.2.3:8786", "tcp://192.0.2.7", "tcp://[2001:db8::1]:8786"])
def test_tcp_to_another_machine_needs_insecure(address):
    with pytest.raises(UsageError, match="tls://.*--insecure-cluster"):
        cluster_settings(address)
    assert cluster_settings(address, insecure=True).insecure


@pytest.mark.parametrize("address", ["10.1.2.3:8786", "http://host:8786", "tcp://", "tls://host:port"])
def test_malformed_addresses(address):
    with pytest.raises(UsageError, match="cluster address"):
        cluster_settings(address)


def test_tls_needs_ca_cert_and_key(tmp_path):
    with pytest.raises(UsageError, match="--tls-cert, --tls-key"):
        cluster_settings("tls://10.1.2.3:8786", tls_ca="ca.pem")
    with pytest.raises(UsageError, match="TLS files given for a tcp://"):
        cluster_settings("tcp://127.0.0.1:8786", tls_ca="ca.pem")
    settings = cluster_settings("tls://scheduler.example:8786", "ca.pem", "me.pem", "me.key")
    assert settings.is_tls
    assert (settings.tls_ca, settings.tls_cert, settings.tls_key) == ("ca.pem", "me.pem", "me.key")


def test_scan_refuses_plain_tcp_to_another_machine(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "-i", str(tmp_path / "inv"),
                                      "--cluster", "tcp://10.1.2.3:8786"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--insecure-cluster" in result.output
    assert not (tmp_path / "inv").exists()


def test_tls_options_without_cluster_are_a_usage_error(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--tls-ca", str(ca)])
    assert result.exit_code == 2 and "need --cluster" in result.output


def test_daemon_toml_cluster():
    base = {"roots": [{"path": "/srv/share"}], "inventory": "/var/lib/pdsweep"}
    config = daemon_config_from_dict(dict(base, cluster="tls://sched:8786", cluster_tls_ca="/etc/ca.pem",
                                          cluster_tls_cert="/etc/me.pem", cluster_tls_key="/etc/me.key"))
    assert config.scan.cluster.address == "tls://sched:8786" and config.scan.cluster.tls_key == "/etc/me.key"
    assert config.scan.executor == "dask"
    assert daemon_config_from_dict(base).scan.cluster is None
    assert daemon_config_from_dict(base).scan.executor == "auto"
    with pytest.raises(UsageError, match="^x: cluster: .*--insecure-cluster"):
        daemon_config_from_dict(dict(base, cluster="tcp://10.0.0.9:8786"), "x")
    insecure = dict(base, cluster="tcp://10.0.0.9:8786", insecure_cluster=True)
    assert daemon_config_from_dict(insecure).scan.cluster.insecure


def test_content_analysed_on_two_workers_is_written_once():
    def result(content_hash, count):
        r = TaskResult(contents=[dict(content_hash=content_hash, status="ok")],
                       findings=[dict(content_hash=content_hash, entity_type="EMAIL_ADDRESS", count=count)])
        r.entity_counts["EMAIL_ADDRESS"] = count
        r.stats["analysed"] = 1
        return r

    dedupe = ContentDeduper()
    first, second = dedupe.filter(result("h1", 2)), dedupe.filter(result("h1", 2))
    other = dedupe.filter(result("h2", 1))
    assert (len(first.contents), len(first.findings), first.entity_counts["EMAIL_ADDRESS"]) == (1, 1, 2)
    assert (second.contents, second.findings, second.entity_counts) == ([], [], {})
    assert second.stats["analysed"] == 0
    assert len(other.findings) == 1


def _entries(n):
    from connectors.filesystem import FileEntry

    return [FileEntry(f"/srv/f{i}", 1, 1, i, 1, "root") for i in range(n)]


def test_a_lost_worker_gives_a_strike_and_a_second_strike_gives_the_file_up():
    from scanner.cluster.faults import FaultTracker

    faults, entries = FaultTracker(), _entries(3)
    again, given_up = faults.after_loss(entries, 1)
    assert again == [[e] for e in entries] and given_up is None          # all run again, alone
    again, given_up = faults.after_loss([entries[1]], 0)
    assert again == [] and given_up == entries[1]
    assert faults.after_loss(entries, None) == ([[e] for e in entries], None)   # position unknown: no strike


def test_a_started_batch_silent_past_the_limit_is_reported():
    import time

    from scanner.cluster.faults import FaultTracker

    faults = FaultTracker()
    faults.on_progress((0, {"batch": 4, "index": 2, "worker": "tcp://w:1"}))
    faults.on_progress((0, {"batch": 5, "index": 0, "worker": "tcp://w:2"}))
    assert faults.silent([4, 5, 6], 10) == []
    time.sleep(0.05)
    assert faults.silent([4, 6], 0.01) == [(4, "tcp://w:1", 2)]      # batch 6 never started: not watched


def test_a_worker_forgets_what_a_discarded_batch_marked_analysed():
    from scanner.cluster.worker import _DoneByBatch

    done = _DoneByBatch()
    done.batch = 1
    done.add("h1")
    done.batch = 2
    done.add("h2")
    done.forget_batches((1, 7))
    assert "h1" not in done and "h2" in done
