#!/usr/bin/env bash
# Install the Debian packages pia-app needs outside Python: Qt's shared libraries (PySide6 wheels
# link against the system's GL, xkbcommon, fontconfig, dbus and xcb), a CJK font so Chinese is not
# drawn as boxes, and, for the tests and report previews, LibreOffice and poppler.
#
#   tools/system-deps.sh runtime   # what the app needs to open its window
#   tools/system-deps.sh test      # runtime + what the test suite and report previews use
#   tools/system-deps.sh package   # runtime + what make package (PyInstaller) uses
#
# As root on Debian/Ubuntu the missing packages are installed with apt-get. Otherwise the one
# command to run is printed and the script exits 0, so `make` goes on (the app may still work if
# the libraries come from elsewhere).
set -euo pipefail

runtime=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 fonts-noto-cjk
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0)
# fonts-symbola (monochrome emoji) and fonts-hanazono (CJK Extension B and later): the report's
# fallback runs for emoji and rare characters (pia_app/report/fonts.py) find a font in the
# LibreOffice preview instead of drawing empty boxes.
test_extra=(libreoffice-writer-nogui poppler-utils xvfb fonts-symbola fonts-hanazono)
package_extra=(binutils)  # make package: PyInstaller reads shared libraries with objdump

want=("${runtime[@]}")
[ "${1:-runtime}" = "test" ] && want+=("${test_extra[@]}")
[ "${1:-runtime}" = "package" ] && want+=("${package_extra[@]}")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian-like system; install Qt 6's runtime libraries and a CJK font yourself." >&2
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
fi
