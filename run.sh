#!/usr/bin/env bash
# Set up, build the demo site from content/ and serve it on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh requirements.txt
.venv/bin/python build.py build
exec .venv/bin/python build.py serve --host 127.0.0.1 --port "${PORT:-8000}"
