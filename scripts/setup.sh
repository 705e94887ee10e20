#!/usr/bin/env bash
# Create .venv and install the pinned Python packages; sourced by run.sh and test.sh.
# Usage: source scripts/setup.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian ships venv separately; install it when we may.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$PYTHON" -m venv .venv
    else
      echo "python3 -m venv failed: install python3-venv (sudo apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "${1:-requirements.txt}"
# Front-end libraries (Leaflet and plugins), pinned in the theme's package-lock.json, copied into
# themes/default/static/vendor/ so the site never loads them from a CDN.
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "npm is missing: sudo apt-get install nodejs npm" >&2
    exit 1
  fi
fi
# content/ is a git repository (every version of every file); the admin runs Debian's git.
if ! command -v git >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq git >/dev/null
  else
    echo "git is missing: sudo apt-get install git" >&2
    exit 1
  fi
fi
(cd themes/default && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
.venv/bin/python -m cms.maps.vendor
# The admin's own (Tom Select: searchable pickers), pinned in cms/admin/package-lock.json.
(cd cms/admin && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
.venv/bin/python -m cms.admin.vendor
# Test-only data (the Big List of Naughty Strings, pinned in tests/security/package-lock.json);
# its install script only updates a git submodule, so it is not run. axe-core (pinned in
# tests/browser/package-lock.json) is injected into pages by the accessibility tests; it has no
# install script to run. The Nu HTML Checker's vnu.jar (pinned in tests/html/package-lock.json)
# validates built and admin pages; its install script would fetch a Java runtime of its own, so it
# is not run either: test.sh installs Debian's.
if [ "${1:-}" = requirements-dev.txt ]; then
  (cd tests/security && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  (cd tests/html && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
