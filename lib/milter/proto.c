/*
 * proto: milter packets (proto.h).
 */
#include "milter/proto.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void milter_packet_begin(struct milter_packet *p, char cmd)
{
	static const char room[4];

	sb_init(&p->b);
	sb_put(&p->b, room, sizeof(room));
	sb_putc(&p->b, cmd);
}

void milter_packet_put(struct milter_packet *p, const void *data, size_t n)
{
	sb_put(&p->b, data, n);
}

void milter_packet_str(struct milter_packet *p, const char *s)
{
	sb_put(&p->b, s, strlen(s) + 1);
}

void milter_packet_u16(struct milter_packet *p, uint16_t v)
{
	sb_putc(&p->b, (char)(v >> 8));
	sb_putc(&p->b, (char)v);
}

void milter_packet_u32(struct milter_packet *p, uint32_t v)
{
	for (int shift = 24; shift >= 0; shift -= 8)
		sb_putc(&p->b, (char)(v >> shift));
}

const char *milter_packet_end(struct milter_packet *p, size_t *len)
{
	uint32_t n = (uint32_t)(p->b.len - 4);

	for (int i = 0; i < 4; i++)
		p->b.s[i] = (char)(n >> (24 - 8 * i));
	*len = p->b.len;
	return p->b.s;
}

void milter_packet_free(struct milter_packet *p)
{
	sb_free(&p->b);
}

static uint32_t get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* The NUL-terminated string at *pos inside data[0..len); NULL if cut. */
static const char *take_str(const char *data, size_t len, size_t *pos)
{
	const char *s = data + *pos, *nul;

	if (*pos >= len)
		return NULL;
	nul = memchr(s, '\0', len - *pos);
	if (nul == NULL)
		return NULL;
	*pos = (size_t)(nul - data) + 1;
	return s;
}

enum milter_optneg_error milter_parse_optneg(char cmd, const char *data, size_t len,
                                             struct milter_optneg *opt)
{
	size_t pos = 12;

	memset(opt, 0, sizeof(*opt));
	if (cmd != SMFIC_OPTNEG)
		return OPTNEG_NOT_OPTNEG;
	if (len < 12)
		return OPTNEG_SHORT;
	opt->version = get_u32(data);
	opt->actions = get_u32(data + 4);
	opt->protocol = get_u32(data + 8);
	/* macro lists follow: a 32-bit stage number, then the list */
	while (pos < len) {
		uint32_t stage;
		const char *list;

		if (len - pos < 4)
			goto bad;
		stage = get_u32(data + pos);
		pos += 4;
		list = take_str(data, len, &pos);
		if (list == NULL || stage >= MILTER_MACROS_COUNT)
			goto bad;
		free(opt->macros[stage]);
		opt->macros[stage] = xstrdup(list);
	}
	return OPTNEG_OK;
bad:
	milter_optneg_free(opt);
	return OPTNEG_BAD_SYMLIST;
}

void milter_optneg_free(struct milter_optneg *opt)
{
	for (int i = 0; i < MILTER_MACROS_COUNT; i++) {
		free(opt->macros[i]);
		opt->macros[i] = NULL;
	}
}

/* "NNN" then ' ' or '-' (or the end) with the code's class 4 or 5. */
static bool reply_line_ok(const char *s, size_t n, const char *code)
{
	if (n < 3 || (s[0] != '4' && s[0] != '5') || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return false;
	if (code != NULL && memcmp(s, code, 3) != 0)
		return false;
	return n == 3 || s[3] == ' ' || s[3] == '-';
}

bool milter_reply_code_ok(const char *text)
{
	const char *p = text;

	if (!reply_line_ok(p, strcspn(p, "\r\n"), NULL))
		return false;
	/* the lines of a multi-line reply all carry the first one's code */
	for (;;) {
		const char *eol = strstr(p, "\r\n");
		if (eol == NULL)
			return true;
		p = eol + 2;
		if (!reply_line_ok(p, strcspn(p, "\r\n"), text))
			return false;
	}
}

/* A string, then optionally a second one (ESMTP arguments). */
static bool take_pair(const char *data, size_t len, struct milter_reply *r, bool second_required)
{
	size_t pos = 0;

	r->str = take_str(data, len, &pos);
	if (r->str == NULL)
		return false;
	if (pos < len) {
		r->str2 = take_str(data, len, &pos);
		if (r->str2 == NULL)
			return false;
	}
	return r->str2 != NULL || !second_required;
}

static bool take_header(const char *data, size_t len, struct milter_reply *r, bool indexed)
{
	size_t pos = 0;

	if (indexed) {
		if (len < 4)
			return false;
		r->index = get_u32(data);
		pos = 4;
	}
	r->str = take_str(data, len, &pos);
	r->str2 = r->str != NULL ? take_str(data, len, &pos) : NULL;
	return r->str2 != NULL && *r->str != '\0';
}

enum milter_reply_error milter_parse_reply(char cmd, const char *data, size_t len,
                                           struct milter_reply *r)
{
	size_t pos = 0;
	bool ok = true;

	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
	switch (cmd) {
	case SMFIR_ACCEPT:
	case SMFIR_CONTINUE:
	case SMFIR_DISCARD:
	case SMFIR_REJECT:
	case SMFIR_TEMPFAIL:
	case SMFIR_PROGRESS:
	case SMFIR_SKIP:
	case SMFIR_SHUTDOWN:
	case SMFIR_CONN_FAIL:
		return REPLY_OK; /* any data is ignored */
	case SMFIR_REPLYCODE:
		r->str = take_str(data, len, &pos);
		if (r->str == NULL)
			return REPLY_MALFORMED;
		return milter_reply_code_ok(r->str) ? REPLY_OK : REPLY_BAD_CODE;
	case SMFIR_ADDHEADER:
		ok = take_header(data, len, r, false);
		break;
	case SMFIR_INSHEADER:
	case SMFIR_CHGHEADER:
		ok = take_header(data, len, r, true);
		break;
	case SMFIR_ADDRCPT:
	case SMFIR_DELRCPT:
	case SMFIR_QUARANTINE:
		r->str = take_str(data, len, &pos);
		ok = r->str != NULL;
		break;
	case SMFIR_ADDRCPT_PAR:
	case SMFIR_CHGFROM:
		ok = take_pair(data, len, r, false);
		break;
	case SMFIR_REPLBODY:
		r->body = data;
		r->body_len = len;
		break;
	default:
		return REPLY_UNKNOWN;
	}
	return ok ? REPLY_OK : REPLY_MALFORMED;
}
