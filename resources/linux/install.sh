#!/usr/bin/env bash
# Install a built bundle's desktop integration for the current user (no root):
# the launcher entry, the icons (hicolor theme) and the *.forecast.json MIME type,
# so the app shows in the menu and scenario files open in it on double-click.
#
#   bash resources/linux/install.sh [BUNDLE_DIR]   from the repository (default: dist/forecaster)
#   bash share/linux/install.sh                     from an unpacked bundle (this bundle)
#   bash .../install.sh --uninstall
#
# Honours XDG_DATA_HOME (default ~/.local/share). The bundle is not copied: the menu
# entry points at BUNDLE_DIR/forecaster, so keep the folder where it is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
icons="$here/../icons"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
sizes="16 24 32 48 64 128 256 512"

remove() {
  rm -f "$data/applications/forecaster.desktop" "$data/mime/packages/forecaster-scenario.xml" \
        "$data/icons/hicolor/scalable/apps/forecaster.svg"
  for n in $sizes; do rm -f "$data/icons/hicolor/${n}x${n}/apps/forecaster.png"; done
}

refresh() {
  if command -v update-mime-database >/dev/null; then update-mime-database "$data/mime"; fi
  if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$data/applications"; fi
  if command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
  fi
}

if [[ "${1:-}" == "--uninstall" ]]; then
  remove
  mkdir -p "$data/mime/packages" "$data/applications"
  refresh
  echo "forecaster: desktop integration removed from $data"
  exit 0
fi

# Inside a bundle this script is BUNDLE/share/linux/install.sh; in the repository,
# resources/linux/install.sh next to dist/.
if [[ -n "${1:-}" ]]; then default="$1"
elif [[ -x "$here/../../forecaster" && -d "$here/../../_internal" ]]; then default="$here/../.."
else default="$here/../../dist/forecaster"; fi
bundle="$(cd "$default" 2>/dev/null && pwd)" || {
  echo "install.sh: no bundle at $default; build it first (see README)" >&2; exit 2; }
exe="$bundle/forecaster"
[[ -x "$exe" ]] || { echo "install.sh: $exe is not an executable bundle" >&2; exit 2; }

mkdir -p "$data/applications" "$data/mime/packages" "$data/icons/hicolor/scalable/apps"
for n in $sizes; do
  mkdir -p "$data/icons/hicolor/${n}x${n}/apps"
  cp "$icons/forecaster-$n.png" "$data/icons/hicolor/${n}x${n}/apps/forecaster.png"
done
cp "$icons/forecaster.svg" "$data/icons/hicolor/scalable/apps/forecaster.svg"
cp "$here/forecaster-scenario.xml" "$data/mime/packages/forecaster-scenario.xml"
# Point the entry at this bundle: a path with spaces is quoted as the spec asks.
sed -e "s|^Exec=forecaster |Exec=\"$exe\" |" -e "s|^TryExec=forecaster$|TryExec=$exe|" \
    "$here/forecaster.desktop" > "$data/applications/forecaster.desktop"
refresh
echo "forecaster: menu entry, icons and the *.forecast.json type installed in $data"
