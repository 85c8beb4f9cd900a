/* codec: base64, xtext and authinfo entries (see codec.h). */
#include "sasl/codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alphabet, c) : NULL;
	return p ? (int)(p - b64_alphabet) : -1;
}

int b64_decode(const char *in, size_t len, struct strbuf *out)
{
	size_t i, pad = 0;

	sb_reset(out);
	if (len == 1 && in[0] == '=')
		return 0;
	if (len % 4 != 0)
		return -EINVAL;
	if (len > 0 && in[len - 1] == '=')
		pad = len > 1 && in[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		int v[4];
		for (int k = 0; k < 4; k++) {
			bool padding = i + 4 == len && k >= 4 - (int)pad;
			v[k] = padding ? 0 : b64_value(in[i + k]);
			if (v[k] < 0)
				return -EINVAL;
		}
		/* strict: the bits padding leaves over must be zero */
		if (i + 4 == len && ((pad == 2 && (v[1] & 0xf)) || (pad == 1 && (v[2] & 0x3))))
			return -EINVAL;
		unsigned long n = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
		                  (unsigned long)v[2] << 6 | (unsigned long)v[3];
		sb_putc(out, (char)(n >> 16));
		if (i + 4 < len || pad < 2)
			sb_putc(out, (char)(n >> 8 & 0xff));
		if (i + 4 < len || pad < 1)
			sb_putc(out, (char)(n & 0xff));
	}
	return 0;
}

void b64_encode(const unsigned char *in, size_t len, struct strbuf *out)
{
	for (size_t i = 0; i < len; i += 3) {
		unsigned long n = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			n |= (unsigned long)in[i + 1] << 8;
		if (i + 2 < len)
			n |= in[i + 2];
		sb_putc(out, b64_alphabet[n >> 18 & 63]);
		sb_putc(out, b64_alphabet[n >> 12 & 63]);
		sb_putc(out, i + 1 < len ? b64_alphabet[n >> 6 & 63] : '=');
		sb_putc(out, i + 2 < len ? b64_alphabet[n & 63] : '=');
	}
}

static int hex_upper(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xtext_decode(const char *s, struct strbuf *out)
{
	sb_reset(out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '+') {
			int hi = hex_upper(s[1]), lo = hi < 0 ? -1 : hex_upper(s[2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				return -EINVAL; /* "+00": no NUL in a C string */
			sb_putc(out, (char)(hi << 4 | lo));
			s += 2;
		} else if (c < '!' || c > '~' || c == '=') {
			return -EINVAL;
		} else {
			sb_putc(out, (char)c);
		}
	}
	return 0;
}

bool xtext_valid(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	bool ok = xtext_decode(s, &sb) == 0;
	sb_free(&sb);
	return ok;
}

void xtext_encode(const char *s, const char *extra, struct strbuf *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < '!' || c > '~' || c == '+' || c == '=' || (extra && strchr(extra, c)))
			sb_printf(out, "+%02X", c);
		else
			sb_putc(out, (char)c);
	}
}

/* ---- authinfo ------------------------------------------------------------ */

static int authinfo_field(struct authinfo *ai, char key, char sep, const char *v, size_t n)
{
	char **slot;

	switch (key) {
	case 'U':
		slot = &ai->user;
		break;
	case 'I':
		slot = &ai->authid;
		break;
	case 'P':
		slot = &ai->secret;
		break;
	case 'R':
		slot = &ai->realm;
		break;
	case 'M':
		slot = &ai->mechs;
		break;
	default:
		return -EINVAL;
	}
	if (sep == '=' && key != 'P')
		return -EINVAL;
	free(*slot);
	if (sep == '=') {
		struct strbuf sb = STRBUF_INIT;
		if (b64_decode(v, n, &sb) < 0 || memchr(sb_str(&sb), '\0', sb.len) != NULL) {
			sb_free(&sb);
			*slot = NULL;
			return -EINVAL;
		}
		*slot = sb_detach(&sb);
		if (*slot == NULL)
			*slot = xstrdup("");
	} else {
		*slot = xstrndup(v, n);
	}
	return 0;
}

int authinfo_parse(const char *value, struct authinfo *ai)
{
	const char *p = value;

	memset(ai, 0, sizeof(*ai));
	for (;;) {
		const char *start, *end;
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		if (*p != '"')
			return -EINVAL;
		start = p + 1;
		end = strchr(start, '"');
		if (end == NULL || end - start < 2 || (start[1] != ':' && start[1] != '='))
			return -EINVAL;
		if (authinfo_field(ai, start[0], start[1], start + 2, (size_t)(end - start - 2)) <
		    0)
			return -EINVAL;
		p = end + 1;
	}
	if (ai->user == NULL && ai->authid != NULL)
		ai->user = xstrdup(ai->authid);
	if (ai->authid == NULL && ai->user != NULL)
		ai->authid = xstrdup(ai->user);
	return ai->secret != NULL && ai->authid != NULL ? 0 : -EINVAL;
}

void authinfo_free(struct authinfo *ai)
{
	free(ai->user);
	free(ai->authid);
	free(ai->secret);
	free(ai->realm);
	free(ai->mechs);
	memset(ai, 0, sizeof(*ai));
}

bool mech_in_list(const char *list, const char *mech)
{
	size_t n = strlen(mech);
	const char *p = list;

	while (p && *p) {
		size_t w;
		p += strspn(p, " \t,");
		w = strcspn(p, " \t,");
		if (w == n && w > 0 && strncasecmp(p, mech, n) == 0)
			return true;
		p += w;
	}
	return false;
}
