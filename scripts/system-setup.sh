#!/usr/bin/env bash
# Installs the Debian packages the system tests (*.system.test.ts) need, and checks the tools are there:
#   rsyslog            rsyslogd, run by the tests as private instances (never as the system daemon)
#   bsdutils/util-linux logger (RFC 5424/3164, --octet-count, --sd-id/--sd-param)
#   openssl            self-signed certificates for the TLS listener
# Idempotent: packages already installed are skipped, and apt-get runs only when something is missing.
# Runs as root (as in CI). Exits non-zero when a tool is still missing, so the tests never skip silently.
set -euo pipefail

PACKAGES=(rsyslog bsdutils util-linux openssl)

die() {
  echo "system-setup: $*" >&2
  exit 1
}

installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  [ "$(id -u)" -eq 0 ] || die "must run as root to install: ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  echo "system-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep maintainer scripts from starting rsyslog as the system daemon: the tests run their own
  # instances. policy-rc.d is honoured by invoke-rc.d and deb-systemd-invoke; an existing one is kept.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
    trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The tools themselves, with the features the tests use.
PATH="$PATH:/usr/sbin:/sbin"
command -v rsyslogd >/dev/null || die "rsyslogd not found after installing rsyslog"
command -v logger >/dev/null || die "logger not found after installing bsdutils"
command -v openssl >/dev/null || die "openssl not found after installing openssl"
logger --help 2>&1 | grep -q -- '--octet-count' || die "this logger has no --octet-count (need util-linux >= 2.26): $(logger -V)"
logger --help 2>&1 | grep -q -- '--sd-id' || die "this logger has no --sd-id (need util-linux >= 2.29): $(logger -V)"

echo "system-setup: ok: $(rsyslogd -v | head -n1 | sed "s/ *compiled with://"); $(logger -V); $(openssl version)"
