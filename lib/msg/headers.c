/*
 * headers: the header flag table (headers.h).
 */
#include "msg/headers.h"

#include <stddef.h>
#include <strings.h>

static const struct {
	const char *name;
	unsigned long flags;
} header_table[] = {
	{"resent-sender", H_FROM | H_RESENT},
	{"resent-from", H_FROM | H_RESENT},
	{"resent-reply-to", H_FROM | H_RESENT},
	{"sender", H_FROM},
	{"from", H_FROM},
	{"reply-to", H_FROM},
	{"errors-to", H_FROM | H_ERRORSTO},
	{"full-name", H_ACHECK},
	{"return-receipt-to", H_RECEIPTTO},
	{"delivery-receipt-to", H_RECEIPTTO},
	{"disposition-notification-to", H_FROM},
	{"to", H_RCPT},
	{"resent-to", H_RCPT | H_RESENT},
	{"cc", H_RCPT},
	{"resent-cc", H_RCPT | H_RESENT},
	{"bcc", H_RCPT | H_BCC},
	{"resent-bcc", H_RCPT | H_BCC | H_RESENT},
	{"apparently-to", H_RCPT},
	{"message-id", 0},
	{"resent-message-id", H_RESENT},
	{"message", H_EOH},
	{"text", H_EOH},
	{"date", 0},
	{"resent-date", H_RESENT},
	{"received", H_TRACE | H_FORCE},
	{"x400-received", H_TRACE | H_FORCE},
	{"via", H_TRACE | H_FORCE},
	{"mail-from", H_TRACE | H_FORCE},
	{"comments", H_FORCE | H_ENCODABLE},
	{"return-path", H_FORCE | H_ACHECK | H_BINDLATE},
	{"content-transfer-encoding", H_CTE},
	{"content-type", H_CTYPE},
	{"content-length", H_ACHECK},
	{"subject", H_ENCODABLE},
	{"x-authentication-warning", H_FORCE},
};

unsigned long header_flags(const char *name)
{
	for (size_t i = 0; i < sizeof(header_table) / sizeof(header_table[0]); i++)
		if (strcasecmp(header_table[i].name, name) == 0)
			return header_table[i].flags;
	return 0;
}
