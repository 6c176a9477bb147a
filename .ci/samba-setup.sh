#!/usr/bin/env bash
# Install Samba's smbd (and smbclient, handy for debugging) for the SMB tests.
# Idempotent: does nothing when smbd is already there. The tests start their
# own smbd on 127.0.0.1:14450 with a private smb.conf; the system service is
# neither configured nor needed, so we stop it if the package started it.
set -euo pipefail

if command -v smbd >/dev/null 2>&1 && command -v smbpasswd >/dev/null 2>&1; then
    echo "samba-setup: smbd already installed ($(smbd --version))"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends samba smbclient >/dev/null
# A package post-install may have started the stock daemons on port 445; ours do not need them.
if command -v service >/dev/null 2>&1; then
    service smbd stop >/dev/null 2>&1 || true
    service nmbd stop >/dev/null 2>&1 || true
fi
echo "samba-setup: installed $(smbd --version)"
