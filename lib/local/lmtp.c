/*
 * lmtp: mail.local's LMTP mode (see lmtp.h).
 */
#include "local/lmtp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "local/localuser.h"
#include "local/mailbox.h"
#include "local/mboxfmt.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum lmtp_verb lmtp_parse_verb(const char *line, const char **arg)
{
	static const struct {
		const char *word;
		enum lmtp_verb verb;
		bool takes_arg;
	} verbs[] = {
		{"lhlo ", LMTP_LHLO, true}, {"mail ", LMTP_MAIL, true}, {"rcpt ", LMTP_RCPT, true},
		{"vrfy ", LMTP_VRFY, true}, {"data", LMTP_DATA, false}, {"rset", LMTP_RSET, false},
		{"noop", LMTP_NOOP, false}, {"quit", LMTP_QUIT, false},
	};
	*arg = "";
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		size_t n = strlen(verbs[i].word);
		if (verbs[i].takes_arg && strncasecmp(line, verbs[i].word, n) == 0) {
			*arg = line + n;
			return verbs[i].verb;
		}
		if (!verbs[i].takes_arg && strcasecmp(line, verbs[i].word) == 0)
			return verbs[i].verb;
	}
	return LMTP_BAD;
}

char *lmtp_parse_path(const char *arg, const char *keyword)
{
	size_t k = strlen(keyword);
	if (strncasecmp(arg, keyword, k) != 0 || arg[k] != '<')
		return NULL;
	const char *start = arg + k + 1, *end = strchr(start, '>');
	if (end == NULL || (end[1] != '\0' && end[1] != ' '))
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

const char *lmtp_strip_route(const char *path)
{
	const char *p = path;
	while (*p == '@') {
		const char *colon = strchr(p, ':');
		if (colon == NULL)
			return NULL;
		p = colon + 1;
	}
	return p;
}

char *lmtp_rcpt_user(const char *path)
{
	const char *p = lmtp_strip_route(path);
	if (p == NULL)
		return NULL;
	size_t n = strcspn(p, "@");
	size_t plus = strcspn(p, "+");
	return xstrndup(p, plus < n ? plus : n);
}

/* ---- the session ---- */

struct session {
	const struct lmtp_config *cfg;
	struct strbuf out; /* replies not yet written */
	char in[65536];
	size_t pos, len;
	bool eof;
	char *sender; /* NULL: no MAIL yet */
	char **rcpts;
	size_t nrcpts, cap;
	bool lhlo_seen;
};

static void flush_replies(struct session *s)
{
	size_t done = 0;
	while (done < s->out.len) {
		ssize_t w = write(STDOUT_FILENO, s->out.s + done, s->out.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* the client is gone; reading will tell */
		done += (size_t)w;
	}
	sb_reset(&s->out);
}

static void reply(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply(struct session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&s->out, fmt, ap);
	va_end(ap);
	sb_put(&s->out, "\r\n", 2);
}

/* More input; false at end of input.  Replies go out before we wait. */
static bool fill(struct session *s)
{
	if (s->pos < s->len)
		return true;
	if (s->eof)
		return false;
	flush_replies(s);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, s->in, sizeof(s->in));
		if (n < 0 && errno == EINTR)
			continue;
		s->pos = 0;
		s->len = n > 0 ? (size_t)n : 0;
		if (n <= 0)
			s->eof = true;
		return n > 0;
	}
}

/* One command piece (see lmtp.h) into line; -1 at end of input. */
static int read_command(struct session *s, char *line)
{
	size_t n = 0;
	bool lf = false;
	while (n < LMTP_COMMAND_MAX && !lf && fill(s)) {
		char c = s->in[s->pos++];
		if (c == '\n')
			lf = true;
		else
			line[n++] = c;
	}
	if (n == 0 && !lf)
		return -1;
	if (lf && n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return (int)n;
}

/* The message up to the "." line, dots unstuffed, into f.  false: input ended first. */
static bool read_data(struct session *s, struct mboxfmt *f)
{
	enum { LINE_START, AFTER_DOT, AFTER_DOT_CR, IN_LINE } st = LINE_START;
	while (fill(s)) {
		if (st == IN_LINE) {
			const char *p = s->in + s->pos;
			const char *nl = memchr(p, '\n', s->len - s->pos);
			size_t n = nl ? (size_t)(nl - p) + 1 : s->len - s->pos;
			mboxfmt_feed(f, p, n);
			s->pos += n;
			if (nl)
				st = LINE_START;
			continue;
		}
		char c = s->in[s->pos++];
		if (st == LINE_START) {
			if (c == '.') {
				st = AFTER_DOT;
				continue;
			}
		} else if (st == AFTER_DOT) {
			if (c == '\n')
				return true;
			if (c == '\r') {
				st = AFTER_DOT_CR;
				continue;
			}
		} else if (st == AFTER_DOT_CR) {
			if (c == '\n')
				return true;
			mboxfmt_feed(f, "\r", 1);
		}
		mboxfmt_feed(f, &c, 1);
		st = c == '\n' ? LINE_START : IN_LINE;
	}
	return false;
}

static void reset_transaction(struct session *s)
{
	free(s->sender);
	s->sender = NULL;
	for (size_t i = 0; i < s->nrcpts; i++)
		free(s->rcpts[i]);
	s->nrcpts = 0;
}

static void do_lhlo(struct session *s)
{
	if (s->lhlo_seen) {
		reply(s, "503 %s Duplicate LHLO", s->cfg->hostname);
		return;
	}
	s->lhlo_seen = true;
	reply(s, "250-%s", s->cfg->hostname);
	if (s->cfg->eightbit)
		reply(s, "250-8BITMIME");
	reply(s, "250-ENHANCEDSTATUSCODES");
	reply(s, "250 PIPELINING");
}

static void do_mail(struct session *s, const char *arg)
{
	if (s->sender != NULL) {
		reply(s, "503 5.5.1 Nested MAIL command");
		return;
	}
	char *path = lmtp_parse_path(arg, "from:");
	const char *sender = path ? lmtp_strip_route(path) : NULL;
	if (sender == NULL) {
		free(path);
		reply(s, "501 5.5.4 Syntax error in parameters");
		return;
	}
	s->sender = xstrdup(*sender ? sender : "MAILER-DAEMON");
	free(path);
	reply(s, "250 2.5.0 Ok");
}

static void do_rcpt(struct session *s, const char *arg)
{
	if (s->sender == NULL) {
		reply(s, "503 5.5.1 Need MAIL command");
		return;
	}
	char *path = lmtp_parse_path(arg, "to:");
	char *user = path ? lmtp_rcpt_user(path) : NULL;
	free(path);
	if (user == NULL) {
		reply(s, "501 5.5.4 Syntax error in parameters");
		return;
	}
	switch (localuser_lookup(user)) {
	case LOCAL_FOUND:
		s->rcpts = xgrow(s->rcpts, &s->cap, s->nrcpts + 1, sizeof(*s->rcpts));
		s->rcpts[s->nrcpts++] = user;
		reply(s, "250 2.1.5 Ok");
		return;
	case LOCAL_UNKNOWN:
		reply(s, "550 5.1.1 User unknown");
		break;
	case LOCAL_DBFAIL:
		reply(s, "451 4.3.0 User database failure; retry later");
		break;
	}
	free(user);
}

/* false when the input ended inside the message */
static bool do_data(struct session *s)
{
	struct mboxfmt *f;
	struct local_result r;
	if (s->nrcpts == 0) {
		reply(s, "503 5.5.1 No recipients");
		return true;
	}
	int spool = localuser_spool_open();
	if (spool < 0) {
		reply(s, "451 4.3.0 Unable to open temporary file");
		return true;
	}
	reply(s, "354 Go ahead");
	f = xmalloc(sizeof(*f));
	mboxfmt_begin(f, spool, s->sender, time(NULL));
	bool complete = read_data(s, f);
	if (complete && mboxfmt_finish(f) < 0) {
		for (size_t i = 0; i < s->nrcpts; i++)
			reply(s, "451 4.3.0 Temporary file write error");
	} else if (complete) {
		for (size_t i = 0; i < s->nrcpts; i++) {
			flush_replies(s);
			localuser_deliver(s->cfg->local, s->rcpts[i], f, &r);
			reply(s, "%s %s", r.reply, r.text);
		}
	}
	free(f);
	close(spool);
	reset_transaction(s);
	return complete;
}

void lmtp_serve(const struct lmtp_config *cfg)
{
	struct session s;
	char line[LMTP_COMMAND_MAX + 1];
	const char *arg;
	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	reply(&s, "220 %s LMTP ready", cfg->hostname);
	for (bool done = false; !done && read_command(&s, line) >= 0;) {
		switch (lmtp_parse_verb(line, &arg)) {
		case LMTP_LHLO:
			do_lhlo(&s);
			break;
		case LMTP_MAIL:
			do_mail(&s, arg);
			break;
		case LMTP_RCPT:
			do_rcpt(&s, arg);
			break;
		case LMTP_DATA:
			done = !do_data(&s);
			break;
		case LMTP_RSET:
			reset_transaction(&s);
			reply(&s, "250 2.0.0 Ok");
			break;
		case LMTP_NOOP:
			reply(&s, "250 2.0.0 Ok");
			break;
		case LMTP_QUIT:
			reply(&s, "221 2.0.0 Bye");
			done = true;
			break;
		case LMTP_VRFY:
			reply(&s, "252 2.3.3 Try RCPT to attempt delivery");
			break;
		case LMTP_BAD:
			reply(&s, "500 5.5.2 Syntax error");
			break;
		}
	}
	flush_replies(&s);
	reset_transaction(&s);
	free(s.rcpts);
	sb_free(&s.out);
}
