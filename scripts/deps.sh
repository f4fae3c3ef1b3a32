#!/usr/bin/env bash
# Install the Debian packages the tests need, when they are missing:
# poppler-utils (pdftotext, pdftoppm: certificates are parsed back; the
# library extracts the text of PDFs with pdftotext), libxml2-utils (xmllint
# checks OAI-PMH answers against the protocol's schema) and chromium (the
# end-to-end browser journey).
set -euo pipefail
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps.sh: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
	{ $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
