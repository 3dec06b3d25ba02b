#!/bin/bash
# Configures (if needed) and builds weft.
#
#     scripts/build.sh              release-style build in build/
#     scripts/build.sh --sanitize   ASan + UBSan build in build-asan/
#
# Run from anywhere; the build directories live at the repository root.
set -euo pipefail

cd "$(dirname "$0")/.."

dir=build
sanitize=false
for arg in "$@"; do
    case $arg in
    --sanitize) dir=build-asan; sanitize=true ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg'" >&2; exit 1 ;;
    esac
done

if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" -Dsanitize="$sanitize"
else
    meson configure "$dir" -Dsanitize="$sanitize" >/dev/null
fi
ninja -C "$dir"
