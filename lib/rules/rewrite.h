/*
 * rewrite: the rule-rewriting engine.  Applies a ruleset to a token
 * workspace exactly as sendmail does: LHS matching with $* $+ $- $@ $=x
 * $~x $&x and literal tokens (case-insensitive, backtracking the way
 * sendmail's matcher does so that the same binding wins), RHS substitution
 * of $n, $&x, map lookups $( map key $@ arg $: default $), host
 * canonification $[ $], ruleset calls $>name (innermost, right-most
 * first), the $@ and $: prefixes, $# ending a ruleset, and sendmail's
 * limits (100 applications of one rule, 50 levels of calls, MAXATOM
 * tokens) with its messages.  Traces (-d21.x, test-mode input/returns
 * lines) are printed in sendmail's format.
 */
#ifndef SDMAIL_RULES_REWRITE_H
#define SDMAIL_RULES_REWRITE_H

#include <stdbool.h>

#include "cf/cf.h"

struct pool;

struct rw_ctx {
	struct cf *cf;
	struct macro_env *env; /* run-time macros ($&x, map %n) */
	struct pool *pool;           /* token strings created while rewriting */
	bool test_mode;              /* print "name   input:" / "returns:" lines */
	/* when set, the first deferred map lookup leaves sendmail's envelope
	 * message here ("host map: lookup (x.example): deferred") */
	struct strbuf *deferred;
};

/*
 * Rewrite the NULL-terminated workspace `pvp` (room for MAXATOM+1
 * pointers) through ruleset `rs`.  Returns a sysexits status: 0, or
 * EX_TEMPFAIL when a lookup was deferred, EX_CONFIG for configuration
 * errors, EX_DATAERR when the result would not fit.
 */
int rw_rewrite(struct rw_ctx *ctx, char **pvp, int rs, int reclevel);

#endif
