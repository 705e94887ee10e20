#!/usr/bin/env bash
# Refresh the theme's catalogues from the code: extract every message (templates, Python, the
# theme's scripts; see babel.cfg) and merge it into each language's messages.po. New messages
# arrive untranslated: tests/unit/test_i18n.py fails until the English catalogue has them all.
# Catalogues are compiled when the site is built (cms/public/i18n.py); no .mo file is kept.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT
.venv/bin/pybabel -q extract -F babel.cfg --no-wrap --sort-by-file --omit-header \
  --ignore-dirs '.* _* node_modules vendor tests bench deploy site*' -o "$pot" .
for locale in en zh_CN; do
  if [ -f "themes/default/translations/$locale/LC_MESSAGES/messages.po" ]; then
    .venv/bin/pybabel -q update -i "$pot" -d themes/default/translations -l "$locale" \
      --no-wrap --ignore-obsolete --no-fuzzy-matching
  else
    .venv/bin/pybabel -q init -i "$pot" -d themes/default/translations -l "$locale" --no-wrap
  fi
done
