#!/usr/bin/env bash
# Installs the system packages the build needs when they are missing: voice notes are
# decoded by Debian's libopus, which opusic-sys (without its bundled cmake build) finds
# through pkg-config. Safe to run again; does nothing when both are there.
set -euo pipefail
if ! pkg-config --exists opus 2>/dev/null; then
    sudo_if_needed=()
    [ "$(id -u)" -eq 0 ] || sudo_if_needed=(sudo)
    "${sudo_if_needed[@]}" apt-get update -qq
    "${sudo_if_needed[@]}" apt-get install -y -qq libopus-dev pkg-config >/dev/null
fi
echo "libopus $(pkg-config --modversion opus)"
