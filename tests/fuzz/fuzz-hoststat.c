/*
 * fuzz-hoststat: arbitrary bytes as a HostStatusDirectory file
 * (deliver/hoststat).  The files are the MTA's own, but a damaged or
 * hand-edited one must not make a delivery crash: every field stays
 * within its bounds and terminated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver/hoststat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_status st;
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	memset(&st, 0, sizeof(st));
	hoststat_parse(f, &st);
	fclose(f);
	if (memchr(st.dsn, '\0', sizeof(st.dsn)) == NULL ||
	    memchr(st.reply, '\0', sizeof(st.reply)) == NULL)
		abort();
	return 0;
}
