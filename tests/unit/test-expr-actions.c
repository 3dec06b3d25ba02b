/* Unit tests for expr/actions: OVN 23.03's action language.
 *
 * The expected canonical forms and error messages are the real ovn-trace's
 * (tests/interop/test_expr_actions.py checks the same inputs against it).
 * Besides the tables, every action of the ovn-northd harvest
 * (tests/expr/ovn-northd-23.03-actions.txt) and every accepted input of
 * tests/expr/actions-cases.txt must parse, print, and read back as the
 * same structure. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ds.h"
#include "expr/actions.h"
#include "expr/symtab.h"
#include "util.h"

#include "symtab-fixture.h"

static struct actions_params
params(enum actions_pipeline pipeline, unsigned int table)
{
    struct actions_params pp = {
        .symtab = symtab,
        .pipeline = pipeline,
        .cur_table = table,
        .n_tables = ACTIONS_N_TABLES,
    };
    return pp;
}

/* Parses 'input' as an ingress table-0 flow's actions; fails the test on
 * error. */
static void
parse_ok(const char *input, struct action_list *acts, struct ds *prereqs)
{
    struct actions_params pp = params(ACTIONS_INGRESS, 0);
    char *error = actions_parse(input, &pp, acts, prereqs);
    if (error) {
        print_error("%s: %s\n", input, error);
        free(error);
        fail();
    }
}

static char *
format(const struct action_list *acts)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    actions_format(acts, &s);
    return ds_steal_cstr(&s);
}

/* Checks that 'acts' (parsed at 'pp') prints as something that parses
 * back to an equal list, which prints the same; returns the printed form
 * (owned by the caller). */
static char *
check_round_trip(const char *input, const struct action_list *acts,
                 const struct actions_params *pp)
{
    char *text = format(acts);
    struct action_list again;
    char *error = actions_parse(text, pp, &again, NULL);
    if (error) {
        print_error("%s: printed as %s, which fails: %s\n", input, text,
                    error);
        fail();
    }
    if (!actions_equal(acts, &again)) {
        print_error("%s: printed as %s, which parses differently\n",
                    input, text);
        fail();
    }
    char *text2 = format(&again);
    assert_string_equal(text, text2);
    free(text2);
    action_list_destroy(&again);
    return text;
}

/* Round trips: input, canonical form, prerequisites. */
static void
test_round_trips(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        const char *canonical;
        const char *prereqs;
    } cases[] = {
        { "output;",
          "output;",
          "" },
        { "next;",
          "next;",
          "" },
        { "next(2);",
          "next(2);",
          "" },
        { "next(table=2);",
          "next(2);",
          "" },
        { "next(pipeline=ingress, table=1);",
          "next;",
          "" },
        { "next(pipeline=egress,table=4);",
          "next(pipeline=egress, table=4);",
          "" },
        { "next(pipeline=egress);",
          "next(pipeline=egress, table=1);",
          "" },
        { "reg0=1;",
          "reg0 = 1;",
          "" },
        { "reg0[5..5] = 1;",
          "reg0[5] = 1;",
          "" },
        { "reg0[0..3] = 0x1f;",
          "reg0[0..3] = 0x1f;",
          "" },
        { "reg0 = 0x0000ff/0xff;",
          "reg0 = 0xff/0xff;",
          "" },
        { "reg0 = 1.2.3.4/255.0.255.0;",
          "reg0 = 1.0.3.0/255.0.255.0;",
          "" },
        { "reg0 = 1.2.3.4/32;",
          "reg0 = 1.2.3.4/32;",
          "" },
        { "xxreg0 = fe80::1/64;",
          "xxreg0 = fe80::/64;",
          "" },
        { "eth.src = 00:00:00:00:00:01/ff:ff:ff:ff:ff:00;",
          "eth.src = 00:00:00:00:00:00/ff:ff:ff:ff:ff:00;",
          "" },
        { "outport = \"a\\\"b\";",
          "outport = \"a\\\"b\";",
          "" },
        { "outport = inport;",
          "outport = inport;",
          "" },
        { "reg0[0..15] = eth.type;",
          "reg0[0..15] = eth.type;",
          "" },
        { "ip.ttl = reg0[0..7];",
          "ip.ttl = reg0[0..7];",
          "ip" },
        { "icmp4.frag_mtu = 1500;",
          "icmp4.frag_mtu = 1500;",
          "" },
        { "eth.dst <-> eth.src;",
          "eth.dst <-> eth.src;",
          "" },
        { "reg0[1] <-> reg0[2];",
          "reg0[1] <-> reg0[2];",
          "" },
        { "ip.ttl --;",
          "ip.ttl--;",
          "ip" },
        { "push(reg0[0..7]);",
          "push(reg0[0..7]);",
          "" },
        { "pop(outport);",
          "pop(outport);",
          "" },
        { "ct_next;",
          "ct_next;",
          "ip" },
        { "ct_commit{};",
          "ct_commit;",
          "ip" },
        { "ct_commit { ct_mark=1/1; ct_label.blocked=0;};",
          "ct_commit { ct_mark = 1/1; ct_label.blocked = 0; };",
          "ip" },
        { "ct_commit(ct_label=1/1, ct_mark=2);",
          "ct_commit(ct_mark=0x2, ct_label=0x1/0x1);",
          "ip" },
        { "ct_commit(ct_mark=0x100000000);",
          "ct_commit(ct_mark=0);",
          "ip" },
        { "ct_commit(ct_label=0/1);",
          "ct_commit(ct_label=0x0/0x1);",
          "ip" },
        { "ct_commit(ct_mark=1/0);",
          "ct_commit;",
          "ip" },
        { "ct_commit(ct_label=0x1ffffffffffffffffffffffffffffffff);",
          "ct_commit(ct_label=0xffffffffffffffffffffffffffffffff);",
          "ip" },
        { "ct_dnat;",
          "ct_dnat;",
          "ip" },
        { "ct_dnat(10.0.0.1, 1-100);",
          "ct_dnat(10.0.0.1,1-100);",
          "ip" },
        { "ct_snat(FD00:0::1, 80);",
          "ct_snat(fd00::1,80);",
          "ip" },
        { "ct_dnat_in_czone(10.0.0.3);",
          "ct_dnat_in_czone(10.0.0.3);",
          "ip" },
        { "ct_snat_in_czone(10.0.0.4, 70000);",
          "ct_snat_in_czone(10.0.0.4,4464);",
          "ip" },
        { "ct_commit_nat;",
          "ct_commit_nat;",
          "ip" },
        { "ct_lb;",
          "ct_lb;",
          "ip" },
        { "ct_lb_mark();",
          "ct_lb_mark;",
          "ip" },
        { "ct_lb_mark(backends=10.0.0.1:80,10.0.0.2:80; "
          "hash_fields=\"ip_src,ip_dst\"; skip_snat);",
          "ct_lb_mark(backends=10.0.0.1:80,10.0.0.2:80; "
          "hash_fields=\"ip_src,ip_dst\"; skip_snat);",
          "ip" },
        { "ct_lb(backends=10.0.0.1 [fd00::1]:0, [FD00::2]:5; force_snat);",
          "ct_lb(backends=10.0.0.1,fd00::1,[fd00::2]:5; force_snat);",
          "ip" },
        { "ct_lb_mark(backends=; hash_fields=\"x\");",
          "ct_lb_mark;",
          "ip" },
        { "ct_clear;",
          "ct_clear;",
          "" },
        { "ct_snat_to_vip;",
          "ct_snat_to_vip;",
          "" },
        { "clone {};",
          "clone { drop; };",
          "" },
        { "clone { clone { next; }; };",
          "clone { clone { next; }; };",
          "" },
        { "arp { eth.dst = ff:ff:ff:ff:ff:ff; output; };",
          "arp { eth.dst = ff:ff:ff:ff:ff:ff; output; };",
          "ip4" },
        { "nd_ns { output; };",
          "nd_ns { output; };",
          "ip6" },
        { "nd_na { output; };",
          "nd_na { output; };",
          "nd_ns" },
        { "nd_na_router { output; };",
          "nd_na_router { output; };",
          "nd_ns" },
        { "icmp4 { icmp4.type = 3; output; };",
          "icmp4 { icmp4.type = 3; output; };",
          "ip4" },
        { "icmp4_error { icmp4.frag_mtu = 1400; output; };",
          "icmp4_error { icmp4.frag_mtu = 1400; output; };",
          "ip4" },
        { "icmp6 { output; };",
          "icmp6 { output; };",
          "ip6" },
        { "icmp6_error { output; };",
          "icmp6_error { output; };",
          "ip6" },
        { "tcp_reset { output; };",
          "tcp_reset { output; };",
          "tcp" },
        { "sctp_abort { output; };",
          "sctp_abort { output; };",
          "sctp" },
        { "reject { };",
          "reject { drop; };",
          "" },
        { "get_arp(outport, ip4.dst[0..31]);",
          "get_arp(outport, ip4.dst);",
          "ip4" },
        { "put_arp(inport, arp.spa, arp.sha);",
          "put_arp(inport, arp.spa, arp.sha);",
          "arp" },
        { "reg0[0] = lookup_arp(inport, arp.spa, arp.sha);",
          "reg0[0] = lookup_arp(inport, arp.spa, arp.sha);",
          "arp" },
        { "reg0[0] = lookup_arp_ip(inport, arp.spa);",
          "reg0[0] = lookup_arp_ip(inport, arp.spa);",
          "arp" },
        { "get_nd(outport, xxreg0);",
          "get_nd(outport, xxreg0);",
          "" },
        { "put_nd(inport, nd.target, nd.tll);",
          "put_nd(inport, nd.target, nd.tll);",
          "nd && nd_na" },
        { "reg0[0] = lookup_nd(inport, ip6.src, eth.src);",
          "reg0[0] = lookup_nd(inport, ip6.src, eth.src);",
          "ip6" },
        { "reg0[0] = lookup_nd_ip(inport, ip6.src);",
          "reg0[0] = lookup_nd_ip(inport, ip6.src);",
          "ip6" },
        { "outport = get_fdb(eth.src);",
          "outport = get_fdb(eth.src);",
          "" },
        { "put_fdb(inport, eth.src);",
          "put_fdb(inport, eth.src);",
          "" },
        { "reg0[0] = lookup_fdb(inport, eth.src);",
          "reg0[0] = lookup_fdb(inport, eth.src);",
          "" },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2,dns_server={8.8.8.8 "
          "7.7.7.7},hostname=\"h\",domain_search_list={\"a\",\"b\"},mtu=0x5dc"
          ",tftp_server=10.0.0.1);",
          "reg0[0] = put_dhcp_opts(offerip = 10.0.0.2, dns_server = "
          "{8.8.8.8, 7.7.7.7}, hostname = \"h\", domain_search_list = "
          "{\"a\", \"b\"}, mtu = 0x5dc, tftp_server = 10.0.0.1);",
          "" },
        { "reg0[3] = put_dhcpv6_opts(ia_addr = aef0::4, server_id = "
          "00:00:00:00:10:02, domain_search=\"ovn.org\");",
          "reg0[3] = put_dhcpv6_opts(ia_addr = aef0::4, server_id = "
          "00:00:00:00:10:02, domain_search = \"ovn.org\");",
          "" },
        { "reg0[3] = put_dhcpv6_opts();",
          "reg0[3] = put_dhcpv6_opts();",
          "" },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", slla = "
          "00:00:00:00:10:02, prefix = aef0::/64, mtu = 1450);",
          "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", slla = "
          "00:00:00:00:10:02, prefix = aef0::/64, mtu = 1450);",
          "ip6" },
        { "trigger_event(event = \"empty_lb_backends\" vip = "
          "\"10.0.0.1:80\", protocol = \"tcp\", load_balancer = "
          "\"12345678-1234-1234-1234-123456789abc\");",
          "trigger_event(event = \"empty_lb_backends\", vip = "
          "\"10.0.0.1:80\", protocol = \"tcp\", load_balancer = "
          "\"12345678-1234-1234-1234-123456789abc\");",
          "" },
        { "reg0[3] = dns_lookup();",
          "reg0[3] = dns_lookup();",
          "udp" },
        { "handle_dhcpv6_reply;",
          "handle_dhcpv6_reply;",
          "" },
        { "handle_bfd_msg();",
          "handle_bfd_msg();",
          "" },
        { "handle_svc_check(inport);",
          "handle_svc_check(inport);",
          "" },
        { "bind_vport(\"vip\", inport);",
          "bind_vport(\"vip\", inport);",
          "" },
        { "igmp;",
          "igmp;",
          "" },
        { "log(verdict=allow);",
          "log(verdict=allow, severity=info);",
          "" },
        { "log(severity=alert, meter=\"m\", verdict=drop, name=\"n\");",
          "log(name=\"n\", verdict=drop, severity=alert, meter=\"m\");",
          "" },
        { "reg0[15] = check_in_port_sec();",
          "reg0[15] = check_in_port_sec();",
          "" },
        { "reg0[15] = check_out_port_sec();",
          "reg0[15] = check_out_port_sec();",
          "" },
        { "reg0[6] = chk_lb_hairpin();",
          "reg0[6] = chk_lb_hairpin();",
          "" },
        { "reg0[12] = chk_lb_hairpin_reply();",
          "reg0[12] = chk_lb_hairpin_reply();",
          "" },
        { "reg9[5] = chk_ecmp_nh_mac();",
          "reg9[5] = chk_ecmp_nh_mac();",
          "" },
        { "reg9[5] = chk_ecmp_nh();",
          "reg9[5] = chk_ecmp_nh();",
          "" },
        { "reg9[6] = chk_lb_aff();",
          "reg9[6] = chk_lb_aff();",
          "" },
        { "reg0[6] = check_pkt_larger(65536);",
          "reg0[6] = check_pkt_larger(0);",
          "" },
        { "set_queue(61440);",
          "set_queue(61440);",
          "" },
        { "set_meter(100, 0);",
          "set_meter(100);",
          "" },
        { "set_meter(100, 200);",
          "set_meter(100, 200);",
          "" },
        { "reg8[16..31] = select(1=20 2, 3=50,);",
          "reg8[16..31] = select(1=20, 2=100, 3=50);",
          "" },
        { "fwd_group;",
          "fwd_group(childports=);",
          "" },
        { "fwd_group(liveness=true, childports=);",
          "fwd_group(liveness=\"true\", childports=);",
          "" },
        { "fwd_group(liveness=\"true\", childports=\"p1\" \"p2\");",
          "fwd_group(liveness=\"true\", childports=\"p1\", \"p2\");",
          "" },
        { "commit_ecmp_nh(ipv6 = \"false\", proto = sctp);",
          "commit_ecmp_nh(ipv6 = false, proto = sctp);",
          "" },
        { "commit_lb_aff(vip = \"[FD00:0::1]:80\", backend = \"fd00::2\", "
          "proto = udp, timeout = 30);",
          "commit_lb_aff(vip = \"[fd00::1]:80\", backend = \"[fd00::2]\", "
          "proto = udp, timeout = 30);",
          "" },
        { "commit_lb_aff(vip=\"10.0.0.1:080\",backend=\"10.0.0.2\",proto=tcp,"
          "timeout=3);",
          "commit_lb_aff(vip = \"10.0.0.1:80\", backend = \"10.0.0.2\", "
          "proto = tcp, timeout = 3);",
          "" },
        { "sample(probability=1, collector_set=0x5, obs_domain=2, "
          "obs_point=4294967297);",
          "sample(probability=1,collector_set=0,obs_domain=2,obs_point=1);",
          "" },
        { "drop;",
          "drop;",
          "" },
        { " /* nothing */ ",
          "drop;",
          "" },
    };
    struct actions_params pp = params(ACTIONS_INGRESS, 0);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct action_list acts;
        struct ds prereqs = DS_EMPTY_INITIALIZER;

        parse_ok(cases[i].input, &acts, &prereqs);
        char *text = check_round_trip(cases[i].input, &acts, &pp);
        if (strcmp(text, cases[i].canonical)) {
            print_error("%s: got %s\n", cases[i].input, text);
            fail();
        }
        assert_string_equal(ds_cstr(&prereqs), cases[i].prereqs);
        free(text);
        ds_destroy(&prereqs);
        action_list_destroy(&acts);
    }
}

/* Errors, one per message OVN 23.03's parser gives. */
static void
test_errors(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        const char *error;
    } cases[] = {
        { "drop",
          "Syntax error at `drop' expecting action." },
        { "drop; next;",
          "Syntax error at `next' expecting end of input." },
        { "drop = 1;",
          "Syntax error at `drop' expecting field name." },
        { "next; output",
          "Syntax error at end of input expecting `;'." },
        { "next;;",
          "Syntax error at `;'." },
        { "next(29);",
          "\"next\" action cannot advance beyond table 28." },
        { "next(-1);",
          "Syntax error at `-' expecting \"pipeline\" or \"table\"." },
        { "next(pipeline=foo);",
          "Syntax error at `foo' expecting \"ingress\" or \"egress\"." },
        { "next(1, 2);",
          "Syntax error at `,' expecting `)'." },
        { "next(table=0x1);",
          "Syntax error at `0x1' expecting small integer." },
        { "reg0[0..40] = 1;",
          "Cannot select bits 0 to 40 of 32-bit field reg0." },
        { "reg0[5..2] = 1;",
          "Invalid bit range 5 to 2." },
        { "reg0[0..3] = 0x1ffffffff;",
          "33-bit constant is not compatible with 32-bit field reg0." },
        { "xreg0 = 0x1/0x10000000000000000;",
          "65-bit constant is not compatible with 64-bit field xreg0." },
        { "reg0 = 1/0x100000000;",
          "Value and mask have incompatible formats." },
        { "reg0 = \"x\";",
          "Integer field reg0 is not compatible with string constant." },
        { "reg0 = {1, 2};",
          "Syntax error at `{' expecting constant." },
        { "reg0 = $as;",
          "Syntax error at `$as' expecting address set name." },
        { "reg0 = @pg;",
          "Syntax error at `@pg' expecting port group name." },
        { "reg0 = 0x",
          "Hex digits expected following 0x." },
        { "ip.ttl = 0x1ff;",
          "9-bit constant is not compatible with 8-bit field ip.ttl." },
        { "ip.ttl[0] = 1;",
          "Cannot select subfield of nominal field ip.ttl." },
        { "eth.type = 1;",
          "Field eth.type is not modifiable." },
        { "ip4 = 1;",
          "Predicate symbol ip4 used where lvalue required." },
        { "ct.trk = 1;",
          "Field ct.trk is not modifiable." },
        { "ct_state = 1;",
          "Field ct_state is not modifiable." },
        { "tcp.flags = 1;",
          "Field tcp.flags is not modifiable." },
        { "ip.frag = 1;",
          "Field ip.frag is not modifiable." },
        { "ip.proto = 6;",
          "Field ip.proto is not modifiable." },
        { "ct_mark = 1;",
          "Field ct_mark is not modifiable." },
        { "ct_label = 1;",
          "Field ct_label is not modifiable." },
        { "ct_label.blocked = 1;",
          "Field ct_label.blocked is not modifiable." },
        { "ct_mark.blocked = 0;",
          "Field ct_mark.blocked is not modifiable." },
        { "icmp4.frag_mtu[0..7] = 1;",
          "Cannot select subfield of nominal field icmp4.frag_mtu." },
        { "reg0 = icmp4.frag_mtu;",
          "Can't assign 16-bit value to 32-bit destination." },
        { "outport = 1;",
          "String field outport is not compatible with integer constant." },
        { "outport = reg0;",
          "Can't assign integer field (reg0) to string field (outport)." },
        { "outport[0] = 1;",
          "Cannot select subfield of string field outport." },
        { "outport = \"p1\"/\"x\";",
          "`/' is only valid as part of `//' or `/*'." },
        { "reg0 = outport;",
          "Can't assign string field (outport) to integer field (reg0)." },
        { "reg0[0] = inport;",
          "Can't assign string field (inport) to integer field (reg0)." },
        { "reg0 = eth.type[0..7];",
          "Cannot select subfield of nominal field eth.type." },
        { "reg0[1];",
          "Syntax error at `;' expecting `=' or `<->'." },
        { "reg0 <-> reg1[0..7];",
          "Can't exchange 32-bit field with 8-bit field." },
        { "outport <-> reg0;",
          "Can't exchange string field (outport) with integer field (reg0)." },
        { "reg0 <-> outport;",
          "Can't exchange integer field (reg0) with string field (outport)." },
        { "ip.ttl++;",
          "Invalid character `+' in input." },
        { "ct_commit { reg0 = 1; };",
          "Field reg0 is not modifiable." },
        { "ct_commit(ct_mark=reg0);",
          "Syntax error at `reg0' expecting integer." },
        { "ct_dnat([fd00::1]:80);",
          "Syntax error at `[' expecting IPv4 or IPv6 address." },
        { "ct_dnat(10.0.0.1, 100-1);",
          "Syntax error at `1' range high should be greater than range low." },
        { "ct_dnat(10.0.0.1, 0-70000);",
          "Syntax error at `0' range can't be 0." },
        { "ct_dnat(10.0.0.1, 5-);",
          "Syntax error at `)' expecting Integer for port range." },
        { "ct_lb_mark(backends=10.0.0.1:65536);",
          "Syntax error at `65536' expecting port number." },
        { "ct_lb_mark(backends=10.0.0.1; hash_fields=x);",
          "Syntax error at `x' invalid hash_fields." },
        { "ct_lb_mark(10.0.0.1);",
          "Syntax error at `10.0.0.1' expecting backends." },
        { "ct_lb_mark(backends=10.0.0.1/24);",
          "Syntax error at `10.0.0.1/24' expecting IP address." },
        { "ct_lb_mark(backends=[10.0.0.1]:80);",
          "Syntax error at `10.0.0.1' expecting IPv6 address." },
        { "ct_lb_mark(backends=10.0.0.1:80:90);",
          "Invalid numeric constant." },
        { "ct_lb_mark(backends=10.0.0.1",
          "Syntax error at end of input expecting IP address." },
        { "ct_lb_mark(backends=[fd00::1)",
          "Syntax error at `)' no closing square bracket." },
        { "icmp4 {",
          "Syntax error at end of input." },
        { "get_arp(reg0, ip4.dst);",
          "Cannot use numeric field reg0 where string field is required." },
        { "get_arp(outport, ip6.dst);",
          "Cannot use 128-bit field ip6.dst[0..127] where 32-bit field is "
          "required." },
        { "get_arp(outport, inport);",
          "Cannot use string field inport where numeric field is required." },
        { "put_arp(inport, reg0, reg1);",
          "Cannot use 32-bit field reg1[0..31] where 48-bit field is "
          "required." },
        { "xxreg0 = get_fdb(eth.src);",
          "Cannot use 128-bit field xxreg0[0..127] where 32-bit field is "
          "required." },
        { "reg0[0] = lookup_fdb(eth.src, inport);",
          "Cannot use numeric field eth.src where string field is required." },
        { "reg0[0] = dns_lookup(1);",
          "dns_lookup doesn't take any parameters" },
        { "reg0[0] = chk_lb_hairpin(1);",
          "chk_lb_hairpin doesn't take any parameters" },
        { "eth.type = check_in_port_sec();",
          "Cannot use 16-bit field eth.type[0..15] where 1-bit field is "
          "required." },
        { "ct_state = check_in_port_sec();",
          "Cannot use 32-bit field ct_state[0..31] where 1-bit field is "
          "required." },
        { "outport = check_in_port_sec();",
          "Cannot use string field outport where numeric field is required." },
        { "ct.trk = get_fdb(eth.src);",
          "Cannot use 1-bit field ct.trk[0..0] where 32-bit field is "
          "required." },
        { "ip.ttl = select(1,2);",
          "cannot use 8-bit field ip.ttl[0..7] for \"select\", which "
          "requires at least 16 bits." },
        { "outport = select(1,2);",
          "cannot use 0-bit field outport[0..-1] for \"select\", which "
          "requires at least 16 bits." },
        { "reg0[0..14] = select(1,2);",
          "cannot use 15-bit field reg0[0..14] for \"select\", which "
          "requires at least 16 bits." },
        { "reg8[16..31] = select(1);",
          "Syntax error at `;' expecting at least 2 group members." },
        { "reg8[16..31] = select(1=0, 2);",
          "Syntax error at `,' weight can't be 0." },
        { "reg8[16..31] = select(1=65536, 2);",
          "Syntax error at `65536' expecting weight." },
        { "reg8[16..31] = select(65536, 2);",
          "Syntax error at `65536' expecting id." },
        { "reg0[0..15] = select(1,2",
          "Syntax error at end of input expecting id." },
        { "set_queue(61441);",
          "Queue ID 61441 for set_queue is not in valid range 0 to 61440." },
        { "set_meter(0);",
          "Rate 0 for set_meter is not in valid." },
        { "log();",
          "Syntax error at `;' expecting verdict." },
        { "log(name=\"x\", severity=alert, verdict=deny, meter=\"m\");",
          "Syntax error at `deny' unknown verdict." },
        { "log(verdict=allow, severity=foo);",
          "Syntax error at `foo' unknown severity." },
        { "log(verdict=allow, name=x);",
          "Syntax error at `x' expecting string." },
        { "reg0[0] = put_dhcp_opts(router=10.0.0.1);",
          "put_dhcp_opts requires offerip to be specified." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, foo=1);",
          "Syntax error at `foo' expecting DHCPv4 option name." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, mtu=\"x\");",
          "DHCPv4 option mtu requires numeric value." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, hostname=1);",
          "DHCPv4 option hostname requires string value." },
        { "reg0[0] = put_dhcp_opts(offerip=\"x\");",
          "DHCPv4 option offerip requires numeric value." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, router=\"x\");",
          "DHCPv4 option router requires numeric value." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, domain_search_list=1);",
          "DHCPv4 option domain_search_list requires string value." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, "
          "classless_static_route=\"x\");",
          "DHCPv4 option classless_static_route requires numeric value." },
        { "reg0[0] = put_dhcp_opts(offerip=10.0.0.2, "
          "ip_forward_enable=\"1\");",
          "DHCPv4 option ip_forward_enable requires numeric value." },
        { "reg0[3] = put_dhcpv6_opts(ia_addr=\"x\");",
          "DHCPv6 option ia_addr requires numeric value." },
        { "reg0[3] = put_dhcpv6_opts(domain_search=1);",
          "DHCPv6 option domain_search requires string value." },
        { "reg0[3] = put_nd_ra_opts(slla = 00:00:00:00:10:02);",
          "prefix option needs to be set when address mode is "
          "slaac/dhcpv6_stateless." },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\");",
          "slla option not present" },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"foo\", slla = "
          "00:00:00:00:10:02);",
          "Invalid value for \"addr_mode\" option" },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", slla = "
          "00:00:00:00:10:02, mtu=\"x\");",
          "IPv6 ND RA option mtu requires numeric value." },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", slla = "
          "00:00:00:00:10:02, prefix=aef0::/64, router_preference=\"HIGH\", "
          "rdnss=ae70::1, dnssl=\"ovn.org\", route_info=\"HIGH-aef1::/64\", "
          "foo=1);",
          "Syntax error at `foo' expecting IPv6 ND RA option name." },
        { "reg0[3] = put_nd_ra_opts(addr_mode = 1, slla = 00:00:00:00:10:02);",
          "IPv6 ND RA option addr_mode requires string value." },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", slla = 10.0.0.1, "
          "prefix=aef0::/64);",
          "Invalid value for \"slla\" option" },
        { "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", slla = "
          "00:00:00:00:10:02, prefix=10.0.0.0/8);",
          "Invalid value for \"prefix\" option" },
        { "reg0[3] = put_nd_ra_opts(addr_mode=\"dhcpv6_stateful\", slla = "
          "00:00:00:00:10:02, router_preference=1);",
          "IPv6 ND RA option router_preference requires string value." },
        { "reg0[3] = put_nd_ra_opts(addr_mode=\"dhcpv6_stateful\", slla = "
          "00:00:00:00:10:02, rdnss=\"x\");",
          "IPv6 ND RA option rdnss requires numeric value." },
        { "reg0[3] = put_nd_ra_opts(addr_mode=\"dhcpv6_stateful\", slla = "
          "00:00:00:00:10:02, dnssl=1);",
          "IPv6 ND RA option dnssl requires string value." },
        { "trigger_event(event = \"empty_lb_backends\", meter = "
          "\"event-elb\", vip = \"10.0.0.1:80\", protocol = \"tcp\", "
          "load_balancer = \"12345678-1234-1234-1234-123456789abc\");",
          "Syntax error at `meter' expecting empty_lb_backends option name." },
        { "trigger_event(event = \"foo\");",
          "Syntax error at `\"foo\"' Unknown event '-1'." },
        { "trigger_event(vip=\"x\", event = \"empty_lb_backends\");",
          "Syntax error at `vip' Expecting 'event' option." },
        { "trigger_event(event = \"empty_lb_backends\", vip = 1, protocol = "
          "\"tcp\", load_balancer = "
          "\"12345678-1234-1234-1234-123456789abc\");",
          "empty_lb_backends option vip requires string value." },
        { "trigger_event(event = \"empty_lb_backends\", vip = "
          "\"10.0.0.1:80\", protocol = \"tcp\", load_balancer = \"x\");",
          "Load balancer 'x' is not a UUID" },
        { "trigger_event(event = \"empty_lb_backends\", vip = \"x\", "
          "protocol = \"tcp\", load_balancer = "
          "\"12345678-1234-1234-1234-123456789abc\");",
          "Invalid load balancer VIP 'x'" },
        { "trigger_event(event = \"empty_lb_backends\", vip = "
          "\"10.0.0.1:80\", protocol = \"foo\", load_balancer = "
          "\"12345678-1234-1234-1234-123456789abc\");",
          "Load balancer protocol 'foo' is not 'tcp', 'udp', or 'sctp'" },
        { "trigger_event(event = 1);",
          "Syntax error at `1' Expecting string." },
        { "trigger_event(event = \"empty_lb_backends\", vip = {\"10.0.0.1\", "
          "\"x\"});",
          "Invalid value for \"vip\" option" },
        { "trigger_event(event = \"empty_lb_backends\", vip=\"a\\\"b\");",
          "Invalid load balancer VIP 'a\"b'" },
        { "trigger_event(event = \"empty_lb_backends\", vip = "
          "\"10.0.0.1:70000\");",
          "Invalid load balancer VIP '10.0.0.1:70000'" },
        { "bind_vport(inport, inport);",
          "Syntax error at `inport' expecting port name string." },
        { "fwd_group(childports=p1);",
          "Syntax error at `p1' expecting logical switch port." },
        { "fwd_group(liveness=yes, childports=\"p1\");",
          "Syntax error at `yes' expecting true or false." },
        { "commit_ecmp_nh(ipv6 = true, proto = icmp);",
          "Syntax error at `icmp' invalid protocol." },
        { "commit_ecmp_nh(proto = tcp);",
          "Syntax error at `proto' invalid parameter." },
        { "commit_lb_aff(vip = \"10.0.0.1:80\", backend = \"10.0.0.2:8080\", "
          "proto = tcp, timeout = \"30\");",
          "Syntax error at `\"30\"' expecting affinity timeout." },
        { "commit_lb_aff(vip = \"10.0.0.1:80\", backend = \"fd00::1:80\", "
          "proto = tcp, timeout = 3);",
          "Syntax error at `\"fd00::1:80\"' invalid protocol family." },
        { "sample(probability=0);",
          "probability must be greater than zero" },
        { "sample(probability=65536);",
          "Syntax error at `65536' expecting probability." },
        { "sample(probability=10, obs_point=@cookie);",
          "Syntax error at `@cookie' malformed sample observation_point_id." },
        { "sample(probability=10, obs_domain=256);",
          "Syntax error at `256' obs_domain must be 8-bit long." },
        { "sample(probability=10, foo=1);",
          "Syntax error at `foo' unknown argument." },
    };
    struct actions_params pp = params(ACTIONS_INGRESS, 0);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct action_list acts;
        struct ds prereqs = DS_EMPTY_INITIALIZER;

        ds_put_cstr(&prereqs, "ip4");
        char *error = actions_parse(cases[i].input, &pp, &acts, &prereqs);
        if (!error || strcmp(error, cases[i].error)) {
            print_error("%s: expected \"%s\", got \"%s\"\n", cases[i].input,
                        cases[i].error, error ? error : "(no error)");
            fail();
        }
        /* A failed parse leaves nothing behind. */
        assert_int_equal(acts.n_actions, 0);
        assert_null(acts.actions);
        assert_string_equal(ds_cstr(&prereqs), "ip4");
        free(error);
        ds_destroy(&prereqs);
    }
}

/* The flow's pipeline and table decide what next() means and prints as. */
static void
test_next_params(void **state OVS_UNUSED)
{
    static const struct {
        enum actions_pipeline pipeline;
        unsigned int table;
        const char *input;
        const char *canonical;
        enum actions_pipeline to_pipeline;
        unsigned int to_table;
    } cases[] = {
        { ACTIONS_INGRESS, 5, "next;", "next;", ACTIONS_INGRESS, 6 },
        { ACTIONS_INGRESS, 5, "next(6);", "next;", ACTIONS_INGRESS, 6 },
        { ACTIONS_INGRESS, 5, "next(3);", "next(3);", ACTIONS_INGRESS, 3 },
        { ACTIONS_EGRESS, 2, "next;", "next;", ACTIONS_EGRESS, 3 },
        { ACTIONS_EGRESS, 2, "next(pipeline=egress, table=3);", "next;",
          ACTIONS_EGRESS, 3 },
        { ACTIONS_EGRESS, 2, "next(pipeline=ingress);",
          "next(pipeline=ingress, table=3);", ACTIONS_INGRESS, 3 },
        { ACTIONS_INGRESS, 25, "next(pipeline=egress, table=5);",
          "next(pipeline=egress, table=5);", ACTIONS_EGRESS, 5 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct actions_params pp = params(cases[i].pipeline, cases[i].table);
        struct action_list acts;

        assert_null(actions_parse(cases[i].input, &pp, &acts, NULL));
        assert_int_equal(acts.n_actions, 1);
        assert_int_equal(acts.actions[0].type, ACTION_NEXT);
        assert_int_equal(acts.actions[0].next.pipeline,
                         cases[i].to_pipeline);
        assert_int_equal(acts.actions[0].next.table, cases[i].to_table);
        char *text = check_round_trip(cases[i].input, &acts, &pp);
        assert_string_equal(text, cases[i].canonical);
        free(text);
        action_list_destroy(&acts);
    }

    /* The last table of the pipeline has no "next;". */
    struct actions_params pp = params(ACTIONS_INGRESS, 28);
    struct action_list acts;
    char *error = actions_parse("next;", &pp, &acts, NULL);
    assert_string_equal(error,
                        "\"next\" action cannot advance beyond table 28.");
    free(error);

    pp = params(ACTIONS_INGRESS, 2);
    pp.n_tables = 10;
    error = actions_parse("next(10);", &pp, &acts, NULL);
    assert_string_equal(error,
                        "\"next\" action cannot advance beyond table 9.");
    free(error);
    assert_null(actions_parse("next(9);", &pp, &acts, NULL));
    action_list_destroy(&acts);

    /* As in OVN 23.03, outport may be assigned in the egress pipeline. */
    pp = params(ACTIONS_EGRESS, 3);
    assert_null(actions_parse("outport = \"p1\"; output;", &pp, &acts,
                              NULL));
    action_list_destroy(&acts);
}

static const struct action *
parse_one(const char *input, struct action_list *acts)
{
    parse_ok(input, acts, NULL);
    assert_int_equal(acts->n_actions, 1);
    return &acts->actions[0];
}

static void
assert_field(const struct action_field *f, const char *name,
             unsigned int ofs, unsigned int n_bits)
{
    assert_non_null(f->symbol);
    assert_string_equal(f->symbol->name, name);
    assert_int_equal(f->ofs, ofs);
    assert_int_equal(f->n_bits, n_bits);
}

/* The operands are resolved for execution. */
static void
test_structure_fields(void **state OVS_UNUSED)
{
    struct action_list acts;
    const struct action *a;

    a = parse_one("reg0[3..5] = 5;", &acts);
    assert_int_equal(a->type, ACTION_LOAD);
    assert_field(&a->load.dst, "reg0", 3, 3);
    assert_int_equal(a->load.value.type, LEX_T_INTEGER);
    assert_true(u128_equals(a->load.value.value, u128_from_u64(5)));
    action_list_destroy(&acts);

    a = parse_one("ip4.src = 10.0.0.0/8;", &acts);
    assert_int_equal(a->load.value.type, LEX_T_MASKED_INTEGER);
    assert_true(u128_equals(a->load.value.value,
                            u128_from_u64(0x0a000000)));
    assert_true(u128_equals(a->load.value.mask, u128_from_u64(0xff000000)));
    action_list_destroy(&acts);

    a = parse_one("outport = \"lsp1\";", &acts);
    assert_field(&a->load.dst, "outport", 0, 0);
    assert_int_equal(a->load.value.type, LEX_T_STRING);
    assert_string_equal(a->load.value.s, "lsp1");
    action_list_destroy(&acts);

    a = parse_one("xxreg1[32..79] = eth.src;", &acts);
    assert_int_equal(a->type, ACTION_MOVE);
    assert_field(&a->move.dst, "xxreg1", 32, 48);
    assert_field(&a->move.src, "eth.src", 0, 48);
    action_list_destroy(&acts);

    a = parse_one("arp.tpa <-> arp.spa;", &acts);
    assert_int_equal(a->type, ACTION_EXCHANGE);
    assert_field(&a->move.dst, "arp.tpa", 0, 32);
    action_list_destroy(&acts);

    a = parse_one("reg9[2] = lookup_arp(inport, arp.spa, arp.sha);", &acts);
    assert_int_equal(a->type, ACTION_LOOKUP_ARP);
    assert_field(&a->neigh.dst, "reg9", 2, 1);
    assert_int_equal(a->neigh.n_args, 3);
    assert_field(&a->neigh.args[0], "inport", 0, 0);
    assert_field(&a->neigh.args[1], "arp.spa", 0, 32);
    assert_field(&a->neigh.args[2], "arp.sha", 0, 48);
    action_list_destroy(&acts);

    a = parse_one("put_arp(inport, arp.spa, arp.sha);", &acts);
    assert_null(a->neigh.dst.symbol);
    action_list_destroy(&acts);

    a = parse_one("reg0[15] = check_in_port_sec();", &acts);
    assert_int_equal(a->type, ACTION_CHECK_IN_PORT_SEC);
    assert_field(&a->field, "reg0", 15, 1);
    action_list_destroy(&acts);
}

static void
test_structure_ct(void **state OVS_UNUSED)
{
    struct action_list acts;
    const struct action *a;

    a = parse_one("ct_lb_mark(backends=10.0.0.1:80,[fd00::2]:8080; "
                  "hash_fields=\"ip_src\"; force_snat);", &acts);
    assert_int_equal(a->type, ACTION_CT_LB_MARK);
    assert_int_equal(a->lb.n_backends, 2);
    assert_int_equal(a->lb.backends[0].family, 4);
    assert_true(u128_equals(a->lb.backends[0].ip,
                            u128_from_u64(0x0a000001)));
    assert_int_equal(a->lb.backends[0].port, 80);
    assert_int_equal(a->lb.backends[1].family, 6);
    assert_true(u128_equals(a->lb.backends[1].ip,
                            u128_make(0xfd00000000000000ULL, 2)));
    assert_int_equal(a->lb.backends[1].port, 8080);
    assert_string_equal(a->lb.hash_fields, "ip_src");
    assert_int_equal(a->lb.flag, ACTION_CT_FLAG_FORCE_SNAT);
    action_list_destroy(&acts);

    a = parse_one("ct_snat_in_czone(172.16.0.1,1000-2000);", &acts);
    assert_int_equal(a->type, ACTION_CT_SNAT_IN_CZONE);
    assert_int_equal(a->nat.ip.family, 4);
    assert_true(a->nat.has_ports && a->nat.port_range);
    assert_int_equal(a->nat.port_lo, 1000);
    assert_int_equal(a->nat.port_hi, 2000);
    action_list_destroy(&acts);

    a = parse_one("ct_dnat;", &acts);
    assert_int_equal(a->nat.ip.family, 0);
    action_list_destroy(&acts);

    a = parse_one("ct_commit(ct_mark=0x12345678/0xff, ct_label=1);", &acts);
    assert_int_equal(a->type, ACTION_CT_COMMIT_V1);
    assert_int_equal(a->ct1.ct_mark, 0x78);
    assert_int_equal(a->ct1.ct_mark_mask, 0xff);
    assert_true(u128_equals(a->ct1.ct_label, u128_from_u64(1)));
    assert_true(u128_equals(a->ct1.ct_label_mask, u128_low_mask(128)));
    action_list_destroy(&acts);

    a = parse_one("ct_commit { ct_mark.blocked = 1; ct_mark = reg0; };",
                  &acts);
    assert_int_equal(a->type, ACTION_CT_COMMIT);
    assert_int_equal(a->nested.n_actions, 2);
    assert_int_equal(a->nested.actions[0].type, ACTION_LOAD);
    action_list_destroy(&acts);

    a = parse_one("ct_commit { ct_label[96..127] = reg0; };", &acts);
    assert_field(&a->nested.actions[0].move.dst, "ct_label", 96, 32);
    action_list_destroy(&acts);

    a = parse_one("commit_lb_aff(vip = \"[fd00::1]:443\", backend = "
                  "\"[fd00::2]:8443\", proto = sctp, timeout = 60);", &acts);
    assert_int_equal(a->lb_aff.vip.family, 6);
    assert_int_equal(a->lb_aff.vip.port, 443);
    assert_int_equal(a->lb_aff.backend.port, 8443);
    assert_int_equal(a->lb_aff.proto, 132);
    assert_int_equal(a->lb_aff.timeout, 60);
    action_list_destroy(&acts);

    a = parse_one("commit_ecmp_nh(ipv6 = true, proto = udp);", &acts);
    assert_true(a->ecmp_nh.ipv6);
    assert_int_equal(a->ecmp_nh.proto, 17);
    action_list_destroy(&acts);
}

static void
test_structure_misc(void **state OVS_UNUSED)
{
    struct action_list acts;
    const struct action *a;

    a = parse_one("reg0[3] = put_dhcp_opts(offerip = 10.0.0.5, "
                  "dns_server = {8.8.8.8, 1.1.1.1}, hostname = \"vm\");",
                  &acts);
    assert_int_equal(a->type, ACTION_PUT_DHCPV4_OPTS);
    assert_field(&a->opts.dst, "reg0", 3, 1);
    assert_int_equal(a->opts.n_opts, 3);
    assert_string_equal(a->opts.opts[0].option->name, "offerip");
    assert_int_equal(a->opts.opts[0].option->code, 0);
    assert_int_equal(a->opts.opts[1].option->code, 6);
    assert_int_equal(a->opts.opts[1].option->type, ACTIONS_OPT_IPV4);
    assert_int_equal(a->opts.opts[1].value.n_values, 2);
    assert_true(u128_equals(a->opts.opts[1].value.values[1].value,
                            u128_from_u64(0x01010101)));
    assert_int_equal(a->opts.opts[2].option->type, ACTIONS_OPT_STR);
    assert_string_equal(a->opts.opts[2].value.values[0].s, "vm");
    action_list_destroy(&acts);

    a = parse_one("reg8[16..31] = select(1=20, 2);", &acts);
    assert_int_equal(a->select.n_members, 2);
    assert_int_equal(a->select.members[0].id, 1);
    assert_int_equal(a->select.members[0].weight, 20);
    assert_int_equal(a->select.members[1].weight, 100);
    assert_field(&a->select.dst, "reg8", 16, 16);
    action_list_destroy(&acts);

    a = parse_one("log(name=\"acl1\", verdict=reject, severity=warning, "
                  "meter=\"m1\");", &acts);
    assert_string_equal(a->log.name, "acl1");
    assert_string_equal(a->log.meter, "m1");
    assert_int_equal(a->log.verdict, ACTION_LOG_REJECT);
    assert_int_equal(a->log.severity, ACTION_LOG_WARNING);
    action_list_destroy(&acts);

    a = parse_one("fwd_group(liveness=true, childports=\"a\", \"b\");",
                  &acts);
    assert_true(a->fwd_group.liveness);
    assert_int_equal(a->fwd_group.n_child_ports, 2);
    assert_string_equal(a->fwd_group.child_ports[1], "b");
    action_list_destroy(&acts);

    a = parse_one("sample(probability=100, collector_set=7, obs_domain=8, "
                  "obs_point=9);", &acts);
    assert_int_equal(a->sample.probability, 100);
    assert_int_equal(a->sample.collector_set, 7);
    assert_int_equal(a->sample.obs_domain, 8);
    assert_int_equal(a->sample.obs_point, 9);
    action_list_destroy(&acts);

    a = parse_one("bind_vport(\"vip\", inport);", &acts);
    assert_string_equal(a->vport.vport, "vip");
    assert_field(&a->vport.port, "inport", 0, 0);
    action_list_destroy(&acts);

    a = parse_one("set_meter(1000, 2000);", &acts);
    assert_int_equal(a->meter.rate, 1000);
    assert_int_equal(a->meter.burst, 2000);
    action_list_destroy(&acts);

    parse_ok("icmp4 { ip.ttl = 255; output; }; next;", &acts, NULL);
    assert_int_equal(acts.n_actions, 2);
    assert_int_equal(acts.actions[0].type, ACTION_ICMP4);
    assert_int_equal(acts.actions[0].nested.n_actions, 2);
    assert_int_equal(acts.actions[0].nested.actions[1].type, ACTION_OUTPUT);
    assert_int_equal(acts.actions[1].type, ACTION_NEXT);
    action_list_destroy(&acts);

    /* Every type has a name. */
    for (int t = 0; t < ACTION_N_TYPES; t++) {
        assert_non_null(action_type_name(t));
        assert_string_not_equal(action_type_name(t), "<invalid>");
    }
    assert_string_equal(action_type_name(ACTION_N_TYPES), "<invalid>");
}

/* Executing loads and moves through action_field_read/write(). */
static void
test_execute_fields(void **state OVS_UNUSED)
{
    struct symtab_flow flow;
    struct action_list acts;

    symtab_flow_init(&flow);
    parse_ok("reg0[4..7] = 0xa; xxreg0[96..103] = 0x1ff; "
             "eth.src = 00:00:00:00:00:ff/00:00:00:00:00:0f;", &acts, NULL);
    for (size_t i = 0; i < acts.n_actions; i++) {
        const struct action *a = &acts.actions[i];
        action_field_write(&a->load.dst, &flow, a->load.value.value,
                           a->load.value.mask);
    }
    action_list_destroy(&acts);

    /* reg0 is xxreg0[96..127]: the second write replaced its low byte but
     * the 9-bit constant lost its top bit to the 8-bit slice. */
    assert_true(u128_equals(flow.fields[SYMTAB_F_REG0],
                            u128_from_u64(0xff)));
    assert_true(u128_equals(flow.fields[SYMTAB_F_ETH_SRC],
                            u128_from_u64(0x0f)));

    parse_ok("reg1[8..15] = reg0[0..7];", &acts, NULL);
    const struct action *a = &acts.actions[0];
    struct u128 v = action_field_read(&a->move.src, &flow);
    assert_true(u128_equals(v, u128_from_u64(0xff)));
    action_field_write(&a->move.dst, &flow, v, u128_low_mask(128));
    assert_true(u128_equals(flow.fields[SYMTAB_F_REG1],
                            u128_from_u64(0xff00)));
    action_list_destroy(&acts);
    symtab_flow_destroy(&flow);
}

/* Blocks nest up to OVN's limit, 31 deep, which also keeps a hostile flow
 * from exhausting the stack. */
static void
test_depth_limit(void **state OVS_UNUSED)
{
    struct actions_params pp = params(ACTIONS_INGRESS, 0);
    struct action_list acts;
    struct ds s = DS_EMPTY_INITIALIZER;

    for (int i = 0; i < 31; i++) {
        ds_put_cstr(&s, i % 2 ? "clone { " : "ct_commit { ");
    }
    ds_put_cstr(&s, "next; ");
    for (int i = 0; i < 31; i++) {
        ds_put_cstr(&s, "}; ");
    }
    assert_null(actions_parse(ds_cstr(&s), &pp, &acts, NULL));
    action_list_destroy(&acts);

    ds_clear(&s);
    for (int i = 0; i < 32; i++) {
        ds_put_cstr(&s, "clone { ");
    }
    char *error = actions_parse(ds_cstr(&s), &pp, &acts, NULL);
    assert_string_equal(error, "maximum depth of nested actions reached");
    free(error);

    ds_clear(&s);
    for (int i = 0; i < 100000; i++) {
        ds_put_cstr(&s, "icmp4{");
    }
    error = actions_parse(ds_cstr(&s), &pp, &acts, NULL);
    assert_string_equal(error, "maximum depth of nested actions reached");
    free(error);
    ds_destroy(&s);
}

/* actions_parse_lexer() continues an existing lexer, and prerequisites
 * are appended to what the caller already has. */
static void
test_parse_lexer(void **state OVS_UNUSED)
{
    struct actions_params pp = params(ACTIONS_INGRESS, 0);
    struct ds prereqs = DS_EMPTY_INITIALIZER;
    struct action_list acts;
    struct lexer lexer;

    lexer_init(&lexer, "tcp.dst = 80; ip.ttl--; udp.src <-> udp.dst; "
               "vlan.pcp = 1;");
    lexer_get(&lexer);
    ds_put_cstr(&prereqs, "ip4");
    assert_null(actions_parse_lexer(&lexer, &pp, &acts, &prereqs));
    assert_int_equal(acts.n_actions, 4);
    assert_string_equal(ds_cstr(&prereqs),
                        "ip4 && tcp && ip && udp && vlan.present");
    action_list_destroy(&acts);
    lexer_destroy(&lexer);
    ds_destroy(&prereqs);

    /* clone and reject keep the prerequisites of what they contain, the
     * other blocks do not. */
    ds_init(&prereqs);
    parse_ok("clone { tcp.dst = 1; }; arp { udp.dst = 1; }; "
             "reject { sctp.dst = 1; };", &acts, &prereqs);
    assert_string_equal(ds_cstr(&prereqs), "tcp && ip4 && sctp");
    action_list_destroy(&acts);
    ds_destroy(&prereqs);
}

/* Parses every line of 'name' (in tests/expr) as actions; returns the
 * number that parsed and sets '*n_lines'.  Each one must round-trip. */
static size_t
parse_file(const char *name, size_t *n_lines)
{
    const char *srcdir = getenv("WEFT_SRCDIR");
    struct actions_params pp = params(ACTIONS_INGRESS, 0);
    char *path = xasprintf("%s/tests/expr/%s", srcdir ? srcdir : ".", name);
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, n_ok = 0;
    ssize_t n;

    if (!f) {
        print_error("%s: cannot open (set WEFT_SRCDIR)\n", path);
        fail();
    }
    *n_lines = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        if (n && line[n - 1] == '\n') {
            line[n - 1] = '\0';
        }
        if (!line[0] || line[0] == '#') {
            continue;
        }
        ++*n_lines;

        struct action_list acts;
        char *error = actions_parse(line, &pp, &acts, NULL);
        if (error) {
            free(error);
            continue;
        }
        n_ok++;
        free(check_round_trip(line, &acts, &pp));
        action_list_destroy(&acts);
    }
    free(line);
    fclose(f);
    free(path);
    return n_ok;
}

/* Every action the real ovn-northd 23.03 emitted parses and round-trips. */
static void
test_northd_corpus(void **state OVS_UNUSED)
{
    size_t n_lines;
    size_t n_ok = parse_file("ovn-northd-23.03-actions.txt", &n_lines);
    assert_true(n_lines > 400);
    assert_int_equal(n_ok, n_lines);
}

/* Every accepted hand-written case round-trips. */
static void
test_cases_corpus(void **state OVS_UNUSED)
{
    size_t n_lines;
    size_t n_ok = parse_file("actions-cases.txt", &n_lines);
    assert_true(n_lines > 700);
    assert_true(n_ok > 300);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_next_params),
        cmocka_unit_test(test_structure_fields),
        cmocka_unit_test(test_structure_ct),
        cmocka_unit_test(test_structure_misc),
        cmocka_unit_test(test_execute_fields),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_parse_lexer),
        cmocka_unit_test(test_northd_corpus),
        cmocka_unit_test(test_cases_corpus),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
