#!/usr/bin/env bash
# Install the Debian packages the test suite and benchmark need, skipping any that are
# already present so a warm machine pays nothing. Needs root (as on CI) for apt-get.
set -euo pipefail

missing=()
need() {  # need PACKAGE PATH-OR-COMMAND-THAT-PROVES-IT-IS-INSTALLED
  [ -e "$2" ] || command -v "$2" >/dev/null || missing+=("$1")
}
need chromium /usr/bin/chromium
need fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
need postgresql /usr/bin/pg_ctlcluster
need redis-server /usr/bin/redis-server
need wrk /usr/bin/wrk
# The HTML validator runs on Java and the browser tests' npm packages need Node; both
# come with the usual image, but a bare Debian lacks them.
need default-jre-headless java
need npm npm

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: these packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
