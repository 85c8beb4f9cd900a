/*
 * client: an SMTP client connection (client.h).
 */
#include "smtp/client.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf/options.h"
#include "sasl/saslw.h"
#include "smtp/data.h"
#include "smtp/io.h"
#include "smtp/net.h"
#include "tls/dane.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DATA_CHUNK (64 * 1024)

struct smtp_client {
	char *helo_name;
	struct smtp_timeouts to;
	smtp_transcript_fn *transcript;
	void *transcript_arg;
	bool attached; /* descriptors in place */
	bool dead;     /* an I/O or protocol error: nothing more can be sent */
	int rfd, wfd;
	char peer_addr[NET_ADDR_MAX];
	struct smtp_io io;
	struct tls_session *tls;
	struct tls_info tls_info;
	struct smtp_reply reply;
	struct smtp_ext ext;
	bool esmtp;
	struct strbuf cmd; /* the command being built */
	bool data_pending; /* DATA went out behind the RCPTs; data_code is its reply */
	bool message_sent; /* the last smtp_data had DATA answered 354 */
	/* the transaction smtp_mail_rcpt is running, for rcpt_reply */
	const struct smtp_mail *mail;
	const struct smtp_rcpt *rcpt_base;
	int data_code;
	size_t line_limit; /* the mailer's L=, 0: none */
	bool blank_end;    /* F=b: an empty line after the message */
	char auth_mech[32];    /* the mechanism smtp_auth last tried, "" none */
	unsigned auth_options; /* AuthOptions for smtp_auth */
};

/* --- timeouts ------------------------------------------------------------ */

void smtp_timeouts_default(struct smtp_timeouts *t)
{
	t->connect = -1; /* the kernel's own limit, as sendmail's default 0 */
	t->initial = 5 * 60 * 1000;
	t->helo = 5 * 60 * 1000;
	t->starttls = 60 * 60 * 1000;
	t->mail = 10 * 60 * 1000;
	t->rcpt = 60 * 60 * 1000;
	t->datainit = 5 * 60 * 1000;
	t->datablock = 60 * 60 * 1000;
	t->datafinal = 60 * 60 * 1000;
	t->rset = 5 * 60 * 1000;
	t->quit = 2 * 60 * 1000;
}

static int seconds_to_ms(long long s)
{
	if (s <= 0)
		return -1;
	return s > INT_MAX / 1000 ? INT_MAX : (int)(s * 1000);
}

void smtp_timeouts_from_options(struct smtp_timeouts *t, const struct option_values *ov)
{
	t->connect = seconds_to_ms(ov->timeout[TO_connect]);
	t->initial = seconds_to_ms(ov->timeout[TO_initial]);
	t->helo = seconds_to_ms(ov->timeout[TO_helo]);
	t->starttls = seconds_to_ms(ov->timeout[TO_starttls]);
	t->mail = seconds_to_ms(ov->timeout[TO_mail]);
	t->rcpt = seconds_to_ms(ov->timeout[TO_rcpt]);
	t->datainit = seconds_to_ms(ov->timeout[TO_datainit]);
	t->datablock = seconds_to_ms(ov->timeout[TO_datablock]);
	t->datafinal = seconds_to_ms(ov->timeout[TO_datafinal]);
	t->rset = seconds_to_ms(ov->timeout[TO_rset]);
	t->quit = seconds_to_ms(ov->timeout[TO_quit]);
}

/* --- life cycle ---------------------------------------------------------- */

struct smtp_client *smtp_client_new(const struct smtp_client_opts *opts)
{
	struct smtp_client *c = xcalloc(1, sizeof(*c));

	c->helo_name = xstrdup(opts->helo_name ? opts->helo_name : "localhost");
	c->to = opts->timeouts;
	c->transcript = opts->transcript;
	c->transcript_arg = opts->transcript_arg;
	c->rfd = c->wfd = -1;
	tls_info_init(&c->tls_info);
	reply_init(&c->reply);
	ehlo_init(&c->ext);
	sb_init(&c->cmd);
	return c;
}

void smtp_client_free(struct smtp_client *c)
{
	if (c == NULL)
		return;
	if (c->attached) {
		io_release(&c->io);
		close(c->rfd);
		if (c->wfd != c->rfd)
			close(c->wfd);
	}
	tls_session_free(c->tls);
	tls_info_free(&c->tls_info);
	reply_free(&c->reply);
	ehlo_free(&c->ext);
	sb_free(&c->cmd);
	free(c->helo_name);
	free(c);
}

void smtp_attach(struct smtp_client *c, int rfd, int wfd)
{
	c->rfd = rfd;
	c->wfd = wfd;
	io_init(&c->io, rfd, wfd, SMTP_REPLY_LINE_MAX);
	c->attached = true;
}

int smtp_connect(struct smtp_client *c, const char *host, unsigned port)
{
	int fd;

	if (c->attached)
		return -EISCONN;
	fd = net_connect(host, port, c->to.connect, c->peer_addr);
	if (fd < 0)
		return fd;
	smtp_attach(c, fd, fd);
	return 0;
}

const char *smtp_peer_addr(const struct smtp_client *c)
{
	return c->peer_addr;
}

bool smtp_is_esmtp(const struct smtp_client *c)
{
	return c->esmtp;
}

const struct smtp_ext *smtp_extensions(const struct smtp_client *c)
{
	return &c->ext;
}

const struct tls_info *smtp_tls_info(const struct smtp_client *c)
{
	return &c->tls_info;
}

const struct smtp_reply *smtp_last_reply(const struct smtp_client *c)
{
	return &c->reply;
}

/* --- commands and replies ------------------------------------------------ */

static int usable(const struct smtp_client *c)
{
	if (!c->attached)
		return -ENOTCONN;
	return c->dead ? -EPIPE : 0;
}

/* Any negative result leaves the connection unusable. */
static int check(struct smtp_client *c, int r)
{
	if (r < 0)
		c->dead = true;
	return r;
}

static void transcript(struct smtp_client *c, bool from_client, const char *line)
{
	if (c->transcript != NULL)
		c->transcript(c->transcript_arg, from_client, line);
}

/*
 * Queue c->cmd as a command line.  `shown` replaces it in the transcript
 * (for commands that carry secrets, such as AUTH); NULL shows it as is.
 */
static int queue_cmd(struct smtp_client *c, const char *shown, int timeout_ms)
{
	int r;

	transcript(c, true, shown ? shown : sb_str(&c->cmd));
	sb_put(&c->cmd, "\r\n", 2);
	r = io_write(&c->io, c->cmd.s, c->cmd.len, timeout_ms);
	sb_reset(&c->cmd);
	return check(c, r);
}

/* Read one complete reply into c->reply: its code, or -errno. */
static int read_reply(struct smtp_client *c, int timeout_ms)
{
	reply_reset(&c->reply);
	for (;;) {
		struct io_line l;
		int r = io_read_line(&c->io, timeout_ms, &l);

		if (r < 0)
			return check(c, r);
		transcript(c, false, l.s);
		r = reply_add_line(&c->reply, l.s, l.len);
		if (r < 0)
			return check(c, r == -E2BIG ? -EPROTO : r);
		if (r == 0)
			return c->reply.code;
	}
}

/* Send c->cmd alone and read its reply. */
static int command(struct smtp_client *c, int timeout_ms)
{
	int r = queue_cmd(c, NULL, timeout_ms);

	if (r == 0)
		r = check(c, io_flush(&c->io, timeout_ms));
	return r < 0 ? r : read_reply(c, timeout_ms);
}

int smtp_greeting(struct smtp_client *c)
{
	int r = usable(c);

	return r < 0 ? r : read_reply(c, c->to.initial);
}

/* --- AUTH ----------------------------------------------------------------- */

/* Give up an exchange: "*" (RFC 4954), then the server's reply code. */
static int auth_cancel(struct smtp_client *c)
{
	sb_puts(&c->cmd, "*");
	return command(c, c->to.helo);
}

int smtp_auth(struct smtp_client *c, const struct authinfo *ai, const char *server_name)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT, challenge = STRBUF_INIT;
	struct saslw_client *cl;
	enum saslw_result res;
	const char *mech;
	bool initial;
	int r = usable(c);

	if (r < 0)
		return r;
	if (!(c->ext.flags & EXT_AUTH) || c->ext.auth_mechs == NULL)
		return -EOPNOTSUPP;
	cl = saslw_client_new(server_name, ai, &err);
	sb_free(&err);
	if (cl == NULL)
		return -EOPNOTSUPP;
	if (saslw_client_secure(cl, c->auth_options,
	                        c->tls ? (unsigned)c->tls_info.cipher_bits : 0) < 0) {
		saslw_client_free(cl);
		return -EOPNOTSUPP;
	}
	res = saslw_client_start(cl, c->ext.auth_mechs, &mech, &initial, &out);
	if (res != SASLW_OK && res != SASLW_CONTINUE) {
		r = -EOPNOTSUPP;
		goto out;
	}
	snprintf(c->auth_mech, sizeof(c->auth_mech), "%s", mech);
	sb_printf(&c->cmd, "AUTH %s", mech);
	if (initial && out.len == 0)
		sb_puts(&c->cmd, " =");
	else if (initial) {
		sb_putc(&c->cmd, ' ');
		b64_encode((const unsigned char *)out.s, out.len, &c->cmd);
	}
	r = command(c, c->to.helo);
	while (r == 334) {
		size_t len;
		const char *line = reply_line(&c->reply, 0, &len);
		if (line == NULL || b64_decode(line, len, &challenge) < 0 ||
		    saslw_client_step(cl, sb_str(&challenge), challenge.len, &out) == SASLW_FAIL) {
			r = auth_cancel(c);
			break;
		}
		b64_encode((const unsigned char *)sb_str(&out), out.len, &c->cmd);
		r = command(c, c->to.helo);
	}
out:
	if (out.s != NULL)
		explicit_bzero(out.s, out.len); /* may hold the password */
	saslw_client_free(cl);
	sb_free(&out);
	sb_free(&challenge);
	return r;
}

void smtp_auth_options(struct smtp_client *c, unsigned options)
{
	c->auth_options = options;
}

const char *smtp_auth_mech(const struct smtp_client *c)
{
	return c->auth_mech;
}

static bool is_word(const char *s)
{
	return *s != '\0' && strpbrk(s, " \t\r\n") == NULL;
}

/* "EHLO name" or "HELO name", the extensions forgotten: the reply code or -errno. */
static int hello(struct smtp_client *c, const char *verb)
{
	int r = usable(c);

	if (r < 0)
		return r;
	if (!is_word(c->helo_name))
		return -EINVAL;
	ehlo_free(&c->ext);
	c->esmtp = false;
	sb_printf(&c->cmd, "%s %s", verb, c->helo_name);
	return command(c, c->to.helo);
}

int smtp_ehlo(struct smtp_client *c)
{
	int r = hello(c, "EHLO");

	if (r / 100 == 2)
		c->esmtp = ehlo_parse(&c->ext, &c->reply) == 0;
	if (r < 0 || r / 100 != 5)
		return r;
	return smtp_helo(c);
}

int smtp_helo(struct smtp_client *c)
{
	return hello(c, "HELO");
}

/* --- STARTTLS ------------------------------------------------------------ */

static int tls_failed(struct smtp_client *c, enum tls_verify v, int r)
{
	c->tls_info.verify = v;
	return r;
}

int smtp_starttls_handshake(struct smtp_client *c, struct tls_context *ctx,
                            const char *server_name)
{
	int r = usable(c);

	if (r < 0)
		return r;
	if (c->tls != NULL)
		return -EALREADY;
	if (!(c->ext.flags & EXT_STARTTLS))
		return -EOPNOTSUPP;
	sb_puts(&c->cmd, "STARTTLS");
	r = command(c, c->to.starttls);
	if (r < 0)
		return tls_failed(c, r == -EPROTO ? TLS_VERIFY_PROTOCOL : TLS_VERIFY_TEMP, r);
	if (r != 220)
		return tls_failed(c, r / 100 == 4 ? TLS_VERIFY_TEMP : TLS_VERIFY_PROTOCOL, r);
	if (io_pending(&c->io) > 0)
		return tls_failed(c, TLS_VERIFY_PROTOCOL, check(c, -EPROTO));
	r = tls_session_new(&c->tls, ctx, c->rfd, c->wfd, server_name);
	if (r == 0)
		r = tls_handshake(c->tls, c->to.starttls);
	if (r == 0)
		r = io_start_tls(&c->io, c->tls);
	if (r < 0)
		return tls_failed(c, TLS_VERIFY_SOFTWARE, check(c, r));
	tls_session_info(c->tls, &c->tls_info);
	return 220;
}

int smtp_starttls(struct smtp_client *c, struct tls_context *ctx, const char *server_name)
{
	int r = smtp_starttls_handshake(c, ctx, server_name);

	return r == 220 ? smtp_ehlo(c) : r;
}

int smtp_tls_dane(struct smtp_client *c, const struct tlsa_set *set, const char *host)
{
	if (c->tls == NULL)
		return -ENOTCONN;
	return tls_dane_verify(c->tls, set, host, &c->tls_info);
}

/* --- the envelope -------------------------------------------------------- */

/* esmtp-value = 1*(%d33-60 / %d62-126) */
static bool esmtp_value_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 33 || (unsigned char)*s > 126 || *s == '=')
			return false;
	return true;
}

static bool addr_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

static bool opt_value_ok(const char *s)
{
	return s == NULL || esmtp_value_ok(s);
}

static int validate(const struct smtp_mail *m, const struct smtp_rcpt *rcpts, size_t n)
{
	if (!addr_ok(m->from) || !opt_value_ok(m->envid) || !opt_value_ok(m->auth))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned notify = rcpts[i].notify;
		if (!addr_ok(rcpts[i].addr) || !opt_value_ok(rcpts[i].orcpt))
			return -EINVAL;
		if ((notify & SMTP_NOTIFY_NEVER) && notify != SMTP_NOTIFY_NEVER)
			return -EINVAL;
	}
	return 0;
}

static void build_mail(struct smtp_client *c, const struct smtp_mail *m)
{
	unsigned ext = c->ext.flags;

	sb_printf(&c->cmd, "MAIL From:<%s>", m->from);
	if ((ext & EXT_SIZE) && m->size > 0)
		sb_printf(&c->cmd, " SIZE=%llu", m->size);
	if ((ext & EXT_8BITMIME) && m->body != SMTP_BODY_UNSPEC && m->body_spelling != NULL)
		sb_printf(&c->cmd, " BODY=%s", m->body_spelling);
	else if ((ext & EXT_8BITMIME) && m->body != SMTP_BODY_UNSPEC)
		sb_puts(&c->cmd, m->body == SMTP_BODY_8BITMIME ? " BODY=8BITMIME" : " BODY=7BIT");
	if ((ext & EXT_SMTPUTF8) && m->smtputf8)
		sb_puts(&c->cmd, " SMTPUTF8");
	if ((ext & EXT_DSN) && m->envid != NULL)
		sb_printf(&c->cmd, " ENVID=%s", m->envid);
	if ((ext & EXT_DSN) && m->ret != SMTP_RET_UNSPEC)
		sb_puts(&c->cmd, m->ret == SMTP_RET_FULL ? " RET=FULL" : " RET=HDRS");
	if ((ext & EXT_AUTH) && m->auth != NULL)
		sb_printf(&c->cmd, " AUTH=%s", m->auth);
}

static void build_notify(struct strbuf *sb, unsigned notify)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {SMTP_NOTIFY_SUCCESS, "SUCCESS"},
	    {SMTP_NOTIFY_FAILURE, "FAILURE"},
	    {SMTP_NOTIFY_DELAY, "DELAY"},
	    {SMTP_NOTIFY_NEVER, "NEVER"},
	};
	const char *sep = " NOTIFY=";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (notify & names[i].bit) {
			sb_puts(sb, sep);
			sb_puts(sb, names[i].name);
			sep = ",";
		}
	}
}

static void build_rcpt(struct smtp_client *c, const struct smtp_rcpt *r)
{
	sb_printf(&c->cmd, "RCPT To:<%s>", r->addr);
	if (c->ext.flags & EXT_DSN) {
		build_notify(&c->cmd, r->notify);
		if (r->orcpt != NULL)
			sb_printf(&c->cmd, " ORCPT=%s", r->orcpt);
	}
}

void smtp_rcpt_clear(struct smtp_rcpt *r)
{
	free(r->text);
	r->text = NULL;
	r->code = 0;
	r->enhanced[0] = '\0';
}

static void store_result(struct smtp_client *c, struct smtp_rcpt *r)
{
	r->code = c->reply.code;
	memcpy(r->enhanced, c->reply.enhanced, sizeof(r->enhanced));
	r->text = xstrdup(sb_str(&c->reply.text));
	if (c->mail != NULL && c->mail->rcpt_reply != NULL)
		c->mail->rcpt_reply(c->mail->rcpt_reply_arg, (size_t)(r - c->rcpt_base), r);
}

static int send_mail(struct smtp_client *c, const struct smtp_mail *m)
{
	build_mail(c, m);
	return queue_cmd(c, NULL, c->to.mail);
}

/* One pipelined group: MAIL (while *mail_code is 0: not sent yet) and n RCPTs. */
static int pipeline_group(struct smtp_client *c, const struct smtp_mail *m, int *mail_code,
			  struct smtp_rcpt *rcpts, size_t n)
{
	int r = 0;

	if (*mail_code == 0)
		r = send_mail(c, m);
	for (size_t i = 0; i < n && r == 0; i++) {
		build_rcpt(c, &rcpts[i]);
		r = queue_cmd(c, NULL, c->to.rcpt);
	}
	if (r == 0)
		r = check(c, io_flush(&c->io, *mail_code == 0 ? c->to.mail : c->to.rcpt));
	if (r == 0 && *mail_code == 0)
		r = *mail_code = read_reply(c, c->to.mail);
	for (size_t i = 0; i < n && r >= 0; i++) {
		r = read_reply(c, c->to.rcpt);
		if (r >= 0)
			store_result(c, &rcpts[i]);
	}
	return r < 0 ? r : 0;
}

/* One flight of RCPTs, with DATA behind the last one when `last`. */
static int rcpt_data_flight(struct smtp_client *c, struct smtp_rcpt *rcpts, size_t n, bool last)
{
	int r = 0;
	bool any = false;

	for (size_t i = 0; i < n && r == 0; i++) {
		build_rcpt(c, &rcpts[i]);
		r = queue_cmd(c, NULL, c->to.rcpt);
	}
	if (r == 0 && last) {
		sb_puts(&c->cmd, "DATA");
		r = queue_cmd(c, NULL, c->to.datainit);
	}
	if (r == 0)
		r = check(c, io_flush(&c->io, c->to.rcpt));
	for (size_t i = 0; i < n && r >= 0; i++) {
		r = read_reply(c, c->to.rcpt);
		if (r >= 0)
			store_result(c, &rcpts[i]);
	}
	if (r < 0 || !last)
		return r < 0 ? r : 0;
	r = read_reply(c, c->to.datainit);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		any |= rcpts[i].code / 100 == 2;
	if (r == 354 && !any) {
		/* a server that takes DATA without recipients gets an empty message */
		transcript(c, true, ".");
		r = check(c, io_write(&c->io, ".\r\n", 3, c->to.datablock));
		if (r == 0)
			r = check(c, io_flush(&c->io, c->to.datablock));
		if (r == 0)
			r = read_reply(c, c->to.datafinal);
		return r < 0 ? r : 0;
	}
	c->data_pending = true;
	c->data_code = r;
	return 0;
}

/*
 * sendmail's pipelining: MAIL alone, then the RCPTs and DATA in one
 * flight (flights of SMTP_PIPELINE_MAX commands when there are many).
 */
static int mail_rcpt_data_pipelined(struct smtp_client *c, const struct smtp_mail *m,
				    struct smtp_rcpt *rcpts, size_t n)
{
	int mail_code, r;
	size_t done = 0;

	build_mail(c, m);
	mail_code = command(c, c->to.mail);
	if (mail_code / 100 != 2)
		return mail_code;
	do {
		size_t room = SMTP_PIPELINE_MAX - 1;
		size_t k = n - done < room ? n - done : room;
		r = rcpt_data_flight(c, rcpts + done, k, done + k == n);
		if (r < 0)
			return r;
		done += k;
	} while (done < n);
	return mail_code;
}

static int mail_rcpt_pipelined(struct smtp_client *c, const struct smtp_mail *m,
			       struct smtp_rcpt *rcpts, size_t n)
{
	int mail_code = 0;
	size_t done = 0;

	do {
		size_t room = SMTP_PIPELINE_MAX - (mail_code == 0 ? 1 : 0);
		size_t k = n - done < room ? n - done : room;
		int r = pipeline_group(c, m, &mail_code, rcpts + done, k);
		if (r < 0)
			return r;
		done += k;
	} while (done < n && mail_code / 100 == 2);
	return mail_code;
}

static int mail_rcpt_serial(struct smtp_client *c, const struct smtp_mail *m,
			    struct smtp_rcpt *rcpts, size_t n)
{
	int mail_code, r;

	build_mail(c, m);
	mail_code = command(c, c->to.mail);
	if (mail_code / 100 != 2)
		return mail_code;
	for (size_t i = 0; i < n; i++) {
		build_rcpt(c, &rcpts[i]);
		if ((r = command(c, c->to.rcpt)) < 0)
			return r;
		store_result(c, &rcpts[i]);
	}
	return mail_code;
}

int smtp_mail_rcpt(struct smtp_client *c, const struct smtp_mail *m, struct smtp_rcpt *rcpts,
		   size_t nrcpts)
{
	int r = usable(c);

	if (r < 0)
		return r;
	if ((r = validate(m, rcpts, nrcpts)) < 0)
		return r;
	for (size_t i = 0; i < nrcpts; i++)
		smtp_rcpt_clear(&rcpts[i]);
	c->data_pending = false;
	c->mail = m;
	c->rcpt_base = rcpts;
	if ((c->ext.flags & EXT_PIPELINING) && m->pipeline_data)
		r = mail_rcpt_data_pipelined(c, m, rcpts, nrcpts);
	else if (c->ext.flags & EXT_PIPELINING)
		r = mail_rcpt_pipelined(c, m, rcpts, nrcpts);
	else
		r = mail_rcpt_serial(c, m, rcpts, nrcpts);
	c->mail = NULL;
	c->rcpt_base = NULL;
	return r;
}

/* --- DATA ---------------------------------------------------------------- */

/* Hand the encoded bytes in sb to the connection once enough piled up. */
static int push_encoded(struct smtp_client *c, struct strbuf *sb, bool all)
{
	int r = 0;

	if (sb->len >= DATA_CHUNK || (all && sb->len > 0))
		r = check(c, io_write(&c->io, sb->s, sb->len, c->to.datablock));
	if (sb->len >= DATA_CHUNK || all)
		sb_reset(sb);
	return r;
}

static int send_body(struct smtp_client *c, const char *headers, size_t hlen, FILE *body,
		     struct strbuf *sb)
{
	struct data_enc e;
	char *buf = xmalloc(DATA_CHUNK);
	int r = 0;

	data_enc_init(&e);
	data_enc_set_limit(&e, c->line_limit);
	if (headers != NULL && hlen > 0) {
		data_enc_put(&e, headers, hlen, sb);
		data_enc_end_line(&e, sb);
		data_enc_put(&e, "\n", 1, sb);
	}
	while (r == 0 && body != NULL) {
		size_t n = fread(buf, 1, DATA_CHUNK, body);
		data_enc_put(&e, buf, n, sb);
		r = push_encoded(c, sb, false);
		if (n < DATA_CHUNK) {
			if (ferror(body))
				r = check(c, -EIO);
			break;
		}
	}
	free(buf);
	if (r < 0)
		return r;
	if (c->blank_end)
		data_enc_put(&e, "\n", 1, sb);
	data_enc_finish(&e, sb);
	return push_encoded(c, sb, true);
}

void smtp_set_line_limit(struct smtp_client *c, size_t limit)
{
	c->line_limit = limit;
}

void smtp_set_blank_end(struct smtp_client *c, bool blank)
{
	c->blank_end = blank;
}

int smtp_data(struct smtp_client *c, const char *headers, size_t hlen, FILE *body)
{
	struct strbuf sb = STRBUF_INIT;
	int r = usable(c);

	if (r < 0)
		return r;
	c->message_sent = false;
	if (c->data_pending) {
		c->data_pending = false;
		r = c->data_code;
	} else {
		sb_puts(&c->cmd, "DATA");
		r = command(c, c->to.datainit);
	}
	if (r != 354)
		return r;
	c->message_sent = true;
	r = send_body(c, headers, hlen, body, &sb);
	sb_free(&sb);
	if (r < 0)
		return r;
	transcript(c, true, ".");
	r = check(c, io_flush(&c->io, c->to.datablock));
	return r < 0 ? r : read_reply(c, c->to.datafinal);
}

bool smtp_data_message_sent(const struct smtp_client *c)
{
	return c->message_sent;
}

/* --- RSET, QUIT ---------------------------------------------------------- */

/*
 * A DATA that was answered 354 and never followed by the message leaves
 * the server reading message text: no command may follow, only closing
 * the connection loses nothing.
 */
static int abandon_open_data(struct smtp_client *c)
{
	if (!c->data_pending || c->data_code != 354)
		return 0;
	c->data_pending = false;
	c->dead = true;
	return -EPIPE;
}

int smtp_rset(struct smtp_client *c)
{
	int r = usable(c);

	if (r == 0)
		r = abandon_open_data(c);
	if (r < 0)
		return r;
	sb_puts(&c->cmd, "RSET");
	return command(c, c->to.rset);
}

int smtp_quit(struct smtp_client *c)
{
	int r = usable(c);

	if (r == 0)
		r = abandon_open_data(c);
	if (r < 0)
		return r;
	sb_puts(&c->cmd, "QUIT");
	r = command(c, c->to.quit);
	if (r >= 0 && c->tls != NULL)
		tls_bye(c->tls, c->to.quit); /* the peer may be gone already */
	c->dead = true;
	return r;
}
