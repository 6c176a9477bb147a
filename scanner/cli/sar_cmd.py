"""`pdsweep sar`: the subject access pack, other people's data redacted."""
from __future__ import annotations

import json
import socket
from datetime import date

import click

from connectors.source import SourceSettings
from detectors import DetectorSettings

from ..inventory import open_inventory
from ..keys import load_or_create_secret
from ..labels import label_before_answering
from ..requests.pack import write_pack
from ..requests.sar import build_sar
from ..requests.subject import identifiers_of, load_subject
from .fleet_options import fleet_options, open_fleet_reader, unreachable_elsewhere, warn_other_keys
from .options import format_option, handle_errors, identifier_options, inventory_option, key_option, \
    resolve_inventory, smb_credentials_option


@click.command("sar")
@identifier_options
@inventory_option
@key_option
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the pack (created 0700; must be new or empty).")
@click.option("--received", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the request was received (YYYY-MM-DD). Default: today.")
@click.option("--extend", is_flag=True, help="Complex request: the deadline is extended by two months.")
@click.option("--request-id", default=None, help="Your reference for the request.")
@format_option("table", "json", default="table")
@smb_credentials_option
@fleet_options
@handle_errors
def sar_command(name, email, phone, postcode, nino, nhs, inventory, key_path, out_dir, received, extend,
                request_id, fmt, smb_credentials, fleet, tenant, s3_endpoint):
    """Build a subject access pack: every copy of the person's data, with excerpts.

    Every location holding any identifier is listed, identical copies
    grouped. Each excerpt (the paragraph, row or message holding the
    subject's data) is read afresh from the source, and every other person's
    data detected in it is replaced by [REDACTED <TYPE>]. Locations changed
    or vanished since the scan are marked so. The due date is one calendar
    month after --received (three with --extend). Writes index.html and
    index.json (mode 0600) into --out (mode 0700). Copies on smb:// shares
    are read again over SMB: the user and password come from
    --smb-credentials, or $PDSWEEP_SMB_USER and $PDSWEEP_SMB_PASSWORD.
    With --fleet, every host of the tenant is searched; s3:// and smb://
    copies are read from here, files on another host's disk are listed as
    unreadable (run sar there for their excerpts).

    Example:

        pdsweep sar --name "Jane Smith" --email jane.smith@example.co.uk --out /secure/sar-0042 --received 2025-01-31

        pdsweep sar --fleet s3://msp-fleet/pdsweep --tenant acme --key /etc/pdsweep/acme.key --name "Jane Smith" --out /secure/sar-0043
    """
    inventory = resolve_inventory(inventory)
    identifiers = identifiers_of(name=name, email=email, phone=phone, postcode=postcode, nino=nino, nhs=nhs)
    subject = load_subject(inventory, key_path, identifiers)
    if not fleet:   # files scanned with --ner deferred that the pack depends on get their NER labels first
        label_before_answering(inventory, key_path, identifiers,
                               notify=lambda line: click.echo(line, err=True))
    reader = open_fleet_reader(fleet, tenant, key_path, s3_endpoint) if fleet else open_inventory(inventory)
    try:
        if fleet:
            warn_other_keys(reader, load_or_create_secret(key_path, create=False))
        from detectors import Detector   # loads spaCy: only when the command runs
        pack = build_sar(reader, subject, Detector(DetectorSettings()), identifiers,
                         received.date() if received else date.today(), extend, request_id=request_id,
                         sources=SourceSettings(credentials_file=smb_credentials, s3_endpoint=s3_endpoint),
                         unreachable=unreachable_elsewhere(socket.gethostname()) if fleet else None)
        if fleet:
            pack["tenant"] = tenant
    finally:
        reader.close()
    files = write_pack(out_dir, pack)
    summary = dict(out=files, locations=pack["locations"], distinct_contents=len(pack["groups"]),
                   received=pack["request"]["received"], due=pack["request"]["due"],
                   changed_or_vanished=sum(c["state"] != "current" for g in pack["groups"] for c in g["copies"]))
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"Pack written: {', '.join(files)}\n{summary['locations']} location(s), "
                   f"{summary['distinct_contents']} distinct content(s); {summary['changed_or_vanished']} "
                   f"changed or vanished since the scan.\nReceived {summary['received']}, due {summary['due']}.")
