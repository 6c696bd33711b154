#!/usr/bin/env bash
# Build the macOS app for this Mac's architecture and put it in a disk image.
#
#   packaging/build_macos.sh [--out DIR]
#
# Writes DIR/dist/Portfolio Desk.app and DIR/PortfolioDesk-VERSION-macos-ARCH.dmg (ARCH: arm64
# or x86_64, the running Python's). There is no universal2 build: numpy, pandas and curl_cffi
# publish no universal2 wheels, so each architecture is built on its own Mac (CI: one runner
# each). $PYTHON (default python3) must have the project's dependencies and PyInstaller
# (pip install -e ".[build]"). The app is signed ad hoc (PyInstaller does it; Apple silicon
# runs nothing unsigned), not with a Developer ID, and not notarized: the first start needs
# right-click > Open.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    *) echo "build_macos.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ "$(uname -s)" != Darwin ]; then
  echo "build_macos.sh builds the macOS app on macOS (PyInstaller cannot cross-build)" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
python=${PYTHON:-python3}
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/desktop/__init__.py")
arch=$("$python" -c "import platform; print(platform.machine())")
app="$out/dist/Portfolio Desk.app"
dmg="$out/PortfolioDesk-$version-macos-$arch.dmg"
started=$(date +%s)

echo "+ PyInstaller ($("$python" -m PyInstaller --version)) with $python ($arch)"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out/dist" --workpath "$out/build/pyinstaller" \
  "$root/packaging/portfolio-desk.spec"

# The executable is of this architecture alone, and the bundle's ad-hoc signature holds.
lipo -archs "$app/Contents/MacOS/portfolio-desk"
codesign --verify --deep --strict "$app"

echo "+ $(basename "$dmg")"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/Portfolio Desk.app"  # ditto keeps the frameworks' symlinks and signatures
ln -s /Applications "$staging/Applications"  # drag the app onto it to install
rm -f "$dmg"
# hdiutil now and then fails with "Resource busy" on CI machines (a Spotlight or XProtect scan
# of the new volume); a retry a few seconds later succeeds.
for attempt in 1 2 3 4 5; do
  if hdiutil create -volname "Portfolio Desk" -srcfolder "$staging" -fs HFS+ -format UDZO \
    -ov "$dmg"; then
    break
  fi
  [ "$attempt" = 5 ] && exit 1
  sleep $((attempt * 5))
done
hdiutil verify "$dmg"

echo "built in $(($(date +%s) - started)) s:"
echo "  $app ($(du -sh "$app" | cut -f1))"
echo "  $dmg ($(du -sh "$dmg" | cut -f1))"
