"""The test server itself enforces what the fleet tests rely on: per-tenant prefixes."""
from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from seaweed_server import FLEET_BUCKET


def test_a_tenant_identity_reaches_its_own_prefix_only(seaweed):
    admin, acme = seaweed.client("admin"), seaweed.client("acme")
    admin.put_object(Bucket=FLEET_BUCKET, Key="tenant=beta/probe", Body=b"beta")
    acme.put_object(Bucket=FLEET_BUCKET, Key="tenant=acme/probe", Body=b"acme")
    assert acme.get_object(Bucket=FLEET_BUCKET, Key="tenant=acme/probe")["Body"].read() == b"acme"
    for denied in (lambda: acme.get_object(Bucket=FLEET_BUCKET, Key="tenant=beta/probe"),
                   lambda: acme.list_objects_v2(Bucket=FLEET_BUCKET, Prefix="tenant=beta/"),
                   lambda: acme.put_object(Bucket=FLEET_BUCKET, Key="tenant=beta/x", Body=b"")):
        with pytest.raises(ClientError) as err:
            denied()
        assert err.value.response["Error"]["Code"] == "AccessDenied"
    for key in ("tenant=beta/probe", "tenant=acme/probe"):
        admin.delete_object(Bucket=FLEET_BUCKET, Key=key)
