/*
 * token: the prescan tokenizer (token.h).
 */
#include "rules/token.h"

#include <string.h>
#include <sysexits.h>

#include "cf/meta.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DEFAULT_OPERATOR_CHARS ".:@[]"
#define ALWAYS_SPECIAL "()<>,;"

void tok_setup(struct cf *cf)
{
	const char *ops = cf->opt.str[OPT_OperatorChars];
	if (ops == NULL)
		ops = DEFAULT_OPERATOR_CHARS;
	for (int c = 0; c < 256; c++) {
		unsigned char t = TT_ATOM;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xff)
			t = TT_SPACE;
		else if (c < 0x20 || c == 0x7f)
			t = TT_DROP;
		cf->token_type[c] = t;
	}
	for (const char *p = ALWAYS_SPECIAL; *p; p++)
		cf->token_type[(unsigned char)*p] = TT_OPER;
	for (const unsigned char *p = (const unsigned char *)ops; *p; p++)
		if (cf->token_type[*p] == TT_ATOM && *p != '"' && *p != '\\')
			cf->token_type[*p] = TT_OPER;
}

struct scan {
	struct cf *cf;
	const char *start; /* for messages */
	char **vec;
	int n;
	struct pool *pool;
	struct strbuf tok;
	enum { CUR_NONE, CUR_ATOM, CUR_CLOSED } cur;
	bool overflow;
};

static void flush(struct scan *sc)
{
	if (sc->cur == CUR_NONE)
		return;
	if (sc->n < MAXATOM)
		sc->vec[sc->n++] = pool_strndup(sc->pool, sc->tok.s ? sc->tok.s : "", sc->tok.len);
	else
		sc->overflow = true;
	sb_reset(&sc->tok);
	sc->cur = CUR_NONE;
}

static void single(struct scan *sc, const char *s, size_t n)
{
	flush(sc);
	sb_put(&sc->tok, s, n);
	sc->cur = CUR_CLOSED;
	flush(sc);
}

static void atom_char(struct scan *sc, char c)
{
	if (sc->cur != CUR_ATOM)
		flush(sc);
	sb_putc(&sc->tok, c);
	sc->cur = CUR_ATOM;
}

static void scan_error(struct scan *sc, const char *what)
{
	cf_put_input_location(sc->cf);
	fprintf(sc->cf->out, "%s... %s\n", sc->start, what);
}

/* An error naming the address with the bytes sendmail cannot show masked. */
static void eight_bit_error(struct scan *sc, const char *s)
{
	struct strbuf shown = STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80 && *p <= 0x9f)
			sb_putc(&shown, '?');
		else
			sb_putc(&shown, (char)(*p & 0x7f));
	}
	cf_put_input_location(sc->cf);
	fprintf(sc->cf->out, "8-bit character in mailbox address \"%s\"\n", sb_str(&shown));
	sb_free(&shown);
	cf_set_status(sc->cf, EX_USAGE);
}

static bool too_long(struct scan *sc, const char *s, int delim)
{
	/* what follows the delimiter (an alias's value) is not part of it */
	char stop[2] = {(char)delim, '\0'};
	size_t len = strcspn(s, stop);
	if (len < MAXNAME)
		return false;
	cf_put_input_location(sc->cf);
	fprintf(sc->cf->out, "Address \"%.*s\" too long (%d bytes max)\n", MAXNAME - 1, s,
		MAXNAME - 1);
	return true;
}

int tok_scan(struct cf *cf, const char *s, int delim, enum tok_mode mode, char **vec,
	     struct pool *pool, const char **endp)
{
	struct scan sc = {cf, s, vec, 0, pool, STRBUF_INIT, CUR_NONE, false};
	const unsigned char *p = (const unsigned char *)s;
	int angles = 0, comments = 0;
	bool in_quote = false;
	bool route = false;     /* inside <@route,@route:addr>, commas do not split */
	unsigned char last = 0; /* previous character that was not a blank */

	if (mode != TOK_RULE) {
		for (const unsigned char *q = p; *q && *q != delim; q++) {
			if (*q >= 0x80 && *q <= 0x9f) {
				eight_bit_error(&sc, s);
				sb_free(&sc.tok);
				if (endp)
					*endp = s + strlen(s);
				return -1;
			}
		}
		if (too_long(&sc, s, delim)) {
			sb_free(&sc.tok);
			if (endp)
				*endp = s + strlen(s);
			return -1;
		}
	}

	for (;; p++) {
		unsigned char c = *p;

		if (in_quote) {
			if (c == '\0') {
				scan_error(&sc, "Unbalanced '\"'");
				sb_putc(&sc.tok, '"');
				in_quote = false;
				sc.cur = CUR_CLOSED;
				break;
			}
			sb_putc(&sc.tok, (char)c);
			if (c == '\\') {
				if (p[1] == '\0') {
					/* the escape swallows the repair quote, so two are needed */
					scan_error(&sc, "Unbalanced '\"'");
					sb_putc(&sc.tok, '"');
					continue;
				}
				sb_putc(&sc.tok, (char)*++p);
			} else if (c == '"') {
				in_quote = false;
				sc.cur = CUR_CLOSED;
			}
			continue;
		}
		if (c == '\0' ||
		    (delim != 0 && c == (unsigned char)delim && comments == 0 && !(route && angles > 0)))
			break;
		if (c == '@' && last == '<')
			route = true;
		else if (c == ':' || c == '>')
			route = false;
		if (cf->token_type[c] != TT_SPACE)
			last = c;
		if (comments > 0) {
			if (c == '\\' && p[1] != '\0')
				p++;
			else if (c == '(')
				comments++;
			else if (c == ')')
				comments--;
			continue;
		}
		if (mode == TOK_RULE && meta_is(c)) {
			size_t n = meta_has_arg(c) && p[1] != '\0' ? 2 : 1;
			single(&sc, (const char *)p, n);
			p += n - 1;
			continue;
		}
		if (c == '\\') {
			if (p[1] == '\0')
				continue;
			atom_char(&sc, (char)c);
			sb_putc(&sc.tok, (char)*++p);
			continue;
		}
		if (c == '"') {
			flush(&sc);
			sb_putc(&sc.tok, '"');
			sc.cur = CUR_ATOM;
			in_quote = true;
			continue;
		}
		if (mode == TOK_ADDR && c == '(') {
			flush(&sc);
			comments = 1;
			continue;
		}
		if (mode == TOK_ADDR && c == ')') {
			scan_error(&sc, "Unbalanced ')'");
			continue;
		}
		switch (cf->token_type[c]) {
		case TT_SPACE:
			flush(&sc);
			continue;
		case TT_DROP:
			continue;
		case TT_OPER:
			if (c == '<') {
				angles++;
			} else if (c == '>') {
				if (angles <= 0) {
					scan_error(&sc, "Unbalanced '>'");
					continue;
				}
				angles--;
			}
			single(&sc, (const char *)p, 1);
			continue;
		default:
			atom_char(&sc, (char)c);
			continue;
		}
	}
	if (comments > 0)
		scan_error(&sc, "Unbalanced '('");
	flush(&sc);
	if (angles > 0) {
		scan_error(&sc, "Unbalanced '<'");
		while (angles-- > 0)
			single(&sc, ">", 1);
	}
	vec[sc.n] = NULL;
	sb_free(&sc.tok);
	if (endp)
		*endp = (const char *)p;
	if (sc.overflow) {
		cf_message(cf, EX_USAGE, "prescan: too many tokens");
		return -1;
	}
	return sc.n;
}

void tok_print(const struct cf *cf, struct strbuf *out, char *const *vec)
{
	for (; vec != NULL && *vec != NULL; vec++) {
		sb_putc(out, ' ');
		meta_xputs(cf, out, *vec);
	}
}

static bool is_atom_token(const struct cf *cf, const char *t)
{
	unsigned char c = (unsigned char)*t;
	if (c == '\0' || c == '"' || meta_is(c))
		return false;
	return cf->token_type[c] == TT_ATOM;
}

void tok_join(const struct cf *cf, char *const *first, char *const *last, struct strbuf *out,
	      char spacesub)
{
	bool prev_atom = false;
	for (char *const *t = first; *t != NULL && (last == NULL || t <= last); t++) {
		bool atom = is_atom_token(cf, *t);
		if (prev_atom && atom && spacesub != '\0')
			sb_putc(out, spacesub);
		sb_puts(out, *t);
		prev_atom = atom;
	}
}
