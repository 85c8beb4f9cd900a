/*
 * headers: the header flag table (headers.h).
 */
#include "msg/headers.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cf/cf.h"
#include "cf/header.h"
#include "cf/macro.h"
#include "msg/envelope.h"
#include "util/strbuf.h"

static const struct {
	const char *name;
	unsigned long flags;
} header_table[] = {
	{"resent-sender", H_FROM | H_RESENT},
	{"resent-from", H_FROM | H_RESENT},
	{"resent-reply-to", H_FROM | H_RESENT},
	{"sender", H_FROM},
	{"from", H_FROM},
	{"reply-to", H_FROM},
	{"errors-to", H_FROM | H_ERRORSTO},
	{"full-name", H_ACHECK},
	{"return-receipt-to", H_RECEIPTTO},
	{"delivery-receipt-to", H_RECEIPTTO},
	{"disposition-notification-to", H_FROM},
	{"to", H_RCPT},
	{"resent-to", H_RCPT | H_RESENT},
	{"cc", H_RCPT},
	{"resent-cc", H_RCPT | H_RESENT},
	{"bcc", H_RCPT | H_BCC},
	{"resent-bcc", H_RCPT | H_BCC | H_RESENT},
	{"apparently-to", H_RCPT},
	{"message-id", 0},
	{"resent-message-id", H_RESENT},
	{"message", H_EOH},
	{"text", H_EOH},
	{"date", 0},
	{"resent-date", H_RESENT},
	{"received", H_TRACE | H_FORCE},
	{"x400-received", H_TRACE | H_FORCE},
	{"via", H_TRACE | H_FORCE},
	{"mail-from", H_TRACE | H_FORCE},
	{"comments", H_FORCE | H_ENCODABLE},
	{"return-path", H_FORCE | H_ACHECK | H_BINDLATE},
	{"content-transfer-encoding", H_CTE},
	{"content-type", H_CTYPE},
	{"content-length", H_ACHECK},
	{"subject", H_ENCODABLE},
	{"x-authentication-warning", H_FORCE},
};

unsigned long header_flags(const char *name)
{
	for (size_t i = 0; i < sizeof(header_table) / sizeof(header_table[0]); i++)
		if (strcasecmp(header_table[i].name, name) == 0)
			return header_table[i].flags;
	return 0;
}

struct env_header *header_find(const struct envelope *e, const char *name)
{
	for (struct env_header *h = e->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h;
	return NULL;
}

bool headers_are_resent(const struct envelope *e)
{
	for (const struct env_header *h = e->headers; h; h = h->next)
		if (strncasecmp(h->name, "Resent-", 7) == 0)
			return true;
	return false;
}

static char *cond_letters(const struct header_def *d)
{
	struct strbuf sb = STRBUF_INIT;
	for (int c = 0; c < 256; c++)
		if ((d->mflags[c / 8] >> (c % 8)) & 1)
			sb_putc(&sb, (char)c);
	return sb_detach(&sb);
}

/* The H line's value for this message, or NULL when sendmail would not
 * write it (the message has its own, not resent, macro undefined, empty). */
static char *default_value(struct cf *cf, const struct macro_env *env, const struct header_def *d,
                           const struct env_header *user, bool resent)
{
	unsigned long flags = header_flags(d->name);
	struct strbuf v = STRBUF_INIT;
	bool present = false;

	for (const struct env_header *h = user; h && !present; h = h->next)
		present = strcasecmp(h->name, d->name) == 0;
	if (present && !(flags & H_FORCE))
		return NULL;
	if ((flags & H_RESENT) && !resent)
		return NULL;
	if (d->macro_cond != 0 && macro_get(env, d->macro_cond) == NULL)
		return NULL;
	sb_putc(&v, ' ');
	if (flags & H_BINDLATE)
		sb_puts(&v, d->value);
	else
		macro_expand(cf, env, d->value, &v);
	if (v.len <= 1) {
		sb_free(&v);
		return NULL;
	}
	return sb_detach(&v);
}

struct env_header *headers_add_defaults(struct cf *cf, const struct macro_env *env,
                                        struct envelope *e, bool keep_hidden)
{
	struct env_header *user = e->headers;
	bool resent = headers_are_resent(e);

	e->headers = NULL;
	for (const struct header_def *d = cf->headers; d; d = d->next) {
		char *cond, *v;
		struct env_header *h;

		if (d->value == NULL)
			continue; /* a check-only H line */
		v = default_value(cf, env, d, user, resent);
		if (v == NULL && !keep_hidden)
			continue;
		cond = cond_letters(d);
		h = envelope_add_header(e, d->name, v, cond);
		if (v == NULL) { /* hidden: only holds its place */
			free(h->value);
			h->value = NULL;
		}
		free(cond);
		free(v);
	}
	/* the message's own headers follow the defaults */
	{
		struct env_header **pp = &e->headers, *last = NULL;
		while (*pp) {
			last = *pp;
			pp = &(*pp)->next;
		}
		*pp = user;
		return last;
	}
}

void headers_envelope_flags(const struct envelope *e, bool eight_bit, char *out, size_t size)
{
	bool rcpt_headers = false;

	for (const struct env_header *h = e->headers; h && !rcpt_headers; h = h->next) {
		unsigned long f = header_flags(h->name);
		rcpt_headers = (f & H_RCPT) && !(f & (H_BCC | H_RESENT));
	}
	snprintf(out, size, "%s%s", eight_bit ? "8" : "", rcpt_headers ? "b" : "");
}
