#!/usr/bin/env bash
# Installs the Debian packages kubeid needs to build and test, only those missing.
# Usage: .ci/install-deps.sh [build|package|test|bench]   (each level includes the previous one)
set -euo pipefail
level=${1:-build}

packages=(libjwt-dev libssl-dev libsqlite3-dev pkg-config openssl curl ca-certificates)
if [ "$level" != build ]; then
  # `make package`: dpkg-shlibdeps (Depends from the linked libraries), strip, gzip'd man pages.
  packages+=(dpkg-dev binutils gzip)
fi
if [ "$level" = test ] || [ "$level" = bench ]; then
  # The package test: man (and col) renders the man pages, systemd-analyze verifies the unit (installing
  # the package does not start systemd in a container).
  packages+=(man-db bsdextrautils systemd)
  packages+=(python3-venv golang-go golang-github-coreos-go-oidc-dev)
  # Interop: a real headless browser completes the sign-in pages (Selenium from PyPI drives it).
  packages+=(chromium chromium-driver fonts-dejavu-core)
  # The PostgreSQL store's conformance and multi-instance tests (.ci/with-postgres.sh starts a
  # private server).
  packages+=(postgresql)
  # The metrics tests: a real Prometheus server scrapes kubeid; promtool checks the example alerts.
  packages+=(prometheus)
fi
if [ "$level" = bench ]; then
  packages+=(wrk hyperfine jq)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "Swift is at /opt/swift/usr/bin; add it to PATH." >&2
  else
    echo "Error: Swift 6.1 or newer is required (https://www.swift.org/install/linux/); Debian does not package it." >&2
  fi
  exit 1
fi
