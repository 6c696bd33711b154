#!/usr/bin/env bash
# Build the Linux app: PyInstaller's one-folder build, then a tarball with the .desktop file,
# the icons and a per-user install script.
#
#   packaging/build_linux.sh [--out DIR] [--venv DIR]
#
# --out DIR   where to write (default: the checkout): DIR/dist/portfolio-desk/ (the app, ready to
#             run), DIR/portfolio-desk-VERSION-linux-ARCH.tar.gz, and PyInstaller's work files
#             in DIR/build/pyinstaller.
# --venv DIR  build with the virtual environment DIR, created first if it is not there, with the
#             project and PyInstaller installed from this checkout (pip install ".[build]").
#             Without it the build uses $PYTHON, else .venv/bin/python, else python3, which must
#             have the project's dependencies and PyInstaller (pip install -e ".[build]").
#
# Build on the oldest Linux you support: the app needs the glibc it was built against or a
# newer one (CI builds on Ubuntu 22.04). tests/test_frozen_build.py runs this script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root
venv=
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --venv) venv=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build_linux.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$(uname -s)" != Linux ]; then
  echo "build_linux.sh builds the Linux app on Linux (PyInstaller cannot cross-build)" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -n "$venv" ]; then
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "${root}[build]"
  fi
  python=$venv/bin/python
elif [ -n "${PYTHON:-}" ]; then
  python=$PYTHON
elif [ -x "$root/.venv/bin/python" ]; then
  python=$root/.venv/bin/python
else
  python=python3
fi
if ! "$python" -c "import PyInstaller" 2>/dev/null; then
  echo "build_linux.sh: $python has no PyInstaller: pip install -e \".[build]\" (or --venv DIR)" >&2
  exit 2
fi

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/desktop/__init__.py")
arch=$(uname -m)
name=portfolio-desk-$version-linux-$arch
app=$out/dist/portfolio-desk
started=$(date +%s)

echo "+ PyInstaller ($("$python" -m PyInstaller --version)) with $python"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out/dist" --workpath "$out/build/pyinstaller" \
  "$root/packaging/portfolio-desk.spec"

# Beside the executable: the menu entry, the icons in the freedesktop layout, the installer.
install -m 644 "$root/packaging/linux/portfolio-desk.desktop" "$app/portfolio-desk.desktop"
install -m 755 "$root/packaging/linux/install.sh" "$app/install.sh"
for size in 16 32 48 64 128 256 512; do
  install -D -m 644 "$root/resources/portfolio-desk-$size.png" \
    "$app/share/icons/hicolor/${size}x${size}/apps/portfolio-desk.png"
done
install -D -m 644 "$root/resources/portfolio-desk.svg" \
  "$app/share/icons/hicolor/scalable/apps/portfolio-desk.svg"
install -m 644 "$root/resources/portfolio-desk-256.png" "$app/portfolio-desk.png"

echo "+ $name.tar.gz"
rm -f "$out/$name.tar.gz"
# One top folder named for the version and architecture; owner and group left out, so the files
# are the unpacking user's.
tar -C "$out/dist" --owner=0 --group=0 --numeric-owner \
  --transform "s,^portfolio-desk,$name," -czf "$out/$name.tar.gz.tmp" portfolio-desk
mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"

echo "built in $(($(date +%s) - started)) s:"
echo "  $app ($(du -sh "$app" | cut -f1))"
echo "  $out/$name.tar.gz ($(du -sh "$out/$name.tar.gz" | cut -f1))"
