#!/bin/sh
# Portfolio Desk for Linux: add it to your desktop's menu, for you alone (no root needed).
#
#   ./install.sh              the menu entry, the icons and ~/.local/bin/portfolio-desk
#   ./install.sh --uninstall  remove them again (the app's folder and your data stay)
#
# The app runs from this folder, wherever you unpacked it: move the folder and run this again.
# Your portfolio is not in this folder but in ~/.local/share/PortfolioDesk (see the README).
# On a minimal system Qt also needs the XCB cursor library: sudo apt install libxcb-cursor0.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
entry=$data/applications/portfolio-desk.desktop

refresh() {
  # Tell the menus and the icon cache, where the tools are there; neither is required.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$entry" "$bin/portfolio-desk"
  find "$data/icons/hicolor" -path '*/apps/portfolio-desk.*' -exec rm -f {} + 2>/dev/null || true
  refresh
  echo "Removed the menu entry, the icons and $bin/portfolio-desk."
  exit 0
fi
if [ ! -x "$here/portfolio-desk" ]; then
  echo "install.sh: $here/portfolio-desk is missing: run me from the unpacked folder" >&2
  exit 1
fi

(cd "$here/share/icons" && find hicolor -type f) | while read -r icon; do
  mkdir -p "$data/icons/$(dirname "$icon")"
  cp "$here/share/icons/$icon" "$data/icons/$icon"
done
mkdir -p "$data/applications" "$bin"
# Exec names this folder's executable, quoted for a path with spaces (the .desktop format's rule).
sed "s|^Exec=.*|Exec=\"$here/portfolio-desk\"|" "$here/portfolio-desk.desktop" >"$entry.tmp"
mv "$entry.tmp" "$entry"
ln -sf "$here/portfolio-desk" "$bin/portfolio-desk"
refresh
echo "Portfolio Desk is in your applications menu; 'portfolio-desk' runs it from a terminal"
echo "(if $bin is on your PATH)."
