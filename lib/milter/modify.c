/*
 * modify: filter modifications and applying them (modify.h).
 */
#include "milter/modify.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "msg/envelope.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void milter_mods_init(struct milter_mods *m)
{
	m->head = NULL;
	m->tail = &m->head;
	m->body_fd = -1;
	m->body_size = 0;
}

void milter_mods_free(struct milter_mods *m)
{
	struct milter_mod *d, *next;

	for (d = m->head; d != NULL; d = next) {
		next = d->next;
		free(d->str);
		free(d->str2);
		free(d);
	}
	if (m->body_fd >= 0)
		close(m->body_fd);
	milter_mods_init(m);
}

struct milter_mod *milter_mods_add(struct milter_mods *m, enum milter_mod_type type, uint32_t index,
                                   const char *str, const char *str2, const char *filter)
{
	struct milter_mod *d = xcalloc(1, sizeof(*d));

	d->type = type;
	d->index = index;
	d->str = str ? xstrdup(str) : NULL;
	d->str2 = str2 ? xstrdup(str2) : NULL;
	d->filter = filter;
	*m->tail = d;
	m->tail = &d->next;
	return d;
}

bool milter_mods_empty(const struct milter_mods *m)
{
	return m->head == NULL && m->body_fd < 0;
}

/* The part between angle brackets, or all of it. */
static void bare(const char *a, const char **start, size_t *len)
{
	const char *lt = strchr(a, '<'), *gt;

	while (isspace((unsigned char)*a))
		a++;
	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		*start = lt + 1;
		*len = (size_t)(gt - lt - 1);
		return;
	}
	*start = a;
	*len = strcspn(a, " \t");
}

bool milter_same_addr(const char *a, const char *b)
{
	const char *sa, *sb;
	size_t la, lb;

	bare(a, &sa, &la);
	bare(b, &sb, &lb);
	return la == lb && strncasecmp(sa, sb, la) == 0;
}

/* The value as stored in an envelope: text after the colon. */
static char *stored_value(const struct milter_mod *d)
{
	struct strbuf v = STRBUF_INIT;

	if (!d->leadspc)
		sb_putc(&v, ' ');
	sb_puts(&v, d->str2 ? d->str2 : "");
	return sb_detach(&v);
}

static struct env_header *nth_header(struct envelope *e, size_t n, struct env_header **prev)
{
	struct env_header *h = e->headers;

	*prev = NULL;
	while (h != NULL && n-- > 0) {
		*prev = h;
		h = h->next;
	}
	return h;
}

/*
 * SMFIR_INSHEADER at `index`, where sendmail 8.17.1 puts it (observed):
 * after the index-th entry (0 first) of its whole header list — the
 * configuration's H lines, hidden ones included, then the message's —
 * or last when the list is shorter.  So index 0 lands after
 * Return-Path, not in front of it.
 */
static void insert_header(struct envelope *e, const struct milter_mod *d, size_t *own_skip)
{
	struct env_header *prev, *at = nth_header(e, d->index, &prev), *h;
	size_t pos = (size_t)d->index + 1;
	char *v = stored_value(d);

	if (at == NULL) {
		at = prev;           /* past the end: last */
		pos = *own_skip + 1; /* never among sendmail's own then */
	}
	h = envelope_insert_header(e, at, d->str, v, NULL);
	h->filter_added = true;
	if (pos < *own_skip)
		(*own_skip)++;
	free(v);
}

static void change_header(struct envelope *e, const struct milter_mod *d, size_t own_skip)
{
	struct env_header *prev, *h = nth_header(e, own_skip, &prev);
	uint32_t seen = 0;
	char *v;

	for (; h != NULL; prev = h, h = h->next) {
		if (strcasecmp(h->name, d->str) != 0 || ++seen < (d->index ? d->index : 1))
			continue;
		if (h->value == NULL) {
			/* deleted before: sendmail still counts it, and a change
			 * of it changes nothing */
		} else if (d->str2 == NULL || *d->str2 == '\0') {
			free(h->value);
			h->value = NULL;
		} else {
			v = stored_value(d);
			free(h->value);
			h->value = v;
		}
		return;
	}
	/* no such header: a change adds it, as sendmail does */
	if (d->str2 != NULL && *d->str2 != '\0') {
		v = stored_value(d);
		envelope_add_header(e, d->str, v, NULL);
		free(v);
	}
}

/* NOTIFY= and ORCPT= of an added recipient's ESMTP arguments. */
static void rcpt_args(struct env_rcpt *r, const char *args)
{
	char *copy = xstrdup(args), *save = NULL;
	size_t n = strlen(r->flags);

	for (char *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		if (strncasecmp(w, "ORCPT=", 6) == 0) {
			envelope_set(&r->orcpt, w + 6);
		} else if (strncasecmp(w, "NOTIFY=", 7) == 0) {
			static const struct {
				const char *word;
				char flag;
			} map[] = {{"SUCCESS", RCPT_NOTIFY_SUCCESS},
			           {"FAILURE", RCPT_NOTIFY_FAILURE},
			           {"DELAY", RCPT_NOTIFY_DELAY},
			           {"NEVER", RCPT_NOTIFY_NEVER}};
			for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
				if (strcasestr(w + 7, map[i].word) != NULL &&
				    n + 1 < sizeof(r->flags))
					r->flags[n++] = map[i].flag;
			r->flags[n] = '\0';
		}
	}
	free(copy);
}

static void add_rcpt(struct envelope *e, const struct milter_mod *d)
{
	struct strbuf final = STRBUF_INIT;
	const char *s;
	size_t len;

	struct env_rcpt *r = envelope_add_rcpt(e, d->str, "P");
	bare(d->str, &s, &len);
	sb_printf(&final, "RFC822; %.*s", (int)len, s);
	r->final = sb_detach(&final);
	if (d->str2 != NULL)
		rcpt_args(r, d->str2);
	if (strcmp(r->flags, "P") == 0)
		strcpy(r->flags, "PFD"); /* no NOTIFY=: failure and delay, as for RCPT */
}

static void del_rcpt(struct envelope *e, const char *addr)
{
	for (struct env_rcpt **pp = &e->rcpts; *pp != NULL;) {
		struct env_rcpt *r = *pp;
		if (!milter_same_addr(r->addr, addr)) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		envelope_rcpt_free(r);
	}
}

static void chg_from(struct envelope *e, const struct milter_mod *d)
{
	struct strbuf a = STRBUF_INIT;
	const char *s;
	size_t len;

	bare(d->str, &s, &len);
	sb_printf(&a, "<%.*s>", (int)len, s);
	free(e->sender);
	e->sender = sb_detach(&a);
}

/*
 * SMFIR_ADDHEADER where sendmail 8.17.1 puts it (observed): in front of
 * the first header of that name, hidden ones included, else last.  So a
 * second filter's X-Seen lands before the first one's.
 */
static void add_header(struct envelope *e, const struct milter_mod *d, size_t *own_skip)
{
	struct env_header *prev = NULL, *h = e->headers;
	size_t pos = 0;
	char *v = stored_value(d);

	for (; h != NULL && strcasecmp(h->name, d->str) != 0; prev = h, h = h->next)
		pos++;
	if (h == NULL) {
		h = envelope_add_header(e, d->str, v, NULL);
	} else {
		h = envelope_insert_header(e, prev, d->str, v, NULL);
		if (pos < *own_skip)
			(*own_skip)++;
	}
	h->filter_added = true;
	free(v);
}

void milter_apply_list(const struct milter_mod *from, struct envelope *e, size_t *own_skip)
{
	for (const struct milter_mod *d = from; d != NULL; d = d->next) {
		switch (d->type) {
		case MOD_ADD_HEADER:
			add_header(e, d, own_skip);
			break;
		case MOD_INS_HEADER:
			insert_header(e, d, own_skip);
			break;
		case MOD_CHG_HEADER:
			change_header(e, d, *own_skip);
			break;
		case MOD_ADD_RCPT:
			add_rcpt(e, d);
			break;
		case MOD_DEL_RCPT:
			del_rcpt(e, d->str);
			break;
		case MOD_CHG_FROM:
			chg_from(e, d);
			break;
		case MOD_QUARANTINE:
			envelope_set(&e->quarantine, d->str);
			break;
		}
	}
}

static int copy_body(int from, int to, long long *size)
{
	char buf[65536];
	ssize_t n;

	*size = 0;
	if (lseek(from, 0, SEEK_SET) < 0 || lseek(to, 0, SEEK_SET) < 0 || ftruncate(to, 0) < 0)
		return -errno;
	while ((n = pread(from, buf, sizeof(buf), *size)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(to, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR)
				return -errno;
			off += w > 0 ? w : 0;
		}
		*size += n;
	}
	return fsync(to) < 0 ? -errno : 0;
}

/* Headers deleted by a filter are kept as place holders (value NULL)
 * while filters run; they go now. */
static void purge_deleted(struct envelope *e)
{
	for (struct env_header **pp = &e->headers; *pp != NULL;) {
		struct env_header *h = *pp;
		if (h->value != NULL) {
			pp = &h->next;
			continue;
		}
		*pp = h->next;
		envelope_header_free(h);
	}
}

int milter_apply(const struct milter_mods *m, struct envelope *e, size_t own_skip, int df_fd)
{
	long long size;
	int rc;

	milter_apply_list(m->head, e, &own_skip);
	purge_deleted(e);
	if (m->body_fd < 0 || df_fd < 0)
		return 0;
	rc = copy_body(m->body_fd, df_fd, &size);
	if (rc == 0)
		e->body_size = size;
	return rc;
}
