#!/usr/bin/env bash
# Put pia-app in the desktop's application menu, for the current user only (no root needed):
# the .desktop launcher, the icon in every size and the AppStream metadata, under
# ${XDG_DATA_HOME:-~/.local/share}. `make install-desktop` runs it; the desktop bundle ships it
# as pia-app/install-desktop.sh.
#
#   install-desktop.sh [PIA_APP_EXECUTABLE]     # default: pia-app beside this script, else on PATH
#   install-desktop.sh --uninstall
set -euo pipefail

APP_ID=cn.pia_app.PiaApp
here=$(cd "$(dirname "$0")" && pwd)
# In the checkout the files are in packaging/; in the bundle, in share/ beside this script.
if [ -f "$here/$APP_ID.desktop" ]; then linux=$here; icons=$here/../icons; else linux=$here/share; icons=$here/share/icons; fi
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data/applications
meta=$data/metainfo
hicolor=$data/icons/hicolor

# No icon-theme.cache in the user's hicolor folder: a stale one would hide other apps' icons.
refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$apps" || true; fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$apps/$APP_ID.desktop" "$meta/$APP_ID.metainfo.xml" "$hicolor/scalable/apps/$APP_ID.svg"
  rm -f "$hicolor"/*/apps/"$APP_ID.png"
  refresh
  echo "pia-app removed from the application menu (your assessments are untouched)."
  exit 0
fi

exe=${1:-}
if [ -z "$exe" ]; then
  if [ -x "$here/pia-app" ]; then exe=$here/pia-app
  else exe=$(command -v pia-app || true)
  fi
fi
if [ -z "$exe" ] || [ ! -x "$exe" ]; then
  echo "install-desktop: no pia-app executable found; give its path: $0 /path/to/pia-app" >&2
  exit 2
fi
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")

# Desktop Entry Specification: a quoted Exec argument escapes ", `, $ and \ with a backslash.
quoted=$(printf '%s' "$exe" | sed -e 's/[\\"`$]/\\&/g')
mkdir -p "$apps" "$meta" "$hicolor/scalable/apps"
sed -e "s|^Exec=pia-app gui\$|Exec=\"${quoted//|/\\|}\" gui|" "$linux/$APP_ID.desktop" >"$apps/$APP_ID.desktop.tmp"
grep -q '^Exec="' "$apps/$APP_ID.desktop.tmp" || { echo "install-desktop: could not set Exec" >&2; exit 1; }
mv "$apps/$APP_ID.desktop.tmp" "$apps/$APP_ID.desktop"
cp "$linux/$APP_ID.metainfo.xml" "$meta/"
cp "$icons/pia-app.svg" "$hicolor/scalable/apps/$APP_ID.svg"
for png in "$icons"/hicolor/*/apps/"$APP_ID.png"; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  mkdir -p "$hicolor/$size/apps"
  cp "$png" "$hicolor/$size/apps/"
done
refresh
echo "pia-app added to the application menu: $apps/$APP_ID.desktop (runs $exe)"
