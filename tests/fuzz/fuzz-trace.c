/*
 * fuzz-trace: arbitrary bytes as a journal MESSAGE for lib/log/trace —
 * the text anyone who can log may write.  The first line is the message,
 * the rest a Message-Id to look for.  A queue ID taken from a stat=Sent
 * must be a valid one (letters and digits, 6 to TRACE_QID_MAX) that occurs
 * in the message; a from= match must have the Message-Id in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *msgid;
	char qid[TRACE_QID_MAX + 1];

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	msgid = strchr(buf, '\n');
	if (msgid != NULL)
		*msgid++ = '\0';
	else
		msgid = buf + strlen(buf);
	memset(qid, 'x', sizeof(qid));
	if (trace_relayed_qid(buf, qid)) {
		if (memchr(qid, '\0', sizeof(qid)) == NULL || !trace_valid_qid(qid, strlen(qid)) ||
		    strstr(buf, qid) == NULL)
			abort();
	}
	if (trace_from_msgid(buf, msgid) && (*msgid == '\0' || strstr(buf, msgid) == NULL))
		abort();
	free(buf);
	return 0;
}
