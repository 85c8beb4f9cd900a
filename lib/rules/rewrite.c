/*
 * rewrite: the rewriting engine (rewrite.h).
 */
#include "rules/rewrite.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "cf/class.h"
#include "cf/macro.h"
#include "cf/meta.h"
#include "dns/resolve.h"
#include "maps/map.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MAX_RULE_RECURSION 50
#define MAX_RULE_LOOPS 100
#define MAX_MATCH 10     /* $1..$9 plus room */
#define MAX_SUBR_CALLS 50
#define MAX_MAP_ARGS 10

struct match {
	char **first;   /* first token bound */
	char **last;    /* last token bound (first - 1 for an empty binding) */
	char **pattern; /* the LHS element that bound them */
};

static void trace(struct cf *cf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(struct cf *cf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(cf->out, fmt, ap);
	va_end(ap);
}

static void trace_tokens(struct cf *cf, const char *label, char *const *vec)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, label);
	tok_print(cf, &sb, vec);
	fprintf(cf->out, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

static void trace_pair(struct cf *cf, const char *what, const char *rp, const char *ap)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s rp=", what);
	if (rp)
		meta_xputs(cf, &sb, rp);
	else
		sb_puts(&sb, "<null>");
	sb_puts(&sb, ", ap=");
	if (ap)
		meta_xputs(cf, &sb, ap);
	else
		sb_puts(&sb, "<null>");
	fprintf(cf->out, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

static bool phrase_in_class(const struct cf *cf, char **first, char **last, int id)
{
	struct strbuf sb = STRBUF_INIT;
	bool in;
	tok_join(cf, first, last, &sb, '\0');
	in = class_contains(cf->classes, id, sb_str(&sb));
	sb_free(&sb);
	return in;
}

/* $&x on the LHS: the tokens must spell the macro's current value. */
static bool match_runtime_macro(struct rw_ctx *ctx, const char *rp, char ***avpp)
{
	const char *v = macro_get(ctx->env, (unsigned char)rp[1]);
	char **avp = *avpp;

	if (dbg_on(&ctx->cf->dbg, 21, 2)) {
		char b[2];
		trace(ctx->cf, "rewrite: LHS $&{%s} => \"%s\"\n",
		      macro_plain_name(ctx->cf, (unsigned char)rp[1], b), v ? v : "(NULL)");
	}
	if (v == NULL)
		return true;
	while (*v != '\0') {
		size_t n;
		if (*avp == NULL)
			return false;
		n = strlen(*avp);
		if (n == 0 || strncasecmp(v, *avp, n) != 0)
			return false;
		v += n;
		avp++;
	}
	*avpp = avp;
	return true;
}

/*
 * Try to match rule LHS `lhs` against `pvp`.  On success fills mlist and
 * returns the number of bindings, else -1.
 */
static int match_lhs(struct rw_ctx *ctx, char **lhs, char **pvp, struct match *mlist)
{
	struct cf *cf = ctx->cf;
	bool trace_steps = dbg_on(&cf->dbg, 21, 36);
	struct match *mlp = mlist;
	char **rvp = lhs, **avp = pvp;

	while (*avp != NULL || *rvp != NULL) {
		char *rp = *rvp, *ap = *avp;
		unsigned char op;

		if (trace_steps)
			trace_pair(cf, "ADVANCE", rp, ap);
		if (rp == NULL)
			goto backup;
		op = (unsigned char)*rp;
		if (ap == NULL && op != META_MATCHZANY && op != META_CANONHOST)
			return -1;
		if (mlp >= mlist + MAX_MATCH && (op == META_MATCHZANY || op == META_MATCHANY ||
						  op == META_MATCHONE || op == META_MATCHCLASS ||
						  op == META_MATCHNCLASS))
			return -1;
		switch (op) {
		case META_MATCHCLASS:
			mlp->pattern = rvp;
			mlp->first = avp;
			for (;;) {
				if (*avp == NULL)
					goto backup;
				mlp->last = avp++;
				if (phrase_in_class(cf, mlp->first, mlp->last, (unsigned char)rp[1]))
					break;
			}
			mlp++;
			break;
		case META_MATCHNCLASS:
			if (class_contains(cf->classes, (unsigned char)rp[1], ap))
				goto backup;
			/* FALLTHROUGH */
		case META_MATCHONE:
		case META_MATCHANY:
			mlp->pattern = rvp;
			mlp->first = avp;
			mlp->last = avp++;
			mlp++;
			break;
		case META_MATCHZANY:
			mlp->pattern = rvp;
			mlp->first = avp;
			mlp->last = avp - 1;
			mlp++;
			break;
		case META_CANONHOST:
			/* $@ on the LHS matches zero tokens */
			break;
		case META_MACRODEXPAND:
			if (!match_runtime_macro(ctx, rp, &avp))
				goto backup;
			break;
		default:
			if (strcasecmp(rp, ap) != 0)
				goto backup;
			avp++;
			break;
		}
		rvp++;
		continue;

	backup:
		while (--mlp >= mlist) {
			unsigned char pop;
			rvp = mlp->pattern;
			rp = *rvp;
			avp = mlp->last + 1;
			ap = *avp;
			if (trace_steps)
				trace_pair(cf, "BACKUP ", rp, ap);
			if (ap == NULL)
				continue;
			pop = (unsigned char)*rp;
			if (pop == META_MATCHANY || pop == META_MATCHZANY) {
				mlp->last = avp++;
				rvp++;
				mlp++;
				break;
			}
			if (pop == META_MATCHCLASS) {
				/* extend the phrase and look it up again */
				bool found = false;
				while (*avp != NULL) {
					mlp->last = avp++;
					if (phrase_in_class(cf, mlp->first, mlp->last,
							    (unsigned char)rp[1])) {
						found = true;
						break;
					}
				}
				if (found) {
					rvp++;
					mlp++;
					break;
				}
			}
		}
		if (mlp < mlist)
			return -1;
	}
	return (int)(mlp - mlist);
}

static void trace_bindings(struct cf *cf, struct match *mlist, int n)
{
	for (int i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "$%d:", i + 1);
		for (char **pp = mlist[i].first; pp <= mlist[i].last; pp++) {
			sb_printf(&sb, " %p=\"", (void *)*pp);
			meta_xputs(cf, &sb, *pp);
			sb_putc(&sb, '"');
		}
		fprintf(cf->out, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
}

/* Build the RHS into npvp; returns 0 or a sysexits status. */
static int substitute(struct rw_ctx *ctx, char **rvp, struct match *mlist, int nmatch,
		      char **npvp, const char *rulename)
{
	struct cf *cf = ctx->cf;
	char **avp = npvp;

	for (; *rvp != NULL; rvp++) {
		char *rp = *rvp;
		unsigned char op = (unsigned char)*rp;

		if (op == META_MATCHREPL) {
			int k = rp[1] - '1';
			if (k < 0 || k >= nmatch) {
				cf_message(cf, EX_SOFTWARE,
					   "rewrite: ruleset %s: replacement $%c out of bounds",
					   rulename, rp[1]);
				return EX_CONFIG;
			}
			for (char **pp = mlist[k].first; pp <= mlist[k].last; pp++) {
				if (avp >= npvp + MAXATOM)
					goto toolong;
				*avp++ = *pp;
			}
		} else if (op == META_MACRODEXPAND) {
			const char *v = macro_get(ctx->env, (unsigned char)rp[1]);
			char *vec[MAXATOM + 1];
			int n;
			if (dbg_on(&cf->dbg, 21, 2)) {
				char b[2];
				fprintf(cf->out, "rewrite: RHS $&{%s} => \"%s\"\n",
					macro_plain_name(cf, (unsigned char)rp[1], b),
					v ? v : "(NULL)");
			}
			if (v == NULL || *v == '\0')
				continue;
			n = tok_scan(cf, v, 0, TOK_RULE, vec, ctx->pool, NULL);
			for (int i = 0; i < n; i++) {
				if (avp >= npvp + MAXATOM)
					goto toolong;
				*avp++ = vec[i];
			}
		} else {
			if (avp >= npvp + MAXATOM)
				goto toolong;
			*avp++ = rp;
		}
	}
	*avp = NULL;
	return 0;
toolong:
	cf_message(cf, EX_SOFTWARE, "rewrite: expansion too long");
	return EX_DATAERR;
}

static char *join_pool(struct rw_ctx *ctx, char **first, char spacesub)
{
	struct strbuf sb = STRBUF_INIT;
	char *r;
	tok_join(ctx->cf, first, NULL, &sb, spacesub);
	r = pool_strdup(ctx->pool, sb_str(&sb));
	sb_free(&sb);
	return r;
}

/*
 * Resolve $[ ... $] and $( map ... $) in the substituted workspace.
 * Updates *rstat; returns 0 or a fatal status.
 */
static int do_lookups(struct rw_ctx *ctx, char **npvp, int *rstat)
{
	struct cf *cf = ctx->cf;

	for (int at = 0; npvp[at] != NULL; at++) {
		char **rvp = npvp + at;
		unsigned char op = (unsigned char)**rvp;
		unsigned char endtoken;
		const char *mapname;
		struct map *map;
		char **hbrvp = rvp, **key_rvp, **default_rvp = NULL, **xpvp = NULL;
		char *args[MAX_MAP_ARGS + 1];
		int nargs = 0, status = 0;
		char *key, *replac;
		char *tail[MAXATOM + 1];
		char *repl[MAXATOM + 1];
		int ntail = 0, nrepl;

		if (op != META_HOSTBEGIN && op != META_LOOKUPBEGIN)
			continue;
		if (op == META_HOSTBEGIN) {
			endtoken = META_HOSTEND;
			mapname = "host";
		} else {
			endtoken = META_LOOKUPEND;
			mapname = *++rvp;
			if (mapname == NULL) {
				cf_message(cf, EX_SOFTWARE, "rewrite: missing mapname");
				return EX_CONFIG;
			}
		}
		map = map_find(cf, mapname);
		if (map == NULL)
			cf_message(cf, EX_SOFTWARE, "rewrite: map %s not found", mapname);

		/* split key $@ arg $@ arg $: default up to the end token */
		key_rvp = ++rvp;
		args[nargs++] = NULL; /* %0, the key, filled in below */
		while (*rvp != NULL && (unsigned char)**rvp != endtoken) {
			unsigned char t = (unsigned char)**rvp;
			if (t != META_CANONHOST && t != META_CANONUSER) {
				rvp++;
				continue;
			}
			*rvp++ = NULL;
			if (xpvp != NULL) {
				char *a = join_pool(ctx, xpvp, '\0');
				if (nargs < MAX_MAP_ARGS)
					args[nargs++] = a;
				xpvp = NULL;
			}
			if (t == META_CANONHOST)
				xpvp = rvp;
			else
				default_rvp = rvp;
		}
		if (*rvp != NULL)
			*rvp++ = NULL;
		if (xpvp != NULL) {
			char *a = join_pool(ctx, xpvp, '\0');
			if (nargs < MAX_MAP_ARGS)
				args[nargs++] = a;
		}
		args[nargs] = NULL;

		/* keep what follows the lookup */
		while (*rvp != NULL && ntail < MAXATOM)
			tail[ntail++] = *rvp++;
		tail[ntail] = NULL;

		key = join_pool(ctx, key_rvp, map ? map_spacesub(map) : '\0');
		args[0] = key;
		replac = NULL;
		if (map != NULL) {
			replac = map_lookup(cf, ctx->env, map, key, args, &status, ctx->pool);
			if (status != 0 && (*rstat == 0 || status == EX_TEMPFAIL))
				*rstat = status;
			if (status == EX_TEMPFAIL && ctx->deferred != NULL && ctx->deferred->len == 0) {
				char shown[256];
				dns_shorten(key, 203, shown, sizeof(shown));
				sb_printf(ctx->deferred, "%.80s map: lookup (%s): deferred", map->name,
					  shown);
			}
		}
		if (replac == NULL && default_rvp != NULL)
			replac = join_pool(ctx, default_rvp, '\0');

		if (replac == NULL) {
			char **src = key_rvp;
			nrepl = 0;
			while (*src != NULL && nrepl < MAXATOM)
				repl[nrepl++] = *src++;
			repl[nrepl] = NULL;
		} else if (*replac == '\0') {
			nrepl = 0;
			repl[0] = NULL;
		} else {
			nrepl = tok_scan(cf, replac, 0, TOK_ADDR, repl, ctx->pool, NULL);
			if (nrepl < 0)
				return EX_DATAERR;
		}

		/* splice: hbrvp = replacement tokens + tail */
		rvp = hbrvp;
		for (int i = 0; i < nrepl; i++) {
			if (rvp >= npvp + MAXATOM)
				goto toolong;
			*rvp++ = repl[i];
		}
		/* scanning goes on after the replacement */
		at = (int)(rvp - npvp) - 1;
		for (int i = 0; i < ntail; i++) {
			if (rvp >= npvp + MAXATOM)
				goto toolong;
			*rvp++ = tail[i];
		}
		*rvp = NULL;
	}
	return 0;
toolong:
	cf_message(cf, EX_SOFTWARE, "rewrite: expansion too long");
	return EX_DATAERR;
}

/*
 * Run the $>name calls of pvp.  Like sendmail, the calls are collected left
 * to right and run right-most (innermost) first; a call of an empty ruleset
 * is dropped on the spot, which also makes the scan step over the token
 * that moves into its place.  An unknown ruleset stops everything.
 */
static int call_subroutines(struct rw_ctx *ctx, char **pvp, int reclevel)
{
	struct cf *cf = ctx->cf;
	struct {
		int rs;
		int index;
	} calls[MAX_SUBR_CALLS];
	int ncalls = 0, rstat = 0;

	for (int i = 0; pvp[i] != NULL; i++) {
		int rs;
		if ((unsigned char)*pvp[i] != META_CALLSUBR || pvp[i + 1] == NULL)
			continue;
		if (strchr(pvp[i + 1], '"') != NULL) {
			/* $>"name": the name may be quoted (m4 configs do that) */
			char *unq = pool_strdup(ctx->pool, pvp[i + 1]);
			text_strip_quotes(unq);
			pvp[i + 1] = unq;
		}
		rs = cf_ruleset_parse(cf, pvp[i + 1], false);
		if (rs < 0) {
			cf_message(cf, EX_SOFTWARE, "Unknown ruleset %s", pvp[i + 1]);
			return EX_CONFIG;
		}
		if (cf->rulesets[rs].rules == NULL) {
			int k;
			if (dbg_on(&cf->dbg, 21, 3))
				fprintf(cf->out, "-----skip subr %s (%d)\n", pvp[i + 1], rs);
			for (k = i; pvp[k + 2] != NULL; k++)
				pvp[k] = pvp[k + 2];
			pvp[k] = NULL;
			if (pvp[i] == NULL)
				break;
			continue;
		}
		if (ncalls < MAX_SUBR_CALLS) {
			calls[ncalls].rs = rs;
			calls[ncalls].index = i;
			ncalls++;
		} else {
			cf_message(cf, EX_SOFTWARE, "Too many subroutine calls (%d max)",
				   MAX_SUBR_CALLS);
		}
	}

	for (int j = ncalls - 1; j >= 0; j--) {
		char **avp = pvp + calls[j].index;
		char *sub[MAXATOM + 1];
		int n = 0, status, total = 0;
		char **p;

		for (p = avp + 2; *p != NULL && n < MAXATOM; p++)
			sub[n++] = *p;
		sub[n] = NULL;
		status = rw_rewrite(ctx, sub, calls[j].rs, reclevel + 1);
		if (status != 0 && (rstat == 0 || status == EX_TEMPFAIL))
			rstat = status;
		for (p = sub; *p != NULL; p++)
			total++;
		if (calls[j].index + total > MAXATOM) {
			cf_message(cf, EX_SOFTWARE, "rewrite: expansion too long");
			return EX_DATAERR;
		}
		memcpy(avp, sub, (size_t)(total + 1) * sizeof(char *));
	}
	return rstat;
}

int rw_rewrite(struct rw_ctx *ctx, char **pvp, int rs, int reclevel)
{
	struct cf *cf = ctx->cf;
	char label[12];
	const char *rulename;
	int rstat = 0, ruleno = 1, loopcount = 0;
	struct rule *rwr;
	char *npvp[MAXATOM + 1];
	struct match mlist[MAX_MATCH];

	if (pvp == NULL)
		return EX_USAGE;
	if (rs < 0 || rs >= MAXRWSETS) {
		cf_message(cf, EX_SOFTWARE, "rewrite: illegal ruleset number %d", rs);
		return EX_CONFIG;
	}
	rulename = cf_ruleset_name(cf, rs, label);
	if (ctx->test_mode || dbg_on(&cf->dbg, 21, 1)) {
		char head[64];
		snprintf(head, sizeof(head), "%s%-16.16s   input:",
			 ctx->test_mode ? "" : "rewrite: ruleset ", rulename);
		trace_tokens(cf, head, pvp);
	}
	if (reclevel > MAX_RULE_RECURSION) {
		cf_message(cf, EX_SOFTWARE, "rewrite: excessive recursion (max %d), ruleset %s",
			   MAX_RULE_RECURSION, rulename);
		return EX_CONFIG;
	}

	rwr = cf->rulesets[rs].rules;
	while (rwr != NULL) {
		int nmatch, status;
		char **rvp;

		if (dbg_on(&cf->dbg, 21, 12)) {
			struct strbuf sb = STRBUF_INIT;
			if (dbg_on(&cf->dbg, 21, 15))
				sb_printf(&sb, "-----trying rule (line %d):", rwr->line);
			else
				sb_puts(&sb, "-----trying rule:");
			tok_print(cf, &sb, rwr->lhs);
			fprintf(cf->out, "%s\n", sb_str(&sb));
			sb_free(&sb);
		}
		nmatch = match_lhs(ctx, rwr->lhs, pvp, mlist);
		if (nmatch < 0) {
			if (dbg_on(&cf->dbg, 21, 10))
				fprintf(cf->out, "----- rule fails\n");
			rwr = rwr->next;
			ruleno++;
			loopcount = 0;
			continue;
		}
		rvp = rwr->rhs;
		if (dbg_on(&cf->dbg, 21, 12))
			trace_tokens(cf, "-----rule matches:", rvp);
		if (dbg_on(&cf->dbg, 21, 15))
			trace_bindings(cf, mlist, nmatch);

		if (*rvp != NULL && (unsigned char)**rvp == META_CANONUSER) {
			rvp++;
			rwr = rwr->next;
			ruleno++;
			loopcount = 0;
		} else if (*rvp != NULL && (unsigned char)**rvp == META_CANONHOST) {
			rvp++;
			rwr = NULL;
		} else if (++loopcount > MAX_RULE_LOOPS) {
			cf_message(cf, EX_SOFTWARE, "Infinite loop in ruleset %s, rule %d", rulename,
				   ruleno);
			break;
		}

		status = substitute(ctx, rvp, mlist, nmatch, npvp, rulename);
		if (status != 0)
			return status;
		status = do_lookups(ctx, npvp, &rstat);
		if (status != 0)
			return status;
		status = call_subroutines(ctx, npvp, reclevel);
		if (status != 0 && (rstat == 0 || status == EX_TEMPFAIL))
			rstat = status;

		{
			int i = 0;
			for (; npvp[i] != NULL; i++)
				pvp[i] = npvp[i];
			pvp[i] = NULL;
		}
		if (dbg_on(&cf->dbg, 21, 4))
			trace_tokens(cf, "rewritten as:", pvp);
		if (pvp[0] != NULL && (unsigned char)pvp[0][0] == META_CANONNET)
			break;
	}

	if (ctx->test_mode || dbg_on(&cf->dbg, 21, 1)) {
		char head[64];
		snprintf(head, sizeof(head), "%s%-16.16s returns:",
			 ctx->test_mode ? "" : "rewrite: ruleset ", rulename);
		trace_tokens(cf, head, pvp);
	}
	return rstat;
}
