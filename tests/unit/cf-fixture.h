/*
 * cf-fixture: loading a configuration from a string for unit tests, with
 * its messages sent to /dev/null, and freeing it again.
 */
#ifndef SDMAIL_TESTS_CF_FIXTURE_H
#define SDMAIL_TESTS_CF_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "cf/cf.h"
#include "cf/readcf.h"

static inline struct cf *fixture_load(const char *text)
{
	struct cf *cf = cf_new(fopen("/dev/null", "w"));
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	cf_read_stream(cf, in, "test.cf");
	fclose(in);
	return cf;
}

static inline void fixture_unload(struct cf *cf)
{
	FILE *out = cf->out;
	cf_free(cf);
	fclose(out);
}

#endif
