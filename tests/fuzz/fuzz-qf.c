/*
 * fuzz-qf: feeds arbitrary bytes to the qf reader.  Queue files are
 * written by sdmail and sendmail, but a disk, an editor or an attacker with
 * queue access can leave anything there: the reader must reject it or
 * accept it, never crash, leak or loop.  What it accepts must survive a
 * write and a second read unchanged (the writer's output is a fixed
 * point), or the target aborts.  The queue run's test for a line of no
 * known type (qf_bad_line) runs on the same bytes: a file it flags must be
 * one the reader rejects; so does its test for a file cut short
 * (qf_cut_short): such a file is never read either.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg/envelope.h"
#include "queue/qf.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct envelope e, again;
	struct strbuf first = STRBUF_INIT, second = STRBUF_INIT;
	struct qf_error err;
	char bad[64];
	int lineno = 0, flagged = qf_bad_line((const char *)data, size, &lineno, bad, sizeof(bad));

	bool cut = qf_cut_short((const char *)data, size);

	if (flagged && lineno < 1)
		abort();
	if (qf_parse(&e, (const char *)data, size, &err) != 0)
		return 0;
	if (cut) {
		fprintf(stderr, "fuzz-qf: cut short but the file was read\n");
		abort();
	}
	if (flagged) {
		fprintf(stderr, "fuzz-qf: line %d flagged but the file was read\n", lineno);
		abort();
	}
	qf_format(&first, &e);
	if (qf_parse(&again, first.s, first.len, &err) != 0) {
		fprintf(stderr, "fuzz-qf: own output rejected at line %d: %s\n%s", err.line,
			err.reason, sb_str(&first));
		abort();
	}
	qf_format(&second, &again);
	if (first.len != second.len || memcmp(first.s, second.s, first.len) != 0) {
		fprintf(stderr, "fuzz-qf: output changed by a round trip:\n%s---\n%s",
			sb_str(&first), sb_str(&second));
		abort();
	}
	sb_free(&first);
	sb_free(&second);
	envelope_free(&e);
	envelope_free(&again);
	return 0;
}
