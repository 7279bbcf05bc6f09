#!/usr/bin/env bash
# Installs the Debian packages the system tests (*.system.test.ts) need, and checks the tools are there:
#   rsyslog            rsyslogd, run by the tests as private instances (never as the system daemon)
#   rsyslog-gnutls     rsyslog's gtls stream driver: the TLS receiver of the syslog output's test
#   rsyslog-elasticsearch  omelasticsearch, rsyslog's HTTP path to Vigil (_bulk): bookworm's rsyslog has no omhttp
#   bsdutils/util-linux logger (RFC 5424/3164, --octet-count, --sd-id/--sd-param)
#   openssl            self-signed certificates for the TLS listener
#   python3-fluent-logger  fluent-logger-python, a Fluent forward client run by /usr/bin/python3 (bookworm
#                      packages no fluentd, Fluent Bit or Filebeat: this is the real forward client it has)
#   chromium           Debian's Chromium, driven headless by playwright-core (npm) for the web UI's tests;
#                      `npx playwright install` cannot download browsers here, so the tests use /usr/bin/chromium
#   syslog-ng-core     syslog-ng, NOT installed: it conflicts with rsyslog in apt (both provide
#                      system-log-daemon). Its .deb is fetched with `apt-get download` and unpacked with
#                      `dpkg -x` into .system/syslog-ng/ (git-ignored by its own .gitignore), and the
#                      tests run it from there with --module-path and private control/pid/persist files.
#                      The shared libraries it needs that a minimal Debian lacks (libivykis0, libnet1,
#                      libpcre3, libwrap0) conflict with nothing and are installed normally.
#
# rsyslog omhttp: Debian bookworm's rsyslog (8.2302.0) is built without omhttp. No omhttp.so is in
# `dpkg -L rsyslog`, nor in any other rsyslog-* package (rsyslog-elasticsearch ships omelasticsearch.so,
# rsyslog-kubernetes ships mmkubernetes.so), so there is no test of rsyslog's omhttp against
# POST /api/v1/events. The check below says so when a later rsyslog ships it, so that a test gets written.
#
# Idempotent: packages already installed are skipped, apt-get runs only when something is missing, and
# the syslog-ng download runs only when .system/syslog-ng does not hold the candidate version.
# Runs as root (as in CI). Exits non-zero when a tool is still missing, so the tests never skip silently.
set -euo pipefail

PACKAGES=(rsyslog rsyslog-gnutls rsyslog-elasticsearch bsdutils util-linux openssl python3-fluent-logger chromium libivykis0 libnet1 libpcre3 libwrap0 libglib2.0-0 libjson-c5 libcap2 libssl3 libsystemd0)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SYSTEM_DIR="$ROOT/.system"
SNG_DIR="$SYSTEM_DIR/syslog-ng"

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

# syslog-ng, unpacked privately (see the top of this file). .version records the version unpacked; it
# is fetched again when apt offers another one, and kept as it is when apt knows none (offline).
candidate() { apt-cache policy syslog-ng-core 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '^(none)$' || true; }
sng_have="$(cat "$SNG_DIR/.version" 2>/dev/null || true)"
sng_want="$(candidate)"
if [ ! -x "$SNG_DIR/usr/sbin/syslog-ng" ] || { [ -n "$sng_want" ] && [ "$sng_want" != "$sng_have" ]; }; then
  if [ -z "$sng_want" ]; then
    [ "$(id -u)" -eq 0 ] || die "must run as root to fetch syslog-ng-core (apt has no candidate; apt-get update needed)"
    apt-get update -qq
    sng_want="$(candidate)"
    [ -n "$sng_want" ] || die "apt knows no syslog-ng-core package, even after apt-get update"
  fi
  echo "system-setup: fetching syslog-ng-core $sng_want into $SNG_DIR"
  mkdir -p "$SYSTEM_DIR"
  printf '*\n' >"$SYSTEM_DIR/.gitignore"
  work="$(mktemp -d)"
  # apt's _apt user must be able to write the download folder, or apt warns and downloads as root.
  chmod 777 "$work"
  (cd "$work" && apt-get download -qq "syslog-ng-core=$sng_want") || die "apt-get download syslog-ng-core=$sng_want failed"
  rm -rf "$SNG_DIR"
  dpkg -x "$work"/syslog-ng-core_*.deb "$SNG_DIR" || die "dpkg -x of syslog-ng-core failed"
  rm -rf "$work"
  printf '%s\n' "$sng_want" >"$SNG_DIR/.version"
fi
sng_libs="$SNG_DIR/usr/lib/syslog-ng"
sng_unresolved="$(for f in "$SNG_DIR/usr/sbin/syslog-ng" "$sng_libs"/3.*/*.so; do LD_LIBRARY_PATH="$sng_libs" ldd "$f"; done | grep 'not found' | sort -u || true)"
[ -z "$sng_unresolved" ] || die "syslog-ng in $SNG_DIR misses shared libraries:
$sng_unresolved"
sng_banner="$(LD_LIBRARY_PATH="$sng_libs" "$SNG_DIR/usr/sbin/syslog-ng" --version 2>&1 | head -n1)" || die "syslog-ng in $SNG_DIR does not run: $sng_banner"

# rsyslog omhttp: absent from Debian bookworm (see the top of this file).
rsyslog_omhttp="no omhttp"
if dpkg -L rsyslog | grep -q '/omhttp\.so$'; then
  rsyslog_omhttp="WITH omhttp, which no system test covers yet: add test/system/rsyslog-omhttp.system.test.ts"
  echo "system-setup: NOTE: this rsyslog ships omhttp.so; $rsyslog_omhttp" >&2
fi

# The tools themselves, with the features the tests use.
PATH="$PATH:/usr/sbin:/sbin"
command -v rsyslogd >/dev/null || die "rsyslogd not found after installing rsyslog"
dpkg -L rsyslog-gnutls | grep -q '/lmnsd_gtls\.so$' || die "rsyslog-gnutls ships no lmnsd_gtls.so (rsyslog's TLS driver)"
dpkg -L rsyslog-elasticsearch | grep -q '/omelasticsearch\.so$' || die "rsyslog-elasticsearch ships no omelasticsearch.so"
command -v logger >/dev/null || die "logger not found after installing bsdutils"
command -v openssl >/dev/null || die "openssl not found after installing openssl"
/usr/bin/python3 -c "import fluent.sender" 2>/dev/null || die "/usr/bin/python3 cannot import fluent.sender after installing python3-fluent-logger"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after installing chromium"
chromium_version="$(/usr/bin/chromium --headless --no-sandbox --version 2>/dev/null | head -n1)" || die "chromium does not run: $chromium_version"
logger --help 2>&1 | grep -q -- '--octet-count' || die "this logger has no --octet-count (need util-linux >= 2.26): $(logger -V)"
logger --help 2>&1 | grep -q -- '--sd-id' || die "this logger has no --sd-id (need util-linux >= 2.29): $(logger -V)"

echo "system-setup: ok: $(rsyslogd -v | head -n1 | sed "s/ *compiled with://") ($rsyslog_omhttp); $sng_banner (private, $SNG_DIR); $(logger -V); $(openssl version); $chromium_version"
