#!/bin/bash
# harvest-ovn-actions.sh: collects every distinct action string that the
# real ovn-northd 23.03 writes into the southbound Logical_Flow table for a
# rich topology (switches, routers, ACLs with reject and log, load balancers
# with health checks, affinity and hairpin, NAT of all kinds, DHCPv4/v6,
# DNS, IPv6 RA and prefix delegation, a gateway router, a distributed
# gateway port, ECMP with symmetric replies, port security, localnet,
# multicast/IGMP, forwarding groups, QoS, virtual ports, FDB learning).
#
# Usage: tests/expr/harvest-ovn-actions.sh > tests/expr/ovn-northd-23.03-actions.txt
#
# The topology is built three times, with no chassis, with a chassis that
# advertises no features (so that northd falls back to the deprecated
# ct_lb and friends) and with a chassis that advertises them all, and the
# union of the three harvests is printed, sorted, one action string a line.
# Needs ovsdb-server, ovn-northd, ovn-nbctl and ovn-sbctl on the PATH.
# Starts its own servers in a temporary directory and stops them (by PID)
# when done.
set -eu

D=$(mktemp -d /tmp/weft-harvest.XXXXXX)
OUT=$D/actions
: > "$OUT"
PIDS=()

cleanup() {
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
    rm -rf "$D"
}
trap cleanup EXIT

start() {
    local x
    rm -f "$D"/*.db "$D"/*.sock
    ovsdb-tool create "$D/nb.db" /usr/share/ovn/ovn-nb.ovsschema
    ovsdb-tool create "$D/sb.db" /usr/share/ovn/ovn-sb.ovsschema
    for x in nb sb; do
        ovsdb-server --detach --no-chdir --pidfile="$D/$x.pid" \
            --log-file="$D/$x.log" --remote=punix:"$D/$x.sock" \
            --unixctl="$D/$x.ctl" "$D/$x.db"
        PIDS+=("$(cat "$D/$x.pid")")
    done
    ovn-northd --detach --no-chdir --pidfile="$D/northd.pid" \
        --log-file="$D/northd.log" --ovnnb-db=unix:"$D/nb.sock" \
        --ovnsb-db=unix:"$D/sb.sock" --unixctl="$D/northd.ctl"
    PIDS+=("$(cat "$D/northd.pid")")
    export OVN_NB_DB=unix:$D/nb.sock OVN_SB_DB=unix:$D/sb.sock
}

stop() {
    local x
    for x in northd nb sb; do
        kill "$(cat "$D/$x.pid")" 2>/dev/null || true
    done
    sleep 0.3
    PIDS=()
}

nb() { ovn-nbctl --no-leader-only "$@"; }

topology() {
    nb set NB_Global . options:controller_event=true \
        options:svc_monitor_mac=0a:00:00:00:00:fe \
        options:mac_binding_removal_limit=100

    # Meters for ACL logging, events and QoS.
    nb meter-add acl-meter drop 10 pktps
    nb meter-add event-elb drop 100 pktps
    nb meter-add cp-meter drop 200 pktps

    # sw0: VIFs with port security, DHCPv4/v6, DNS, an "unknown" port.
    nb ls-add sw0
    nb set Logical_Switch sw0 other_config:subnet=10.0.0.0/24 \
        other_config:mcast_snoop=true other_config:mcast_querier=true \
        other_config:mcast_eth_src=0a:00:00:00:00:11 \
        other_config:mcast_ip4_src=10.0.0.254 \
        other_config:mcast_flood_unregistered=false \
        other_config:broadcast-arps-to-all-routers=false
    nb lsp-add sw0 vm1 -- lsp-set-addresses vm1 \
        "50:54:00:00:00:01 10.0.0.11 fd00::11" \
        -- lsp-set-port-security vm1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
    nb lsp-add sw0 vm2 -- lsp-set-addresses vm2 \
        "50:54:00:00:00:02 10.0.0.12 fd00::12" \
        -- lsp-set-port-security vm2 "50:54:00:00:00:02 10.0.0.0/24"
    nb lsp-add sw0 vm3 -- lsp-set-addresses vm3 "50:54:00:00:00:03 dynamic"
    nb lsp-add sw0 vm4 -- lsp-set-addresses vm4 unknown
    nb lsp-add sw0 vm5 -- lsp-set-addresses vm5 router
    nb lsp-add sw0 vip1 -- lsp-set-type vip1 virtual \
        -- lsp-set-addresses vip1 "50:54:00:00:00:0a 10.0.0.100" \
        -- lsp-set-options vip1 virtual-ip=10.0.0.100 \
           virtual-parents=vm1,vm2
    nb lsp-add sw0 lport0 -- lsp-set-type lport0 localport \
        -- lsp-set-addresses lport0 "50:54:00:00:00:0b 10.0.0.200"
    nb lsp-add sw0 ext0 -- lsp-set-type ext0 external \
        -- lsp-set-addresses ext0 "50:54:00:00:00:0c 10.0.0.201"
    nb ha-chassis-group-add hagrp -- ha-chassis-group-add-chassis hagrp hv1 10
    nb set Logical_Switch_Port ext0 \
        ha_chassis_group="$(nb --bare --columns=_uuid find HA_Chassis_Group name=hagrp)"
    nb lsp-set-options vm1 qos_max_rate=100000 qos_burst=20000 \
        qdisc_queue_id=5

    dhcp4=$(nb create DHCP_Options cidr=10.0.0.0/24 \
        options='"lease_time"="3600" "router"="10.0.0.1" "server_id"="10.0.0.1" "server_mac"="c0:ff:ee:00:00:01" "dns_server"="{8.8.8.8,8.8.4.4}" "domain_name"="\"ovn.org\"" "mtu"="1400" "classless_static_route"="{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}" "ntp_server"="{10.0.0.2}" "hostname"="\"host1\"" "domain_search_list"="\"a.org,b.org\"" "tftp_server"="\"tftp.example.org\"" "bootfile_name"="\"pxe.0\"" "bootfile_name_alt"="\"ipxe.0\"" "ip_forward_enable"="1" "T1"="1800" "wpad"="\"http://wpad/\"" "netbios_node_type"="2" "default_ttl"="64" "next_server"="10.0.0.3" "broadcast_address"="10.0.0.255" "arp_cache_timeout"="60" "tcp_keepalive_interval"="30" "ethernet_encap"="0" "router_discovery"="0" "path_prefix"="\"/tftp\"" "tftp_server_address"="10.0.0.4"')
    dhcp6=$(nb create DHCP_Options cidr='"fd00::/64"' \
        options='"server_id"="c0:ff:ee:00:00:02" "dns_server"="{fd00::1}" "domain_search"="\"ovn.org\""')
    dhcp6sl=$(nb create DHCP_Options cidr='"fd00::/64"' \
        options='"server_id"="c0:ff:ee:00:00:02" "dhcpv6_stateless"="true" "dns_server"="{fd00::2}"')
    nb lsp-set-dhcpv4-options vm1 "$dhcp4" -- lsp-set-dhcpv6-options vm1 "$dhcp6"
    nb lsp-set-dhcpv4-options vm2 "$dhcp4" -- lsp-set-dhcpv6-options vm2 "$dhcp6sl"
    nb lsp-set-dhcpv4-options ext0 "$dhcp4"

    dns=$(nb create DNS records='"vm1.ovn.org"="10.0.0.11 fd00::11" "vm2.ovn.org"="10.0.0.12"')
    nb add Logical_Switch sw0 dns_records "$dns"

    # ACLs of every kind, some logged, on the switch and a port group.
    nb acl-add sw0 from-lport 1002 'inport == "vm1" && ip4' allow-related
    nb acl-add sw0 from-lport 1001 'inport == "vm2" && ip4 && udp' allow
    nb acl-add sw0 to-lport 1003 'outport == "vm1" && tcp.dst == 22' reject
    nb acl-add sw0 to-lport 1004 'outport == "vm2" && udp.dst == 53' drop
    nb acl-add sw0 to-lport 1005 'ip6 && tcp.dst == 80' allow-stateless
    nb --log --severity=alert --name=acl-log --meter=acl-meter \
        acl-add sw0 to-lport 1006 'outport == "vm1" && tcp.dst == 23' reject
    nb --log --severity=info --name=acl-allow acl-add sw0 from-lport 1007 \
        'inport == "vm1" && icmp4' allow-related
    nb --log acl-add sw0 from-lport 1008 'inport == "vm3" && icmp6' drop
    nb --label=1234 acl-add sw0 from-lport 1009 'inport == "vm2" && tcp' allow-related
    nb --log --label=99 --severity=debug acl-add sw0 to-lport 1010 \
        'outport == "vm2" && sctp' allow
    nb pg-add pg1 vm1 vm2
    nb acl-add pg1 to-lport 1011 'outport == @pg1 && ip4.src == $pg1_ip4' allow-related
    nb acl-add pg1 from-lport 1012 'inport == @pg1 && ip6' reject
    nb --apply-after-lb acl-add sw0 from-lport 1013 'ip4.dst == 10.0.0.99' drop
    nb --apply-after-lb --log acl-add sw0 from-lport 1014 'ip4.dst == 10.0.0.98' reject

    # QoS marking and metering.
    nb qos-add sw0 from-lport 100 'inport == "vm1"' dscp=12
    nb qos-add sw0 to-lport 101 'outport == "vm2"' rate=1000 burst=2000
    nb qos-add sw0 from-lport 102 'inport == "vm2"' rate=500

    # Forwarding group.
    nb fwd-group-add fg0 sw0 10.0.0.50 50:54:00:00:00:50 vm1 vm2
    nb set Forwarding_Group fg0 liveness=true

    # sw1 with a second subnet, IPv6, more VIFs.
    nb ls-add sw1
    nb lsp-add sw1 vm11 -- lsp-set-addresses vm11 \
        "50:54:00:00:01:01 20.0.0.11 fd01::11"
    nb lsp-add sw1 vm12 -- lsp-set-addresses vm12 \
        "50:54:00:00:01:02 20.0.0.12 fd01::12"

    # lr0: distributed router with a distributed gateway port.
    nb lr-add lr0
    nb set Logical_Router lr0 options:always_learn_from_arp_request=false \
        options:mcast_relay=true options:dynamic_neigh_routers=true \
        options:mac_binding_age_threshold=300
    nb lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
    nb set Logical_Router_Port lr0-sw0 \
        ipv6_ra_configs:address_mode=dhcpv6_stateful \
        ipv6_ra_configs:send_periodic=true \
        ipv6_ra_configs:mtu=1400 ipv6_ra_configs:rdnss=fd00::53 \
        ipv6_ra_configs:dnssl=ovn.org ipv6_ra_configs:route_info=HIGH-fd0f::/64 \
        options:gateway_mtu=1400
    nb lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 20.0.0.1/24 fd01::1/64
    nb set Logical_Router_Port lr0-sw1 ipv6_ra_configs:address_mode=slaac \
        ipv6_ra_configs:router_preference=HIGH
    nb lrp-add lr0 lr0-pub 00:00:00:00:ff:03 172.16.0.1/24 2001:db8::1/64
    nb lrp-set-gateway-chassis lr0-pub hv1 20
    nb lrp-set-gateway-chassis lr0-pub hv2 10
    nb set Logical_Router_Port lr0-pub options:gateway_mtu=1500 \
        options:redirect-type=bridged
    nb lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router \
        -- lsp-set-addresses sw0-lr0 router \
        -- lsp-set-options sw0-lr0 router-port=lr0-sw0 nat-addresses=router
    nb lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router \
        -- lsp-set-addresses sw1-lr0 "00:00:00:00:ff:02" \
        -- lsp-set-options sw1-lr0 router-port=lr0-sw1

    # public: localnet.
    nb ls-add public
    nb lsp-add public ln-public -- lsp-set-type ln-public localnet \
        -- lsp-set-addresses ln-public unknown \
        -- lsp-set-options ln-public network_name=phys
    nb set Logical_Switch_Port ln-public tag_request=0
    nb lsp-add public pub-lr0 -- lsp-set-type pub-lr0 router \
        -- lsp-set-addresses pub-lr0 router \
        -- lsp-set-options pub-lr0 router-port=lr0-pub
    nb lsp-add public pub-vm -- lsp-set-addresses pub-vm \
        "50:54:00:00:02:01 172.16.0.50"

    # NAT on the distributed router.
    nb lr-nat-add lr0 snat 172.16.0.100 10.0.0.0/24
    nb lr-nat-add lr0 dnat_and_snat 172.16.0.101 10.0.0.11 vm1 \
        00:00:00:00:aa:01
    nb lr-nat-add lr0 dnat_and_snat 172.16.0.102 10.0.0.12
    nb --stateless lr-nat-add lr0 dnat_and_snat 172.16.0.103 20.0.0.12
    nb lr-nat-add lr0 dnat 172.16.0.104 20.0.0.11
    nb lr-nat-add lr0 snat 2001:db8::100 fd01::/64
    nb lr-nat-add lr0 dnat_and_snat 2001:db8::101 fd00::11
    nb --portrange lr-nat-add lr0 dnat_and_snat 172.16.0.105 10.0.0.13 1-30000
    asx=$(nb create Address_Set name=allowed addresses='"172.16.0.0/16"')
    nb lr-nat-add lr0 dnat_and_snat 172.16.0.106 20.0.0.13
    nb set NAT "$(nb --bare --columns=_uuid find NAT external_ip=172.16.0.106)" \
        allowed_ext_ips="$asx"
    nb lr-nat-add lr0 snat 172.16.0.107 20.0.0.0/24
    asy=$(nb create Address_Set name=exempt addresses='"172.16.5.5"')
    nb set NAT "$(nb --bare --columns=_uuid find NAT external_ip=172.16.0.107)" \
        exempted_ext_ips="$asy"

    # Routes: static, ECMP with symmetric replies, BFD, policies.
    nb lr-route-add lr0 0.0.0.0/0 172.16.0.254
    nb --ecmp-symmetric-reply lr-route-add lr0 30.0.0.0/24 172.16.0.201
    nb --ecmp-symmetric-reply lr-route-add lr0 30.0.0.0/24 172.16.0.202
    nb --ecmp lr-route-add lr0 40.0.0.0/24 20.0.0.201
    nb --ecmp lr-route-add lr0 40.0.0.0/24 20.0.0.202
    nb --policy=src-ip lr-route-add lr0 10.0.0.128/25 20.0.0.203
    nb lr-route-add lr0 ::/0 2001:db8::fe
    nb --ecmp lr-route-add lr0 fd0a::/64 fd01::201
    nb --ecmp lr-route-add lr0 fd0a::/64 fd01::202
    nb lr-route-add lr0 50.0.0.0/24 discard
    nb lr-policy-add lr0 100 'ip4.src == 10.0.0.11' drop
    nb lr-policy-add lr0 101 'ip4.src == 10.0.0.12' reroute 20.0.0.250
    nb lr-policy-add lr0 102 'ip4.src == 10.0.0.13' reroute 20.0.0.251,20.0.0.252
    nb lr-policy-add lr0 103 'ip4.src == 10.0.0.14' allow pkt_mark=77
    nb lr-policy-add lr0 104 'ip6.src == fd00::14' reroute fd01::250

    # Load balancers: health checks, affinity, hairpin SNAT, selection
    # fields, reject without backends, events, IPv6, SCTP, skip_snat.
    nb lb-add lb-tcp 10.0.0.50:80 10.0.0.11:8080,10.0.0.12:8080 tcp
    nb set Load_Balancer lb-tcp ip_port_mappings:10.0.0.11=vm1:10.0.0.1 \
        ip_port_mappings:10.0.0.12=vm2:10.0.0.1 \
        options:hairpin_snat_ip="10.0.0.250 fd00::250"
    nb -- --id=@hc create Load_Balancer_Health_Check vip='"10.0.0.50:80"' \
        options:interval=5 options:timeout=20 options:success_count=3 \
        options:failure_count=3 -- add Load_Balancer lb-tcp health_check @hc
    nb lb-add lb-udp 10.0.0.51:53 10.0.0.11:5353,10.0.0.12:5353 udp
    nb set Load_Balancer lb-udp selection_fields=ip_src,ip_dst,tp_src,tp_dst
    nb lb-add lb-aff 10.0.0.52:443 10.0.0.11:443,10.0.0.12:443 tcp
    nb set Load_Balancer lb-aff options:affinity_timeout=60
    nb lb-add lb-aff6 "[fd00::52]:443" "[fd00::11]:443,[fd00::12]:443" tcp
    nb set Load_Balancer lb-aff6 options:affinity_timeout=60
    nb lb-add lb-empty 10.0.0.53:80 "" tcp
    nb set Load_Balancer lb-empty options:reject=true
    nb lb-add lb-event 10.0.0.54:80 "" tcp
    nb set Load_Balancer lb-event options:event=true
    nb lb-add lb-v6 "[fd00::50]:80" "[fd00::11]:80,[fd00::12]:80" tcp
    nb lb-add lb-sctp 10.0.0.55:9 10.0.0.11:9 sctp
    nb lb-add lb-noport 10.0.0.56 10.0.0.11,10.0.0.12
    nb lb-add lb-gw 172.16.0.120:80 10.0.0.11:80,10.0.0.12:80 tcp
    nb set Load_Balancer lb-gw options:skip_snat=true
    nb lb-add lb-gw2 172.16.0.121:80 20.0.0.11:80 udp
    for lb in lb-tcp lb-udp lb-aff lb-aff6 lb-empty lb-event lb-v6 lb-sctp \
              lb-noport; do
        nb ls-lb-add sw0 "$lb"
        nb lr-lb-add lr0 "$lb"
    done
    nb lr-lb-add lr0 lb-gw
    nb lr-lb-add lr0 lb-gw2
    nb -- --id=@g create Load_Balancer_Group name=lbg0 \
        load_balancer="$(nb --bare --columns=_uuid find Load_Balancer name=lb-gw2)" \
        -- add Logical_Switch sw1 load_balancer_group @g

    # Gateway router gr0 on hv1 via a join switch, with its own NAT, LB
    # force SNAT, prefix delegation and a learnt-route option.
    nb lr-add gr0
    nb set Logical_Router gr0 options:chassis=hv1 \
        options:lb_force_snat_ip=router_ip \
        options:dnat_force_snat_ip=100.64.0.200 \
        options:snat-ct-zone=100 options:mcast_relay=true \
        options:lb_force_snat_ip=router_ip options:use_common_zone=true
    nb ls-add join
    nb lrp-add gr0 gr0-join 00:00:00:00:ee:01 100.64.0.1/16 fd64::1/64
    nb lsp-add join join-gr0 -- lsp-set-type join-gr0 router \
        -- lsp-set-addresses join-gr0 router \
        -- lsp-set-options join-gr0 router-port=gr0-join
    nb lrp-add lr0 lr0-join 00:00:00:00:ee:02 100.64.0.2/16 fd64::2/64
    nb lsp-add join join-lr0 -- lsp-set-type join-lr0 router \
        -- lsp-set-addresses join-lr0 router \
        -- lsp-set-options join-lr0 router-port=lr0-join
    nb lrp-add gr0 gr0-ext 00:00:00:00:ee:03 192.168.0.1/24 2001:db9::1/64
    nb set Logical_Router_Port gr0-ext options:prefix_delegation=true \
        options:prefix=true ipv6_ra_configs:address_mode=dhcpv6_stateless \
        ipv6_ra_configs:send_periodic=true
    nb ls-add ext
    nb lsp-add ext ext-gr0 -- lsp-set-type ext-gr0 router \
        -- lsp-set-addresses ext-gr0 router \
        -- lsp-set-options ext-gr0 router-port=gr0-ext
    nb lsp-add ext ln-ext -- lsp-set-type ln-ext localnet \
        -- lsp-set-addresses ln-ext unknown \
        -- lsp-set-options ln-ext network_name=phys2
    nb set Logical_Switch_Port ln-ext tag_request=100
    nb lr-nat-add gr0 snat 192.168.0.100 10.0.0.0/8
    nb lr-nat-add gr0 dnat_and_snat 192.168.0.101 20.0.0.12
    nb lr-nat-add gr0 dnat 192.168.0.102 20.0.0.11
    nb lr-nat-add gr0 snat 2001:db9::100 fd00::/63
    nb lr-route-add gr0 10.0.0.0/8 100.64.0.2
    nb lr-route-add gr0 0.0.0.0/0 192.168.0.254
    nb lb-add lb-gr 192.168.0.150:80 20.0.0.11:80,20.0.0.12:80 tcp
    nb set Load_Balancer lb-gr options:affinity_timeout=30
    nb lr-lb-add gr0 lb-gr
    nb lr-lb-add gr0 lb-tcp
    nb lr-lb-add gr0 lb-v6
    nb --ecmp-symmetric-reply lr-route-add gr0 70.0.0.0/24 192.168.0.251
    nb --ecmp-symmetric-reply lr-route-add gr0 70.0.0.0/24 192.168.0.252
    nb --ecmp-symmetric-reply lr-route-add gr0 fd70::/64 2001:db9::251
    nb --ecmp-symmetric-reply lr-route-add gr0 fd70::/64 2001:db9::252
    nb static-mac-binding-add gr0-ext 192.168.0.77 50:54:00:00:03:01 \
        2>/dev/null || true
    nb --bfd lr-route-add gr0 60.0.0.0/24 192.168.0.253 2>/dev/null || true
    nb --wait=sb sync

    # Port mirroring.
    nb mirror-add mirror0 gre 0 from-lport 172.16.0.77 2>/dev/null || true
    nb lsp-attach-mirror vm1 mirror0 2>/dev/null || true

    # Odds and ends: a disabled port, VLAN passthrough, requested chassis,
    # a router that always learns from ARP requests.
    nb lsp-add sw1 vm13 -- lsp-set-addresses vm13 "50:54:00:00:01:03 20.0.0.13" \
        -- lsp-set-enabled vm13 disabled
    nb set Logical_Switch sw1 other_config:vlan-passthru=true \
        other_config:fdb_age_threshold=300
    nb lsp-set-options vm12 requested-chassis=hv1
    nb lr-add lr2 -- set Logical_Router lr2 \
        options:always_learn_from_arp_request=true
    nb lrp-add lr2 lr2-sw1 00:00:00:00:cc:01 20.0.0.2/24
    nb lsp-add sw1 sw1-lr2 -- lsp-set-type sw1-lr2 router \
        -- lsp-set-addresses sw1-lr2 router \
        -- lsp-set-options sw1-lr2 router-port=lr2-sw1

    # Router-to-router peering without a switch.
    nb lr-add lr1
    nb lrp-add lr1 lr1-lr0 00:00:00:00:dd:01 50.50.0.1/30 peer=lr0-lr1
    nb lrp-add lr0 lr0-lr1 00:00:00:00:dd:02 50.50.0.2/30 peer=lr1-lr0
    nb set Logical_Router lr1 options:chassis=hv2

    nb --wait=sb sync
}

harvest() {
    ovn-sbctl --bare --columns=actions list Logical_Flow | sed '/^$/d' >> "$OUT"
}

# 1. No chassis at all.
start
topology > /dev/null
harvest
stop

# 2. Chassis without feature flags: the deprecated forms.
start
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-sbctl chassis-add hv2 geneve 127.0.0.2
topology > /dev/null
harvest
stop

# 3. Chassis advertising every feature 23.03 knows.
start
for hv in hv1 hv2; do
    ovn-sbctl chassis-add $hv geneve 127.0.0.${hv#hv}
    ovn-sbctl set Chassis $hv other_config:ct-no-masked-label=true \
        other_config:mac-binding-timestamp=true \
        other_config:ovn-ct-lb-related=true \
        other_config:fdb-timestamp=true \
        other_config:ls-dpg-column=true \
        other_config:port-up-notif=true \
        other_config:datapath-type=system \
        other_config:is-interconn=false
done
topology > /dev/null
harvest
stop

sort -u "$OUT"
