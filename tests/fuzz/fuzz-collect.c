/*
 * fuzz-collect: feeds arbitrary bytes as a message on standard input to
 * collect_message, the reader the setgid sendmail command runs on
 * whatever its caller pipes in.  The first byte picks the options (-i,
 * SMTP dot rules, SevenBitInput, RejectNUL, SaveFromLine).  Beyond not
 * crashing, leaking or looping: the headers it took must go into a queue
 * file and come back unchanged (no header text can add or end qf lines),
 * and the byte counts must match what was written to the df.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg/collect.h"
#include "msg/envelope.h"
#include "queue/qf.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_headers_survive(const struct envelope *e)
{
	struct envelope back;
	struct strbuf text = STRBUF_INIT;
	struct qf_error err;
	const struct env_header *a, *b;

	qf_format(&text, e);
	if (qf_parse(&back, text.s, text.len, &err) != 0) {
		fprintf(stderr, "fuzz-collect: qf rejected at line %d: %s\n%s", err.line, err.reason,
			text.s);
		abort();
	}
	for (a = e->headers, b = back.headers; a && b; a = a->next, b = b->next)
		if (strcmp(a->name, b->name) != 0 || strcmp(a->value, b->value) != 0)
			break;
	if (a != NULL || b != NULL) {
		fprintf(stderr, "fuzz-collect: header changed in the qf:\n%s", text.s);
		abort();
	}
	envelope_free(&back);
	sb_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect_opts o = {0};
	struct collect_result r;
	struct collect_file_source fs;
	struct collect_source src;
	struct envelope e;
	char *dfbuf = NULL;
	size_t dflen = 0;
	FILE *in, *df;

	if (size == 0)
		return 0;
	o.ignore_dots = data[0] & 1;
	o.smtp = data[0] & 2;
	o.seven_bit = data[0] & 4;
	o.reject_nul = data[0] & 8;
	o.save_from_line = data[0] & 16;
	o.max_size = (data[0] & 32) ? 64 : 0;
	in = fmemopen((void *)(data + 1), size - 1 > 0 ? size - 1 : 1, "r");
	df = open_memstream(&dfbuf, &dflen);
	if (in == NULL || df == NULL)
		abort();
	if (size == 1)
		fgetc(in); /* fmemopen needs a size; read the one byte away */
	envelope_init(&e);
	snprintf(e.id, sizeof(e.id), "%s", "6AM2GXII000023");
	envelope_set(&e.sender, "fuzz");
	collect_file_source_init(&fs, in, &src);
	collect_message(&src, df, &e, &o, &r);
	collect_file_source_free(&fs);
	fclose(df);
	if (r.status == COLLECT_OK && (long long)dflen != r.body_bytes) {
		fprintf(stderr, "fuzz-collect: %zu bytes in the df, %lld counted\n", dflen,
			r.body_bytes);
		abort();
	}
	if (o.seven_bit && r.status == COLLECT_OK)
		for (size_t i = 0; i < dflen; i++)
			if ((unsigned char)dfbuf[i] >= 0x80)
				abort();
	check_headers_survive(&e);
	envelope_free(&e);
	free(dfbuf);
	fclose(in);
	return 0;
}
