"""`pdsweep watch`: keep the inventory current for some directories, in the foreground."""
from __future__ import annotations

import os
import sys

import click

from detectors import DetectorSettings

from connectors.source import inside, source_for

from ..config import ScanConfig, default_workers
from ..daemon import Daemon, DaemonConfig, RootConfig
from ..daemon.config import DEFAULT_SMB_INTERVAL_S, DEFAULT_SMB_POLL_S, remote_root_config
from ..daemon.logs import setup_logging
from ..daemon.remote_roots import prepare_roots
from ..errors import UsageError
from .options import handle_errors, inventory_option, key_option, resolve_inventory, smb_credentials_option

log_format_option = click.option("--log-format", type=click.Choice(["text", "json"]), default=None,
                                 help="Log lines on stderr: text, or JSON lines for journald/collectors.")
log_level_option = click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]),
                                default="info", show_default=True, help="Least severe log level shown.")


@click.command("watch")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@inventory_option
@key_option
@click.option("--exclude", multiple=True, type=click.Path(), help="Path to leave out (repeatable).")
@click.option("--debounce", type=click.FloatRange(0, 3600), default=1.0, show_default=True,
              help="Seconds a file must be quiet (no more writes) before it is read.")
@click.option("--polling/--no-polling", default=None,
              help="Poll for changes instead of inotify (NFS/SMB mounts). "
                   "Default: poll network file systems only.")
@click.option("--poll-interval", type=click.FloatRange(0.1, 3600), default=5.0, show_default=True,
              help="Seconds between polls of a polled root.")
@click.option("--smb-poll-interval", type=click.FloatRange(0.1, 86400), default=DEFAULT_SMB_POLL_S,
              show_default=True, help="Seconds between polls of an smb:// root whose server sends no change "
                                      "notifications (each poll lists the whole tree).")
@smb_credentials_option
@click.option("--no-ner", is_flag=True, help="Cheap recognisers only: no spaCy NER for names.")
@click.option("--model", default=DetectorSettings().model, show_default=True, help="spaCy model package.")
@log_format_option
@log_level_option
@handle_errors
def watch_command(paths, inventory, key_path, exclude, debounce, polling, poll_interval, smb_poll_interval,
                  smb_credentials, no_ner, model, log_format, log_level):
    """Watch directories and keep the inventory current until stopped.

    Crawls each directory incrementally at start-up (unchanged files are
    skipped, so a restart only reconciles what changed while it was down),
    then follows creates, edits, renames, moves and deletions. `find` in
    another process sees a change within seconds. SIGTERM or Ctrl-C finish
    the current batch and exit 0. The inventory is locked while it runs.

    PATHS may be smb://[user@]host[:port]/share[/path]: the share is followed
    through SMB2 change notifications (polled every --smb-poll-interval where
    the server sends none) without mounting it.

    Example:

        pdsweep watch /srv/share --inventory /var/lib/pdsweep --log-format json

    Example (a Windows share):

    \b
        pdsweep watch smb://svc-scan@fileserver/Finance --smb-credentials /etc/pdsweep/smb.cred
    """
    setup_logging(log_format or "text", log_level)
    inventory = resolve_inventory(inventory)
    roots = []
    for path in paths:
        source = source_for(path)
        excludes = tuple(source.own(exclude))        # each root takes the excludes of its own source
        if not source.capabilities.local_files and not source.capabilities.change_feed:
            raise UsageError(f"{path}: this source has no change feed to follow: re-run `pdsweep scan`, or give "
                             "it an interval in the daemon's config (`pdsweep daemon`)")
        if not source.capabilities.local_files:
            roots.append(remote_root_config(path, path, watch=True, interval_s=DEFAULT_SMB_INTERVAL_S,
                                            excludes=excludes, credentials=smb_credentials))
            continue
        path = os.path.abspath(path)
        if inside(inventory, path):
            raise UsageError(f"the inventory {inventory} must not be inside a watched directory")
        roots.append(RootConfig(path=path, watch=True, excludes=tuple(os.path.abspath(e) for e in excludes)))
    prepare_roots(tuple(roots), prompt=True)      # a password prompt comes before the model loads
    scan = ScanConfig(inventory=inventory, key_path=key_path, workers=default_workers(),
                      detector=DetectorSettings(model=model, use_ner=not no_ner))
    config = DaemonConfig(roots=tuple(roots), scan=scan, debounce_s=debounce, polling=polling,
                          poll_interval_s=poll_interval, smb_poll_interval_s=smb_poll_interval,
                          log_format=log_format or "text")
    sys.exit(Daemon(config).run())
