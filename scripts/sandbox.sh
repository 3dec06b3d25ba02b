#!/bin/bash
# Runs a weft sandbox: one weft-db serving fresh OVN_Northbound and
# OVN_Southbound databases from this source tree, reachable by OVN's and
# OVS's own tools, and weft-northd compiling the one into the other.  Runs
# as root on Debian 12.
#
#     scripts/sandbox.sh          install deps, build, (re)start the sandbox
#     scripts/sandbox.sh --keep   same, but keep the existing databases
#     scripts/sandbox.sh stop     stop the sandbox's daemons
#
# Everything lives in sandbox/ at the repository root: nb.db, sb.db, the
# sockets nb.sock and sb.sock (each serves both databases), and for each
# daemon (weft-db, weft-northd) its control socket DAEMON.ctl, DAEMON.log
# and DAEMON.pid.  TCP remotes 127.0.0.1:6641 and :6642 are added when
# those ports are free.
#
# For tests (tests/test_sandbox.py), three environment variables:
#   WEFT_SANDBOX_DIR=DIR    the sandbox's files in DIR, not sandbox/
#   WEFT_SANDBOX_BUILD=DIR  take the binaries from build directory DIR
#                           and neither install packages nor build
#   WEFT_SANDBOX_TCP=no     no TCP remotes
set -euo pipefail

# Relative directories in the environment are the caller's.
absolute() {
    case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac
}
SB=$(absolute "${WEFT_SANDBOX_DIR:-sandbox}")
BUILD=$(absolute "${WEFT_SANDBOX_BUILD:-build}")
cd "$(dirname "$0")/.."
ROOT=$PWD
[ -n "${WEFT_SANDBOX_DIR:-}" ] || SB=$ROOT/sandbox
[ -n "${WEFT_SANDBOX_BUILD:-}" ] || BUILD=$ROOT/build
WEFT_DB=$BUILD/daemons/weft-db
WEFT_NORTHD=$BUILD/daemons/weft-northd
WEFT_APPCTL=$BUILD/cli/weft-appctl
WEFT_NBCTL=$BUILD/cli/weft-nbctl
WEFT_SBCTL=$BUILD/cli/weft-sbctl
WEFT_TRACE=$BUILD/cli/weft-trace

# Stops daemon $1 (weft-db or weft-northd) recorded in its pidfile, if it
# is still the sandbox's (a stale pidfile's PID may belong to another
# process by now): its command line names the sandbox's files.
stop_daemon() {
    local pid name=$1 PIDFILE=$SB/$1.pid
    [ -f "$PIDFILE" ] || return 0
    pid=$(cat "$PIDFILE" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] &&
       tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qF "$SB/"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "sandbox: stopped $name (pid $pid)"
    fi
    rm -f "$PIDFILE"
}

stop_sandbox() {
    stop_daemon weft-northd
    stop_daemon weft-db
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

keep=false
case "${1:-start}" in
stop)
    stop_sandbox
    exit 0
    ;;
start) ;;
--keep) keep=true ;;
-h|--help) sed -n '2,/^set /p' "$0" | grep '^#'; exit 0 ;;
*) echo "sandbox.sh: unknown argument '$1' (try --help)" >&2; exit 1 ;;
esac

# A unix socket path must fit in 108 bytes.
if [ "${#SB}" -gt 90 ]; then
    echo "sandbox.sh: $SB is too long a path for unix sockets;" \
         "use a checkout with a shorter path" >&2
    exit 1
fi

if [ -z "${WEFT_SANDBOX_BUILD:-}" ]; then
    scripts/install-deps.sh
    scripts/build.sh
fi
for bin in "$WEFT_DB" "$WEFT_NORTHD"; do
    if [ ! -x "$bin" ]; then
        echo "sandbox.sh: $bin was not built" >&2
        exit 1
    fi
done

stop_sandbox
mkdir -p "$SB"
rm -f "$SB"/*.sock "$SB"/*.ctl
for db in nb sb; do
    if $keep && [ -f "$SB/$db.db" ]; then
        continue
    fi
    rm -f "$SB/$db.db"
    "$WEFT_DB" create "$SB/$db.db" "$ROOT/schemas/ovn-$db.ovsschema"
done

remotes=(--remote="punix:$SB/nb.sock" --remote="punix:$SB/sb.sock")
tcp_note=""
for port in 6641 6642; do
    if [ "${WEFT_SANDBOX_TCP:-yes}" = no ]; then
        tcp_note+="  (none: WEFT_SANDBOX_TCP=no)"$'\n'
        break
    elif port_in_use "$port"; then
        tcp_note+="  (port $port is in use by another program: no TCP remote on it)"$'\n'
    else
        remotes+=(--remote="ptcp:$port:127.0.0.1")
        tcp_note+="  tcp:127.0.0.1:$port"$'\n'
    fi
done

# --detach returns once weft-db is ready to serve, or fails with its error.
if ! "$WEFT_DB" --detach --no-chdir --pidfile="$SB/weft-db.pid" \
        --log-file="$SB/weft-db.log" --unixctl="$SB/weft-db.ctl" \
        "${remotes[@]}" "$SB/nb.db" "$SB/sb.db"; then
    echo "sandbox.sh: weft-db failed to start; last lines of its log:" >&2
    tail -n 20 "$SB/weft-db.log" >&2 2>/dev/null || true
    exit 1
fi
if ! "$WEFT_NORTHD" --detach --no-chdir --pidfile="$SB/weft-northd.pid" \
        --log-file="$SB/weft-northd.log" --unixctl="$SB/weft-northd.ctl" \
        --ovnnb-db="unix:$SB/nb.sock" --ovnsb-db="unix:$SB/sb.sock"; then
    echo "sandbox.sh: weft-northd failed to start; last lines of its log:" >&2
    tail -n 20 "$SB/weft-northd.log" >&2 2>/dev/null || true
    exit 1
fi

# The reference topology of the "OVN Routing and ovn-trace" walkthrough
# (two switches, each with a VM port, joined by a router), built with the
# walkthrough's own ovn-nbctl commands, plus what the "VPC Networking"
# document adds: an external network behind a gateway port (a localnet
# port, gateway chassis, SNAT, a default route), a floating IP for vm1
# (distributed dnat_and_snat) and a security group on vm2 (SSH in, all
# out, every other inbound IPv4 packet dropped).  One transaction.
export OVN_NB_DB="unix:$SB/nb.sock" OVN_SB_DB="unix:$SB/sb.sock"
if [ -z "$("$WEFT_NBCTL" --bare --columns=name find Logical_Switch \
          name=network1)" ]; then
    "$WEFT_NBCTL" ls-add network1 -- ls-add network2 \
        -- lsp-add network1 vm1 -- lsp-add network2 vm2 \
        -- lsp-set-addresses vm1 "40:44:00:00:00:01 192.168.0.11" \
        -- lsp-set-addresses vm2 "40:44:00:00:00:02 192.168.1.13" \
        -- lr-add router1 \
        -- lrp-add router1 router1-net1 40:44:00:00:00:03 192.168.0.1/24 \
        -- lsp-add network1 net1-router1 \
        -- lsp-set-addresses net1-router1 40:44:00:00:00:03 \
        -- lsp-set-type net1-router1 router \
        -- lsp-set-options net1-router1 router-port=router1-net1 \
        -- lrp-add router1 router1-net2 40:44:00:00:00:04 192.168.1.1/24 \
        -- lsp-add network2 net2-router1 \
        -- lsp-set-addresses net2-router1 40:44:00:00:00:04 \
        -- lsp-set-type net2-router1 router \
        -- lsp-set-options net2-router1 router-port=router1-net2 \
        -- ls-add public \
        -- lsp-add public public-localnet \
        -- lsp-set-type public-localnet localnet \
        -- lsp-set-addresses public-localnet unknown \
        -- lsp-set-options public-localnet network_name=physnet \
        -- lrp-add router1 router1-public 40:44:00:00:00:05 172.16.0.1/24 \
        -- lsp-add public public-router1 \
        -- lsp-set-type public-router1 router \
        -- lsp-set-addresses public-router1 router \
        -- lsp-set-options public-router1 router-port=router1-public \
        -- lrp-set-gateway-chassis router1-public chassis-1 20 \
        -- lr-nat-add router1 snat 172.16.0.1 192.168.0.0/16 \
        -- lr-route-add router1 0.0.0.0/0 172.16.0.254 \
        -- lr-nat-add router1 dnat_and_snat 172.16.0.100 192.168.0.11 \
           vm1 40:44:00:00:00:01 \
        -- pg-add sg_ssh vm2 \
        -- acl-add sg_ssh to-lport 1000 \
           'outport == @sg_ssh && ip4 && tcp.dst == 22' allow-related \
        -- acl-add sg_ssh from-lport 1000 'inport == @sg_ssh && ip4' \
           allow-related \
        -- acl-add sg_ssh to-lport 900 'outport == @sg_ssh && ip4' drop
fi
# Wait until weft-northd has compiled the topology into the southbound
# database.
"$WEFT_NBCTL" --wait=sb --timeout=30 sync
echo
echo "Northbound database (reference topology), as weft-nbctl show prints it:"
"$WEFT_NBCTL" show
echo
echo "Southbound port bindings weft-northd wrote for it:"
"$WEFT_SBCTL" --format=table --columns=logical_port,type,tunnel_key,mac \
    list Port_Binding
echo "Logical flows: $("$WEFT_SBCTL" count-flows | tail -n 1)"

# weft-trace, on the pipelines weft-northd wrote: an SSH connection from
# vm1 to vm2 is routed and let in by the security group; HTTP is dropped
# by the group's default deny, and the trace says where.
to_vm2='inport == "vm1" && eth.src == 40:44:00:00:00:01 && eth.dst == 40:44:00:00:00:03 && ip4.src == 192.168.0.11 && ip4.dst == 192.168.1.13 && ip.ttl == 64'
echo
echo "\$ weft-trace --summary --ct=new network1 '$to_vm2 && tcp.dst == 22'"
"$WEFT_TRACE" --summary --ct=new network1 "$to_vm2 && tcp.dst == 22"
echo
echo "\$ weft-trace --minimal --ct=new network1 '$to_vm2 && tcp.dst == 80'"
"$WEFT_TRACE" --minimal --ct=new network1 "$to_vm2 && tcp.dst == 80"
echo "\$ weft-trace --ct=new network1 '$to_vm2 && tcp.dst == 80' | tail -n 1"
"$WEFT_TRACE" --ct=new network1 "$to_vm2 && tcp.dst == 80" | tail -n 1

# From the external network to vm1's floating IP: the router un-NATs it
# to vm1's own address and routes it there.
to_fip='inport == "public-localnet" && eth.src == 40:44:00:00:00:fe && eth.dst == 40:44:00:00:00:01 && ip4.src == 172.16.0.254 && ip4.dst == 172.16.0.100 && ip.ttl == 64 && tcp.dst == 22'
echo
echo "\$ weft-trace --minimal --ct=new public '$to_fip'"
"$WEFT_TRACE" --minimal --ct=new public "$to_fip"

stop_env=""
if [ -n "${WEFT_SANDBOX_DIR:-}" ]; then
    stop_env="WEFT_SANDBOX_DIR=$SB "
fi
cat <<EOF

weft sandbox running: weft-db pid $(cat "$SB/weft-db.pid"), weft-northd pid $(cat "$SB/weft-northd.pid"), files in $SB

Point weft's and OVN's tools at it:
  export OVN_NB_DB=unix:$SB/nb.sock OVN_SB_DB=unix:$SB/sb.sock
  $WEFT_NBCTL show
  $WEFT_NBCTL lsp-list network1
  $WEFT_NBCTL find Logical_Switch_Port type=router
  ovn-nbctl show
  $WEFT_SBCTL show
  $WEFT_SBCTL lflow-list network1
  $WEFT_TRACE --detailed network1 'inport == "vm1" && eth.src == 40:44:00:00:00:01 && eth.dst == 40:44:00:00:00:03 && ip4.src == 192.168.0.11 && ip4.dst == 192.168.1.13 && ip.ttl == 64'

Talk OVSDB directly (every remote serves both databases):
  ovsdb-client list-dbs unix:$SB/nb.sock
  ovsdb-client dump unix:$SB/sb.sock OVN_Southbound
TCP remotes:
${tcp_note}
Inspect the server:
  $WEFT_APPCTL -t $SB/weft-db.ctl memory/show
  $WEFT_APPCTL -t $SB/weft-northd.ctl status
  $WEFT_APPCTL -t $SB/weft-northd.ctl northd/stats
  tail -f $SB/weft-db.log $SB/weft-northd.log

Stop it with: ${stop_env}scripts/sandbox.sh stop
EOF
