"""`pdsweep daemon`: watch and re-crawl the roots of a TOML config file."""
from __future__ import annotations

import sys

import click

from ..daemon import Daemon, load_daemon_config
from ..daemon.logs import setup_logging
from ..daemon.remote_roots import check_root_settings, prepare_roots
from .options import handle_errors
from .watch_cmd import log_format_option, log_level_option


@click.command("daemon")
@click.option("--config", "-c", "config_path", required=True, type=click.Path(dir_okay=False),
              help="TOML file: roots (path, kind, watch, interval, exclude), inventory, key, "
                   "workers, limits.")
@click.option("--check", is_flag=True, help="Validate the config file and exit.")
@log_format_option
@log_level_option
@handle_errors
def daemon_command(config_path, check, log_format, log_level):
    """Run as a service: watch live shares, re-crawl the other roots on their interval.

    Watched roots (`watch = true`) are followed with inotify, or polled on
    network file systems; smb:// roots through SMB2 change notifications
    (with `credentials = "/etc/pdsweep/smb.cred"` or $PDSWEEP_SMB_PASSWORD); the others (backups, mail exports) are re-crawled
    incrementally every `interval` ("6h" by default). `pdsweep status` shows
    what it is doing. A bad config is one line on stderr and exit 2. See
    contrib/pdsweep.example.toml and contrib/pdsweep.service.

    Example:

        pdsweep daemon --config /etc/pdsweep/pdsweep.toml --log-format json
    """
    config = load_daemon_config(config_path)
    if check:
        check_root_settings(config.roots)
        click.echo(f"{config_path}: ok ({len(config.roots)} root(s), inventory {config.scan.inventory})")
        return
    setup_logging(log_format or config.log_format, log_level)
    prepare_roots(config.roots, prompt=False)     # a service has no terminal to ask for a password
    if config.scan.executor == "dask" and config.scan.cluster:   # every worker must see the local roots
        from ..cluster.executor import check_cluster_roots
        from ..fingerprint import detector_fingerprint, reading_setting

        scan = config.scan
        check_cluster_roots(scan.cluster, [r.path for r in config.roots], scan,
                            detector_fingerprint(scan.detector, reading_setting(scan)))
    sys.exit(Daemon(config).run())
