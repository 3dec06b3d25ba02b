#!/bin/bash
# Installs everything weft needs to build and test, on Debian 12, as root.
#
# Idempotent and fast when nothing is missing: the installed packages are
# checked with one dpkg-query call and apt-get runs only for missing ones.
# OVS/OVN services are never started: while apt-get runs, a policy-rc.d
# that denies every service start is put in place (unless one exists).
set -euo pipefail

PACKAGES=(
    meson ninja-build gcc clang libclang-rt-14-dev pkg-config
    libcmocka-dev
    python3-pytest python3-scapy python3-openvswitch
    ovn-central ovn-host ovn-common openvswitch-switch
    iproute2 ethtool procps
)

missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
                    "${PACKAGES[@]}" 2>/dev/null | awk '$2 == "installed" {print $1}') || true
    local p
    for p in "${PACKAGES[@]}"; do
        grep -qx -- "$p" <<<"$installed" || echo "$p"
    done
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: missing packages: ${missing[*]}" >&2
    echo "install-deps.sh: run as root to install them" >&2
    exit 1
fi

echo "install-deps.sh: installing ${missing[*]}"

policy=/usr/sbin/policy-rc.d
remove_policy=false
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Added by weft scripts/install-deps.sh.\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    remove_policy=true
fi
cleanup() {
    if $remove_policy; then
        rm -f "$policy"
    fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
apt-get -qq update
if ! apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"; then
    # A package's maintainer script may fail where services cannot run
    # (containers without an init system); finish configuring and judge by
    # what is installed.
    echo "install-deps.sh: apt-get failed; retrying configuration" >&2
    dpkg --configure -a || true
fi

mapfile -t still < <(missing_packages)
if [ "${#still[@]}" -ne 0 ]; then
    echo "install-deps.sh: could not install: ${still[*]}" >&2
    exit 1
fi
