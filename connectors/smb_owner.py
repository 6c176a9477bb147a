"""The owner of a remote file, as its SID (`S-1-5-21-…-1104`), from the security descriptor.

Only the owner part of the descriptor is asked for (READ_CONTROL on the open), which a user who may
read a file may normally see. A small file's owner rides on the compound request that reads it
(`SmbBlob`); a larger file's costs one compound of its own (open, query, close). The SID is not
resolved to a name: that needs the domain's LSA service; an administrator resolves it with
`Get-ADUser -Identity <SID>` or `wbinfo -s <SID>`. A server that will not say gives None, never an
error: the owner is a convenience, the file is still read.
"""
from __future__ import annotations

from .smb_uri import SmbPath

READ_CONTROL = 0x00020000
_FILE_READ_ATTRIBUTES = 0x00000080
_INFO_SECURITY = 0x03                       # SMB2_0_INFO_SECURITY
_OWNER_SECURITY_INFORMATION = 0x00000001
_DESCRIPTOR_BYTES = 1024                    # an owner-only descriptor is well under 100 bytes


def owner_query(raw):
    """(request, unpack) for an SMBFileTransaction on `raw` (opened with READ_CONTROL): the owner SID."""
    from smbprotocol.open import SMB2QueryInfoRequest, SMB2QueryInfoResponse
    from smbprotocol.security_descriptor import SMB2CreateSDBuffer

    request = SMB2QueryInfoRequest()
    request["info_type"] = _INFO_SECURITY
    request["file_info_class"] = 0
    request["additional_information"] = _OWNER_SECURITY_INFORMATION
    request["output_buffer_length"] = _DESCRIPTOR_BYTES
    request["file_id"] = raw.fd.file_id      # the compound's "same handle" id

    def owner_of(sent) -> str | None:
        response = SMB2QueryInfoResponse()
        response.unpack(raw.fd.connection.receive(sent)["data"].get_value())
        descriptor = SMB2CreateSDBuffer()
        descriptor.unpack(response["buffer"].get_value())
        owner = descriptor.get_owner()
        return str(owner) if owner is not None else None

    return request, owner_of


def owner_sid(path: SmbPath, smb: dict) -> str | None:
    """The owner SID of the file at `path` (smb: the session keyword arguments), or None."""
    from smbclient._io import SMBFileTransaction, SMBRawIO

    try:
        raw = SMBRawIO(path.unc, mode="r", share_access="rwd",
                       desired_access=READ_CONTROL | _FILE_READ_ATTRIBUTES, **smb)
        with SMBFileTransaction(raw) as transaction:
            transaction += owner_query(raw)
        return transaction.results[0]
    except Exception:       # access denied, an old server, a dropped connection: no owner, nothing else
        return None
