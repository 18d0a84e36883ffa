#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing (root, apt-get).
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# PostgreSQL's server binaries may come from any major version; accept what is there.
if [[ " ${missing[*]-} " == *" postgresql "* ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing=("${missing[@]/postgresql}")
fi
pkgs=()
for p in "${missing[@]-}"; do [[ -n "$p" ]] && pkgs+=("$p"); done
if (( ${#pkgs[@]} )); then
  echo "Installing Debian packages: ${pkgs[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "Not root: install these yourself: apt-get install ${pkgs[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
