/*
 * fuzz-dsn: a DSN built for an arbitrary envelope.  The input is a qf (as
 * fuzz-qf reads it); an envelope it accepts carries what SMTP clients
 * choose — ENVID and ORCPT in xtext, addresses, headers, status texts —
 * into every kind of DSN, whose building must not crash, leak or loop,
 * and whose MIME form must end with its closing boundary.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/readcf.h"
#include "msg/dsn.h"
#include "msg/envelope.h"
#include "queue/qf.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_cf[] = "V10/Berkeley\n"
			      "O ServiceSwitchFile=/dev/null/none\n"
			      "O HostsFile=/dev/null\n"
			      "O OperatorChars=.:%@!^/[]+\n"
			      "Dj oracle.example.org\n"
			      "Cwlocalhost oracle.example.org\n"
			      "Mlocal, P=/bin/true, F=lsDFMAw5:/|@qPn9S, A=mail.local -l\n"
			      "Mesmtp, P=[IPC], F=mDFMuXa, E=\\r\\n, L=990, A=TCP $h\n"
			      "Scanonify=3\n"
			      "R$*<$*>$*\t$2\n"
			      "R$+@$+\t$: $1<@$2>\n"
			      "Sparse=0\n"
			      "R$*<@$+>$*\t$#esmtp $@ $2 $: $1<@$2>$3\n"
			      "R$+\t$#local $: $1\n"
			      "H?P?Return-Path: <$g>\n"
			      "HReceived: $?sfrom $s $.by $j id $i$?u for $u; $|;$.$b\n"
			      "H?D?Date: $a\n"
			      "H?F?From: $?x$x <$g>$|$g$.\n"
			      "H?M?Message-Id: <$t.$i@$j>\n";

static struct cf *cf;
static FILE *devnull;

static void setup(void)
{
	FILE *in = fmemopen((void *)base_cf, sizeof(base_cf) - 1, "r");

	devnull = fopen("/dev/null", "w");
	cf = cf_new(devnull);
	cf->dns_disabled = true;
	cf_read_stream(cf, in, "fuzz.cf");
	cf_finish(cf, false);
	fclose(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum dsn_kind kinds[] = {DSN_FAILURE, DSN_DELAY, DSN_SUCCESS,
					      DSN_POSTMASTER};
	static const char body[] = "body line\nFrom the start\n";
	struct envelope e;
	struct qf_error err;
	int fd;
	int n = 0;

	if (cf == NULL)
		setup();
	if (qf_parse(&e, (const char *)data, size, &err) != 0)
		return 0;
	/* every recipient gets a result, its status message as the reason */
	for (struct env_rcpt *r = e.rcpts; r != NULL; r = r->next, n++) {
		static const enum rcpt_outcome o[] = {RCPT_FAILED, RCPT_DEFERRED, RCPT_RELAYED};
		r->result.outcome = o[n % 3];
		snprintf(r->result.status, sizeof(r->result.status), "5.1.%d", n % 10);
		r->result.reason = xstrdup(r->statmsg ? r->statmsg : "550 unknown");
		r->result.diagnostic = xstrdup(r->result.reason);
		r->result.remote_mta = xstrdup("DNS; [127.0.0.1]");
	}
	sb_puts(&e.transcript, e.message ? e.message : "");
	fd = memfd_create("fuzz-dsn", MFD_CLOEXEC);
	if (fd < 0 || write(fd, body, sizeof(body) - 1) != (ssize_t)(sizeof(body) - 1))
		abort();
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct dsn_request rq = {.kind = kinds[k], .orig = &e, .orig_df = fd};
		struct macro_env env = {.parent = &cf->macros};
		struct envelope d;
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		rq.return_to = e.sender && *e.sender ? e.sender : "postmaster";
		rq.mime = k != 3;
		rq.headers_only = k == 1;
		rq.pass_dsn_params = true;
		rq.warn_after = 3600;
		rq.return_after = 5 * 86400;
		rq.expired_after = k == 0 ? 86400 : 0;
		rq.now = 1795326938;
		envelope_init(&d);
		snprintf(d.id, sizeof(d.id), "6AM2GXII000023");
		if (dsn_build(cf, &env, &rq, &d, f) != 0)
			abort();
		fclose(f);
		if (rq.mime && (len < 5 || strstr(out, "6AM2GXII000023.1795326938/") == NULL ||
				memcmp(out + len - 4, "--\n\n", 4) != 0)) {
			fprintf(stderr, "fuzz-dsn: MIME form without its closing boundary:\n%s",
				out);
			abort();
		}
		free(out);
		envelope_free(&d);
		macro_env_clear(&env);
	}
	close(fd);
	envelope_free(&e);
	return 0;
}
