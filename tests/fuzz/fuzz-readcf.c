/*
 * fuzz-readcf: feeds arbitrary bytes to the sendmail.cf reader as a whole
 * configuration file, then runs the post-read checks and dumps every
 * ruleset and mailer the way =S and =M do.  Any crash, hang, leak or
 * undefined behaviour is a bug: sendmail.cf is trusted input, but a broken
 * one must produce errors, never memory corruption.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cf/cf.h"
#include "cf/mailer.h"
#include "cf/readcf.h"
#include "testmode/testmode.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	FILE *in = fmemopen((void *)data, size, "r");
	struct cf *cf;

	if (devnull == NULL || in == NULL) {
		if (in)
			fclose(in);
		if (devnull)
			fclose(devnull);
		return 0;
	}
	cf = cf_new(devnull);
	cf->dns_disabled = true;
	cf_read_stream(cf, in, "fuzz.cf");
	cf_finish(cf, true);
	for (int i = 0; i < MAXRWSETS; i++) {
		char spec[16];
		snprintf(spec, sizeof(spec), "=S%d", i);
		testmode_line(cf, spec);
	}
	{
		char m[] = "=M";
		testmode_line(cf, m);
	}
	cf_free(cf);
	fclose(in);
	fclose(devnull);
	return 0;
}
