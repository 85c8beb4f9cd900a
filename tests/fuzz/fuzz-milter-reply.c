/*
 * fuzz-milter-reply: arbitrary bytes as what a mail filter sends back.
 * They go through a socket pair into the connection reader (length
 * prefix, command byte, bounded by the 1 MB limit), and every packet read
 * is given to the option negotiation parser (the first) and the reply
 * parser (all of them), then to milter_reply_code_ok.  Filters are other
 * processes and may be hostile: every string the parsers hand out must
 * lie inside the packet and end with its NUL there; any crash, hang, leak
 * or undefined behaviour is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "milter/conn.h"
#include "milter/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const struct milter_conn *c, const char *s)
{
	if (s == NULL)
		return;
	if (s < c->data || s >= c->data + c->len + 1)
		abort();
	if (memchr(s, '\0', (size_t)(c->data + c->len + 1 - s)) == NULL)
		abort();
}

static void check_packet(const struct milter_conn *c, bool first)
{
	struct milter_reply r;
	struct milter_optneg opt;

	if (first && milter_parse_optneg(c->cmd, c->data, c->len, &opt) == OPTNEG_OK) {
		for (int i = 0; i < MILTER_MACROS_COUNT; i++)
			if (opt.macros[i] != NULL)
				(void)strlen(opt.macros[i]);
		milter_optneg_free(&opt);
	}
	if (milter_parse_reply(c->cmd, c->data, c->len, &r) != REPLY_OK)
		return;
	inside(c, r.str);
	inside(c, r.str2);
	if (r.body != NULL && (r.body != c->data || r.body_len != c->len))
		abort();
	if (r.cmd == SMFIR_REPLYCODE && !milter_reply_code_ok(r.str))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct milter_conn c;
	int sv[2];
	bool first = true;

	if (size > 65536 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 0;
	int buf = 1 << 18;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (write(sv[0], data, size) != (ssize_t)size) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	close(sv[0]);
	milter_conn_init(&c);
	c.fd = sv[1];
	while (milter_conn_read(&c, 1000, MILTER_MAX_DATA_1M) == MIO_OK) {
		check_packet(&c, first);
		first = false;
	}
	milter_conn_close(&c);
	free(c.data);
	return 0;
}
