#!/usr/bin/env bash
# Set up and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh requirements-dev.txt
# Browser tests drive Debian's Chromium (Playwright's own browser download is not used) and
# serve the built site with Debian's nginx using deploy/nginx.conf
# (tests/browser/test_csp_nginx.py; openssl makes its throwaway certificate). The HTML checker
# (vnu.jar, tests/build/test_html_valid.py and tests/admin/test_html_valid.py) runs on Debian's Java.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Browser and HTML tests need ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
.venv/bin/ruff check .

# Known vulnerabilities in the pinned requirements (issue 7): a finding fails the run. pip-audit
# asks the package index for each release's advisories; when that service cannot be reached (a
# probe with pip-audit's own pin fails for want of data, not because of a finding), say so plainly
# and go on, since a network that cannot answer is not a finding.
audit_pins() {
  local log probe status=0
  log=$(mktemp) probe=$(mktemp)
  echo "pip-audit==$(.venv/bin/pip-audit --version | cut -d' ' -f2)" >"$probe"
  audit() { .venv/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off "$@" >"$log" 2>&1; }
  found() { grep -q "^Found [0-9]* known vulnerabilit" "$log"; }
  unreachable() {
    echo "pip-audit: NOT RUN: its vulnerability data cannot be reached from this machine" \
      "(it said: $(grep -E "could not be audited|[Cc]onnect|[Rr]esolve|[Tt]imeout|Error" "$log" \
        | tail -1 | sed 's/^ERROR:pip_audit[^:]*://'));" \
      "the pinned requirements were not checked for known vulnerabilities" >&2
  }
  if ! audit -r "$probe" && ! found; then
    unreachable
  elif audit -r requirements.txt -r requirements-dev.txt; then
    echo "pip-audit: $(tail -1 "$log") in requirements.txt and requirements-dev.txt"
  elif ! found && grep -qE "ConnectionError|Could not connect|not redirecting" "$log"; then
    unreachable
  else
    cat "$log" >&2
    echo "pip-audit: the pinned requirements have known vulnerabilities (or could not be audited)" >&2
    status=1
  fi
  rm -f "$log" "$probe"
  return "$status"
}
audit_pins

exec .venv/bin/python -m pytest -n 2 --maxschedchunk 1 -p no:cacheprovider "$@"
