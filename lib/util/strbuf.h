/*
 * strbuf: a growable, always NUL-terminated byte string.  Used wherever text
 * is assembled piecewise (macro expansion, trace lines, map results) so that
 * no code in sdmail writes into fixed-size stack buffers.
 */
#ifndef SDMAIL_UTIL_STRBUF_H
#define SDMAIL_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
/* Make room for `extra` more bytes (and the NUL). */
void sb_grow(struct strbuf *sb, size_t extra);

/* Inline: the byte-at-a-time callers (tokenizer, macro expansion) are hot. */
static inline void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		sb_grow(sb, 1);
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}
void sb_put(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* The current contents; valid until the next modification.  Never NULL. */
const char *sb_str(const struct strbuf *sb);
/* Hand over the buffer (caller frees) and reset sb. */
char *sb_detach(struct strbuf *sb);

#endif
