#!/bin/bash
# Installs the dependencies, builds weft with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), and runs the whole test suite:
# the C unit tests through meson, then the pytest suite under tests/.
# Runs as root on Debian 12.  Exits non-zero if anything fails.
#
# Extra arguments are passed to pytest, e.g. scripts/test.sh -k log.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1

scripts/install-deps.sh || exit 1
scripts/build.sh --sanitize || exit 1

export WEFT_BUILD="$PWD/build-asan"
# LeakSanitizer works here (root, no ptrace restriction); a leak fails the
# test that made it.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:print_summary=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

status=0
echo "=== unit tests (meson test -C build-asan)"
meson test -C build-asan --print-errorlogs || status=1

echo "=== pytest (tests/)"
/usr/bin/python3 -m pytest -q -p no:cacheprovider -rs tests/ "$@" || status=1

if [ "$status" -ne 0 ]; then
    echo "test.sh: FAILED" >&2
else
    echo "test.sh: all tests passed"
fi
exit "$status"
