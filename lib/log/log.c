/*
 * log: the log context and its destinations (log.h).
 */
#include "log/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "log/catalog.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void log_ident(char out[LOG_IDENT_MAX + 1], const char *tag)
{
	size_t n = 0;

	if (tag == NULL)
		tag = "sendmail";
	for (; tag[n] != '\0' && n < LOG_IDENT_MAX; n++) {
		unsigned char c = (unsigned char)tag[n];
		out[n] = (c < 0x20 || c >= 0x7f || c == '%') ? '*' : (char)c;
	}
	out[n] = '\0';
}

static void short_host_name(char *out, size_t size)
{
	if (gethostname(out, size) != 0)
		snprintf(out, size, "localhost");
	out[size - 1] = '\0';
	out[strcspn(out, ".")] = '\0';
}

static bool is_socket(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

static enum log_dest fallback_dest(enum log_fallback fb)
{
	return fb == LOG_FALLBACK_STDERR ? LOG_DEST_STDERR : LOG_DEST_NONE;
}

void log_init(struct log_ctx *lc, const char *tag, long level, enum log_fallback fallback,
              const char *journal_socket)
{
	memset(lc, 0, sizeof(*lc));
	log_ident(lc->ident, tag);
	lc->level = level;
	lc->fallback = fallback;
	lc->err_fd = 2;
	short_host_name(lc->host, sizeof(lc->host));
	if (is_socket(journal_socket ? journal_socket : LOG_JOURNAL_SOCKET))
		lc->dest = LOG_DEST_JOURNAL;
	else
		lc->dest = fallback_dest(fallback);
}

bool log_wants(const struct log_ctx *lc, long threshold)
{
	return lc->dest != LOG_DEST_NONE && lc->level >= threshold;
}

/* Text without control characters: nothing can end a line early. */
static void put_clean(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		sb_putc(sb, (c < 0x20 || c == 0x7f) ? '?' : (char)c);
	}
}

static void message_text(const struct log_entry *en, struct strbuf *sb)
{
	if (en->qid != NULL) {
		put_clean(sb, en->qid);
		sb_puts(sb, ": ");
	}
	put_clean(sb, en->text);
}

static int emit_stderr(const struct log_ctx *lc, const struct log_entry *en)
{
	struct strbuf sb = STRBUF_INIT;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	const char *p;
	size_t left;
	int rc = 1;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	sb_printf(&sb, "%s %s %s[%ld]: ", stamp, lc->host, lc->ident, (long)getpid());
	message_text(en, &sb);
	sb_putc(&sb, '\n');
	/* one write per line, so lines of concurrent processes do not mix */
	for (p = sb.s, left = sb.len; left > 0;) {
		ssize_t n = write(lc->err_fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -errno;
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	sb_free(&sb);
	return rc;
}

/* One "NAME=value" item of a journal entry, kept in `store`. */
static void add_item(struct strbuf *store, size_t *n, const char *name, const char *value)
{
	sb_init(&store[*n]);
	sb_puts(&store[*n], name);
	sb_putc(&store[*n], '=');
	put_clean(&store[*n], value);
	(*n)++;
}

static bool is_queue_id(const char *qid)
{
	return qid != NULL && strcmp(qid, "NOQUEUE") != 0;
}

/* The value of the caller's field `name`, NULL: none. */
static const char *field_value(const struct log_entry *en, const char *name)
{
	for (size_t i = 0; i < en->nfields; i++)
		if (strcmp(en->fields[i].name, name) == 0)
			return en->fields[i].value;
	return NULL;
}

static int emit_journal(const struct log_ctx *lc, const struct log_entry *en)
{
	size_t max = en->nfields + 7, n = 0;
	const char *mid = log_message_id(en->event, field_value(en, "SDMAIL_DELIVERY"));
	struct strbuf *items = xcalloc(max, sizeof(*items));
	struct iovec *iov = xcalloc(max, sizeof(*iov));
	char prio[4];
	int rc;

	sb_init(&items[n]);
	sb_puts(&items[n], "MESSAGE=");
	message_text(en, &items[n]);
	n++;
	snprintf(prio, sizeof(prio), "%d", en->priority & LOG_PRIMASK);
	add_item(items, &n, "PRIORITY", prio);
	add_item(items, &n, "SYSLOG_FACILITY", "2");
	add_item(items, &n, "SYSLOG_IDENTIFIER", lc->ident);
	if (en->event != NULL)
		add_item(items, &n, "SDMAIL_EVENT", en->event);
	if (mid != NULL)
		add_item(items, &n, "MESSAGE_ID", mid);
	if (is_queue_id(en->qid))
		add_item(items, &n, "QUEUE_ID", en->qid);
	for (size_t i = 0; i < en->nfields; i++) {
		if (en->fields[i].value == NULL)
			continue;
		add_item(items, &n, en->fields[i].name, en->fields[i].value);
	}
	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = items[i].s;
		iov[i].iov_len = items[i].len;
	}
	rc = sd_journal_sendv(iov, (int)n);
	for (size_t i = 0; i < n; i++)
		sb_free(&items[i]);
	free(items);
	free(iov);
	return rc < 0 ? rc : 1;
}

int log_emit(struct log_ctx *lc, const struct log_entry *en)
{
	int rc;

	if (!log_wants(lc, en->threshold))
		return 0;
	if (lc->dest == LOG_DEST_STDERR)
		return emit_stderr(lc, en);
	rc = emit_journal(lc, en);
	if (rc >= 0)
		return rc;
	/* the socket is there but nobody listens: the fallback from now on */
	lc->dest = fallback_dest(lc->fallback);
	if (lc->dest == LOG_DEST_STDERR)
		return emit_stderr(lc, en);
	return rc;
}
