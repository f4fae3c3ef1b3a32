#!/usr/bin/env bash
# Install what the tests need, when it is missing: Debian's
# poppler-utils (pdftotext, pdftoppm: certificates are parsed back; the
# library extracts the text of PDFs with pdftotext), libxml2-utils (xmllint
# checks OAI-PMH answers against the protocol's schema), chromium (the
# end-to-end browser journey), nginx (two nodes behind the production
# load-balancer configuration) and postgresql (its initdb and pg_basebackup
# make the read replica the replica tests run against), and Versity's S3
# gateway, built from the Go module proxy (the object store the S3 tests
# run against).
set -euo pipefail
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps.sh: installing ${missing[*]}" >&2
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
		{ $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# The version the tests are written against; courses/s3test finds the
# binary on PATH or in $(go env GOPATH)/bin.
VERSITYGW=github.com/versity/versitygw/cmd/versitygw@v1.8.0
GO=${GO:-go}
if ! command -v versitygw >/dev/null 2>&1 && [ ! -x "$($GO env GOPATH | cut -d: -f1)/bin/versitygw" ]; then
	echo "deps.sh: building versitygw ($VERSITYGW)" >&2
	$GO install "$VERSITYGW"
fi
