#!/usr/bin/env bash
# Set up teachpack on Debian or Ubuntu: system libraries and fonts, then a virtual environment in .venv.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

# Pango/HarfBuzz for WeasyPrint (harfbuzz-subset keeps PDFs free of timestamps), the fonts the
# level profiles name, a Chinese font for names such as 毛泽东 (fonts-wqy-microhei: 5 MB installed;
# fonts-noto-cjk covers Japanese and Korean too but installs 91 MB), fontconfig's fc-list (the glyph
# coverage check), poppler-utils (pdftoppm draws the PNG copy of the DOCX's timeline picture; pdftotext
# and pdffonts for the tests), jing for the tests (the OOXML schema check), and
# WordNet 3.0 (wordnet-base, wordnet-sense-index: 36 MB) for the glossary definitions `teachpack import` drafts,
# and Chromium for the browser tests of `teachpack serve` (Playwright drives it; `playwright install` cannot
# download its own browser here). Node and npm install axe-core, the accessibility checker those tests inject.
# LibreOffice Writer (libreoffice-writer-nogui, no recommends) opens each test DOCX as a Word user would
# and prints it to PDF: the tests count its pages, read its numbers and look for blank pages.
# liblouis (liblouis-bin's lou_translate with liblouis-data's tables) writes the braille edition (--format brf);
# teachpack runs the command, so it works from any Python, not only Debian's.
packages=(python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          fonts-dejavu-core fonts-sil-andika fonts-texgyre fonts-opendyslexic fonts-crosextra-carlito
          fonts-wqy-microhei fontconfig poppler-utils jing wordnet-base wordnet-sense-index chromium
          libreoffice-writer-nogui liblouis-bin liblouis-data)
command -v npm >/dev/null || packages+=(nodejs npm)  # a node from elsewhere (nvm, NodeSource) will do too
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "setup: Python 3.11 or newer is needed" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# axe-core at the version pinned in tests/web/package-lock.json, in tests/web/node_modules/ (not in git)
[ -f tests/web/node_modules/axe-core/axe.min.js ] || npm ci --prefix tests/web --no-audit --no-fund --silent
echo "setup: ready (.venv/bin/teachpack)"
