"""`pdsweep find`: every location holding a person's data."""
from __future__ import annotations


import click

from ..find import find_locations, query_keys
from ..inventory import open_inventory
from ..keys import Keyer, load_or_create_secret
from ..config import key_path_for
from .options import format_option, handle_errors, identifier_options, inventory_option, key_option, \
    resolve_inventory
from .fleet_options import fleet_options, open_fleet_reader, warn_other_keys, with_tenant
from .output import print_rows

COLUMNS = ["location", "matched", "entity_types", "modified", "size"]
CSV_COLUMNS = ["location", "path", "members", "matched", "entity_types", "modified", "size", "content_hash"]


@click.command("find")
@identifier_options
@inventory_option
@key_option
@format_option("table", "json", "csv", default="table")
@click.option("--loose", is_flag=True,
              help="Also match weaker forms of --name: an initial with the surname ('F. Oyelaran'), "
                   "nicknames ('Bill' for 'William'); marked name~initial / name~nickname in matched.")
@fleet_options
@handle_errors
def find_command(name, email, phone, postcode, nino, nhs, inventory, key_path, fmt, loose, fleet, tenant,
                 s3_endpoint):
    """List every location that holds any of the given identifiers.

    Several identifiers are a union: a location holding any of them is a hit.
    Any written form matches any other ('SMITH, Jane' = 'Jane Smith';
    '(01482) 420150' = '+441482420150'). A name matches in any order, case,
    with titles, middle names or initials between, across line breaks; a
    person sharing only one of the two names never matches. Nothing found:
    an empty list, exit 0.

    Example:

        pdsweep find --email jane.smith@example.co.uk --name "Jane Smith" --format json

        pdsweep find --fleet s3://msp-fleet/pdsweep --tenant acme --key /etc/pdsweep/acme.key --name "Jane Smith"
    """
    inventory = resolve_inventory(inventory)
    if not fleet:
        _label_first(inventory, key_path, name, email, phone, postcode, nino, nhs, loose)
    reader = open_fleet_reader(fleet, tenant, key_path, s3_endpoint) if fleet else open_inventory(inventory)
    try:
        secret = load_or_create_secret(key_path_for(inventory, key_path), create=False)
        identifiers = {k: list(v) for k, v in dict(name=name, email=email, phone=phone, postcode=postcode,
                                                   nino=nino, nhs=nhs).items() if v}
        if fleet:
            warn_other_keys(reader, secret)
        rows = with_tenant(find_locations(reader, query_keys(Keyer(secret), identifiers, loose=loose)), reader)
    finally:
        reader.close()
    print_rows(fmt, rows, COLUMNS, title=f"{len(rows)} location(s)", csv_columns=CSV_COLUMNS)


def _label_first(inventory, key_path, name, email, phone, postcode, nino, nhs, loose) -> None:
    """Files scanned with --ner deferred that this answer depends on get their NER labels first."""
    from ..labels import label_before_answering
    identifiers = {k: list(v) for k, v in dict(name=name, email=email, phone=phone, postcode=postcode,
                                               nino=nino, nhs=nhs).items() if v}
    label_before_answering(inventory, key_path, identifiers, loose, notify=lambda line: click.echo(line, err=True))
