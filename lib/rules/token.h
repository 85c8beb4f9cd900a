/*
 * token: sendmail's address tokenizer (prescan).  Splits text into the
 * token vector the rewriting engine works on: OperatorChars and <>,;()
 * are one-character tokens, quoted strings and backslash escapes stay
 * inside their token, blanks separate, and unbalanced quotes, angle
 * brackets and parentheses are repaired with sendmail's messages.  Three
 * modes mirror sendmail's token tables: rule text from the cf (meta bytes
 * are tokens of their own), test-mode input (parentheses are plain tokens)
 * and addresses (parenthesised comments are dropped).
 */
#ifndef SDMAIL_RULES_TOKEN_H
#define SDMAIL_RULES_TOKEN_H

#include "cf/cf.h"

struct pool;

enum tok_mode {
	TOK_RULE,  /* R line text, already `$`-translated */
	TOK_TEST,  /* -bt input: no comments */
	TOK_ADDR,  /* addresses: (comments) removed */
};

/* Character classes kept in cf->token_type */
enum {
	TT_ATOM = 0,
	TT_OPER = 1,
	TT_SPACE = 2,
	TT_DROP = 3,
};

/* Rebuild cf->token_type from the OperatorChars option. */
void tok_setup(struct cf *cf);

/*
 * Tokenize `s` up to `delim` (0: to the end) into `vec` (room for MAXATOM
 * tokens plus the NULL terminator), strings allocated from `pool`.
 * Returns the number of tokens, or -1 after printing an error (the address
 * is unusable).  *endp, if given, is set to the delimiter or the final NUL.
 */
int tok_scan(struct cf *cf, const char *s, int delim, enum tok_mode mode, char **vec,
	     struct pool *pool, const char **endp);

/* Append the tokens, each preceded by a blank, as sendmail's printav does. */
struct strbuf;
void tok_print(const struct cf *cf, struct strbuf *out, char *const *vec);

/*
 * Join tokens first..last (last NULL: to the end) back into one string,
 * as sendmail's cataddr does: tokens are run together, except that
 * `spacesub` (when not 0) goes between two adjacent atoms.
 */
void tok_join(const struct cf *cf, char *const *first, char *const *last, struct strbuf *out,
	      char spacesub);

#endif
