/*
 * meta: the internal encoding of `$` constructs.  When sendmail.cf text is
 * read, every `$x` sequence becomes one meta byte (0x80..0x9f) followed, for
 * some of them, by an argument byte (a macro/class id, a digit).  Rules,
 * macro values and option strings all use this encoding; meta_xputs() turns
 * it back into the `$x` form sendmail prints in -bt traces and =S dumps.
 *
 * Ids: a single-character macro or class uses its own character as id; a
 * named one (`${client_addr}`, `$={VirtHost}`) gets an id in 0xa0..0xff.
 */
#ifndef SDMAIL_CF_META_H
#define SDMAIL_CF_META_H

#include <stdbool.h>
#include <stdio.h>

struct strbuf;
struct cf;

enum {
	META_MATCHZANY = 0x80,   /* $*  zero or more tokens */
	META_MATCHANY = 0x81,    /* $+  one or more tokens */
	META_MATCHONE = 0x82,    /* $-  exactly one token */
	META_MATCHCLASS = 0x83,  /* $=x one token (or phrase) in class x */
	META_MATCHNCLASS = 0x84, /* $~x one token not in class x */
	META_MATCHREPL = 0x85,   /* $n  replace with n-th matched part */
	META_CANONNET = 0x86,    /* $#  mailer */
	META_CANONHOST = 0x87,   /* $@  host / return / match-empty / map arg */
	META_CANONUSER = 0x88,   /* $:  user / once / map default */
	META_CALLSUBR = 0x89,    /* $>  call ruleset */
	META_CONDIF = 0x8a,      /* $?x */
	META_CONDELSE = 0x8b,    /* $|  else / pair separator in rules */
	META_CONDFI = 0x8c,      /* $.  endif */
	META_HOSTBEGIN = 0x8d,   /* $[ */
	META_HOSTEND = 0x8e,     /* $] */
	META_LOOKUPBEGIN = 0x8f, /* $( */
	META_LOOKUPEND = 0x90,   /* $) */
	META_MACROEXPAND = 0x91, /* $x  expand macro now */
	META_MACRODEXPAND = 0x92, /* $&x expand macro at run time */
	META_MAX = 0x92,
};

#define META_NAMED_ID_MIN 0xa0 /* first id for `{name}` macros and classes */

static inline bool meta_is(unsigned char c)
{
	return c >= META_MATCHZANY && c <= META_MAX;
}

/* Does this meta byte take an id/digit byte after it? */
static inline bool meta_has_arg(unsigned char c)
{
	return c == META_MATCHCLASS || c == META_MATCHNCLASS || c == META_MATCHREPL ||
	       c == META_CONDIF || c == META_MACROEXPAND || c == META_MACRODEXPAND;
}

/*
 * Append `s` to `out` the way sendmail's xputs shows it: meta bytes as `$x`,
 * ids as their letter or `{name}`, the `$>` ruleset-number byte as the
 * ruleset's name, control characters as `^X`.
 */
void meta_xputs(const struct cf *cf, struct strbuf *out, const char *s);

/* Print an id as sendmail does: `x` or `{name}`. */
void meta_put_id(const struct cf *cf, struct strbuf *out, unsigned char id);

#endif
