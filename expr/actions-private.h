/* actions-private: what the files of the action parser share.  Not for
 * use outside expr/actions*.c. */
#ifndef WEFT_EXPR_ACTIONS_PRIVATE_H
#define WEFT_EXPR_ACTIONS_PRIVATE_H 1

#include "expr/actions.h"

struct ds;

/* Blocks may nest this deep (OVN 23.03's limit: 31 blocks nest, the 32nd
 * is "maximum depth of nested actions reached"). */
#define ACTIONS_MAX_DEPTH 32

/* Which fields assignments may write. */
enum actions_scope {
    ACTIONS_SCOPE_NORMAL,       /* SYMTAB_RW and SYMTAB_WO symbols. */
    ACTIONS_SCOPE_CT_COMMIT,    /* Only SYMTAB_RW_CT_COMMIT symbols. */
};

/* The state of one parse of an action list (a block has its own). */
struct actions_ctx {
    struct lexer *lexer;
    const struct actions_params *pp;
    enum actions_scope scope;
    struct ds *prereqs;         /* Where prerequisites go, or NULL. */
    struct action_list *acts;   /* The list being built. */
    size_t allocated;           /* Capacity of acts->actions. */
    unsigned int depth;         /* Nesting level, 0 at the top. */
};

/* actions.c. */
void actions_error(struct lexer *, const char *message, ...)
    PRINTF_FORMAT(2, 3);
struct action *actions_add(struct actions_ctx *, enum action_type);
void actions_add_prereq(struct actions_ctx *, const char *prereq);
bool actions_parse_field(struct actions_ctx *, struct action_field *);
bool actions_check_field(struct actions_ctx *, const struct action_field *,
                         unsigned int n_bits, bool rw);
bool actions_field_writable(const struct actions_ctx *,
                            const struct action_field *);
void actions_field_prereqs(struct actions_ctx *, const struct action_field *);
bool actions_parse_string(struct actions_ctx *, char **s);
void action_field_format(const struct action_field *, struct ds *);
bool action_field_equal(const struct action_field *,
                        const struct action_field *);

/* actions-misc.c: the actions with their own argument syntax, and IP
 * address helpers. */
bool actions_parse_ip_port(const char *s, struct action_ip_port *);
void actions_ip_format(const struct action_ip_port *, struct ds *);
void actions_ip_port_format(const struct action_ip_port *, bool brackets,
                            struct ds *);
bool actions_parse_ct_commit_v1(struct actions_ctx *);
bool actions_parse_ct_nat(struct actions_ctx *, enum action_type);
bool actions_parse_ct_lb(struct actions_ctx *, enum action_type);
bool actions_parse_neigh(struct actions_ctx *, enum action_type,
                         const struct action_field *dst);
bool actions_parse_log(struct actions_ctx *);
bool actions_parse_set_queue(struct actions_ctx *);
bool actions_parse_set_meter(struct actions_ctx *);
bool actions_parse_check_pkt_larger(struct actions_ctx *,
                                    const struct action_field *dst);
bool actions_parse_select(struct actions_ctx *,
                          const struct action_field *dst);
bool actions_parse_bind_vport(struct actions_ctx *);
bool actions_parse_fwd_group(struct actions_ctx *);
bool actions_parse_commit_ecmp_nh(struct actions_ctx *);
bool actions_parse_commit_lb_aff(struct actions_ctx *);
bool actions_parse_sample(struct actions_ctx *);
const char *action_log_severity_name(enum action_log_severity);
const char *action_log_verdict_name(enum action_log_verdict);
const char *action_proto_name(uint8_t proto);
void actions_misc_destroy(struct action *);
bool actions_misc_equal(const struct action *, const struct action *);

/* actions-opts.c: option lists and constant sets. */
bool actions_parse_opts(struct actions_ctx *, enum action_type,
                        const struct action_field *dst);
bool actions_parse_trigger_event(struct actions_ctx *);
bool actions_parse_constant_set(struct actions_ctx *,
                                struct action_constant_set *);
void actions_constant_set_destroy(struct action_constant_set *);
bool actions_constant_set_equal(const struct action_constant_set *,
                                const struct action_constant_set *);
void actions_constant_set_format(const struct action_constant_set *,
                                 struct ds *);
bool actions_constant_equal(const struct lex_token *,
                            const struct lex_token *);
void actions_opts_destroy(struct action *);
bool actions_opts_equal(const struct action *, const struct action *);

/* actions-format.c. */
void actions_format_misc(const struct action *, struct ds *);

#endif
