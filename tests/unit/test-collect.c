/* Unit tests for lib/msg/collect and the default headers (lib/msg/headers):
 * expected values are what sendmail 8.17.1 stored for the same input. */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "cf-fixture.h"
#include "cf/macro.h"
#include "msg/collect.h"
#include "msg/envelope.h"
#include "msg/headers.h"
#include "util/strbuf.h"
#include "cf/meta.h"

struct run {
	struct envelope e;
	struct collect_result r;
	char *df;
	size_t dflen;
};

static void collect_text(const char *input, size_t len, const struct collect_opts *o, struct run *run)
{
	FILE *in = fmemopen((void *)input, len, "r");
	FILE *df = open_memstream(&run->df, &run->dflen);
	struct collect_file_source fs;
	struct collect_source src;

	envelope_init(&run->e);
	collect_file_source_init(&fs, in, &src);
	collect_message(&src, df, &run->e, o, &run->r);
	collect_file_source_free(&fs);
	fclose(df);
	fclose(in);
}

static void done(struct run *run)
{
	envelope_free(&run->e);
	free(run->df);
}

static void test_basic(void)
{
	struct collect_opts o = {0};
	struct run run;
	const char *in = "Subject: hello\n\nbody line\n";
	collect_text(in, strlen(in), &o, &run);
	CHECK_STR(run.e.headers->name, "Subject");
	CHECK_STR(run.e.headers->value, " hello");
	CHECK_STR(run.df, "body line\n");
	/* sendmail's e_msgsize: 26 for this message */
	CHECK_INT(run.r.header_bytes + run.r.body_bytes, 26);
	done(&run);
}

static void test_crlf_dot_and_from(void)
{
	struct collect_opts o = {0};
	struct run run;
	const char *in = "From nobody Mon Jan 1\r\nSubject: crlf\r\n\r\nline\r\n.\r\nafter\r\n";
	collect_text(in, strlen(in), &o, &run);
	CHECK_STR(run.e.headers->name, "Subject");
	CHECK(run.e.headers->next == NULL);
	CHECK_STR(run.df, "line\n");
	done(&run);
}

static void test_ignore_dots_and_last_line(void)
{
	struct collect_opts o = {.ignore_dots = true};
	struct run run;
	const char *in = "Subject: x\n\na\n.\nb";
	collect_text(in, strlen(in), &o, &run);
	CHECK_STR(run.df, "a\n.\nb");
	done(&run);
}

static void test_headers(void)
{
	struct collect_opts o = {0};
	struct run run;
	const char *in = "To: nobody\nSubject: folded\n header\nX-Empty:\nSubject : a\nX-A:b\n"
			 "Bad Header: x\n\nbody\n";
	struct env_header *h;
	collect_text(in, strlen(in), &o, &run);
	h = run.e.headers;
	CHECK_STR(h->value, " nobody");
	h = h->next;
	CHECK_STR(h->value, " folded\n header");
	h = h->next;
	CHECK_STR(h->name, "X-Empty");
	CHECK_STR(h->value, "");
	h = h->next;
	CHECK_STR(h->name, "Subject");
	h = h->next;
	CHECK_STR(h->value, "b");
	CHECK(h->next == NULL);
	/* a line that is no header starts the body */
	CHECK_STR(run.df, "Bad Header: x\n\nbody\n");
	done(&run);
}

/* a source handing out fixed parts, as io_read_piece does with long lines */
struct parts {
	const char *const *text;
	const bool *whole;
	int next, n;
	char buf[64];
};

static ssize_t parts_read(void *arg, char **line, bool *terminated)
{
	struct parts *p = arg;

	if (p->next == p->n)
		return -1;
	snprintf(p->buf, sizeof(p->buf), "%s", p->text[p->next]);
	*terminated = p->whole[p->next++];
	*line = p->buf;
	return (ssize_t)strlen(p->buf);
}

/* parts of one line: no dot removed, no end of data, no new header */
static void test_line_parts(void)
{
	static const char *const text[] = {"Subject: a long", " one", "X-B: c", "",
					   "..dot", ".", "Tail: x", ".", "end", "."};
	static const bool whole[] = {false, true, true, true, false, false, false, true, true, true};
	struct parts p = {text, whole, 0, 10, ""};
	struct collect_source src = {parts_read, &p};
	struct collect_opts o = {.smtp = true};
	struct run run = {0};
	FILE *df = open_memstream(&run.df, &run.dflen);

	envelope_init(&run.e);
	collect_message(&src, df, &run.e, &o, &run.r);
	fclose(df);
	CHECK_STR(run.e.headers->value, " a long one");
	CHECK_STR(run.e.headers->next->value, " c");
	CHECK_STR(run.df, ".dot.Tail: x.\nend\n");
	CHECK_INT(p.next, 10);
	CHECK_INT(run.r.header_bytes + run.r.body_bytes, 46);
	done(&run);
}

static void test_nul_and_size(void)
{
	struct collect_opts o = {.reject_nul = true};
	struct collect_opts small = {.max_size = 10};
	struct run run;
	static const char in[] = "Subject: a\n\nx\0y\n";
	collect_text(in, sizeof(in) - 1, &o, &run);
	CHECK_INT(run.r.status, COLLECT_NUL);
	done(&run);
	collect_text("Subject: 0123456789\n\nbody\n", 26, &small, &run);
	CHECK_INT(run.r.status, COLLECT_TOO_BIG);
	done(&run);
}

static void test_default_headers(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\n"
				     "H?P?Return-Path: <$g>\n"
				     "HReceived: $?sfrom $s $.$?_($?s$|from $.$_)\n"
				     "\t$.by $j ($v/$Z) id $i$?u\n\tfor $u; $|;\n\t$.$b\n"
				     "H?D?Resent-Date: $a\n"
				     "H?D?Date: $a\n"
				     "H?F?From: $?x$x <$g>$|$g$.\n"
				     "H?x?Full-Name: $x\n"
				     "H?M?Message-Id: <$t.$i@$j>\n");
	struct envelope e;
	struct env_header *h;
	struct strbuf rp = STRBUF_INIT;

	macro_define_text(cf, &cf->macros, 'j', "oracle.example.org");
	macro_define_text(cf, &cf->macros, 'v', "0.1.0");
	macro_define_text(cf, &cf->macros, 'Z', "8.17.1.9/Submit");
	macro_define_text(cf, &cf->macros, 'i', "6AM2IPk7000031");
	macro_define_text(cf, &cf->macros, '_', "root@localhost");
	macro_define_text(cf, &cf->macros, 'u', "nobody");
	macro_define_text(cf, &cf->macros, 'a', "Sun, 22 Nov 2026 02:18:25 GMT");
	macro_define_text(cf, &cf->macros, 'b', "Sun, 22 Nov 2026 02:18:25 GMT");
	macro_define_text(cf, &cf->macros, 't', "202611220218");
	macro_define_text(cf, &cf->macros, 'g', "root");
	macro_define_text(cf, &cf->macros, 'x', "root");
	envelope_init(&e);
	envelope_add_header(&e, "Subject", " s", NULL);
	headers_add_defaults(cf, &cf->macros, &e, false);
	h = e.headers;
	CHECK_STR(h->name, "Return-Path");
	CHECK_STR(h->cond, "P");
	meta_xputs(cf, &rp, h->value);
	CHECK_STR(sb_str(&rp), " <$g>"); /* bound late: kept unexpanded */
	h = h->next;
	CHECK_STR(h->name, "Received");
	CHECK_STR(h->value, " (from root@localhost)\n\tby oracle.example.org (0.1.0/8.17.1.9/Submit)"
			    " id 6AM2IPk7000031\n\tfor nobody; Sun, 22 Nov 2026 02:18:25 GMT");
	h = h->next;
	CHECK_STR(h->name, "Date"); /* no Resent-Date: the message is not resent */
	CHECK_STR(h->cond, "D");
	h = h->next;
	CHECK_STR(h->value, " root <root>");
	h = h->next;
	CHECK_STR(h->name, "Full-Name");
	h = h->next;
	CHECK_STR(h->value, " <202611220218.6AM2IPk7000031@oracle.example.org>");
	h = h->next;
	CHECK_STR(h->name, "Subject");
	CHECK(h->next == NULL);
	sb_free(&rp);
	envelope_free(&e);
	fixture_unload(cf);
}

/* A data file that cannot be written (/dev/full: ENOSPC) is told apart
 * from an input that broke off, and the input is still read to its end. */
static void test_write_error(void)
{
	struct collect_opts o = {.smtp = true};
	struct collect_result r;
	struct envelope e;
	struct collect_file_source fs;
	struct collect_source src;
	const char *text = "Subject: full\r\n\r\nbody\r\n.\r\nQUIT\r\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *df = fopen("/dev/full", "w");
	char rest[16] = "";

	CHECK(df != NULL);
	if (df == NULL)
		return;
	envelope_init(&e);
	collect_file_source_init(&fs, in, &src);
	CHECK_INT(collect_message(&src, df, &e, &o, &r), -1);
	CHECK_INT(r.status, COLLECT_WRITE_ERROR);
	CHECK_INT(r.write_errno, ENOSPC);
	CHECK(fgets(rest, sizeof(rest), in) != NULL);
	CHECK_STR(rest, "QUIT\r\n"); /* the dot ended the message */
	collect_file_source_free(&fs);
	fclose(df);
	fclose(in);
	envelope_free(&e);
}

static const struct test_case tests[] = {
	{"line_parts", test_line_parts},
	{"write error", test_write_error},
	{"basic", test_basic},
	{"CRLF, dot and From line", test_crlf_dot_and_from},
	{"ignore dots, last line", test_ignore_dots_and_last_line},
	{"headers", test_headers},
	{"NUL and size", test_nul_and_size},
	{"default headers", test_default_headers},
};

int main(void)
{
	return RUN_TESTS(tests);
}
