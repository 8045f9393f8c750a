#!/bin/sh
# Installs Debian's chromium for the extension's end-to-end tests, only when it is missing.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing; run as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
