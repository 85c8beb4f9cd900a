/*
 * meta: printing of meta-encoded text the way sendmail shows it (meta.h).
 */
#include "cf/meta.h"

#include "cf/cf.h"
#include "util/strbuf.h"

void meta_put_id(const struct cf *cf, struct strbuf *out, unsigned char id)
{
	if (id >= META_NAMED_ID_MIN && cf != NULL && cf->id_name[id] != NULL) {
		sb_putc(out, '{');
		sb_puts(out, cf->id_name[id]);
		sb_putc(out, '}');
	} else if (id != 0) {
		sb_putc(out, (char)id);
	}
}

static char meta_letter(unsigned char c)
{
	static const char letters[] = "*+-=~$#@:>?|.[]()$&";
	/* indexes follow the META_* order; META_MATCHREPL and META_MACROEXPAND
	 * print their argument instead of a letter */
	return letters[c - META_MATCHZANY];
}

void meta_xputs(const struct cf *cf, struct strbuf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned char c = *p;
		if (meta_is(c)) {
			sb_putc(out, '$');
			if (c == META_MATCHREPL || c == META_MACROEXPAND) {
				if (p[1] != '\0')
					meta_put_id(cf, out, *++p);
				continue;
			}
			sb_putc(out, meta_letter(c));
			if (meta_has_arg(c) && p[1] != '\0')
				meta_put_id(cf, out, *++p);
			continue;
		}
		if (c >= 0x80) {
			sb_puts(out, "M-");
			c &= 0x7f;
		}
		if (c == '\t' || c == '\n' || c == '\r') {
			sb_putc(out, '\\');
			sb_putc(out, c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		sb_putc(out, (char)c);
	}
}
