/*
 * trace: the path of a message in log lines (trace.h).
 */
#include "log/trace.h"

#include <ctype.h>
#include <string.h>

bool trace_valid_qid(const char *s, size_t len)
{
	if (len < 6 || len > TRACE_QID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

static size_t qid_span(const char *s)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]))
		n++;
	return n;
}

static bool take_qid(const char *s, size_t len, char out[TRACE_QID_MAX + 1])
{
	if (!trace_valid_qid(s, len))
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

/*
 * "stat=Sent (" begins the last field of a to= line; the reply quoted
 * there is the next hop's.  sendmail: "ID Message accepted for delivery";
 * Postfix: "... queued as ID".
 */
bool trace_relayed_qid(const char *message, char out[TRACE_QID_MAX + 1])
{
	static const char sent[] = ", stat=Sent (";
	static const char accepted[] = " Message accepted for delivery)";
	static const char queued[] = "queued as ";
	const char *p = strstr(message, sent), *q;
	size_t n;

	if (p == NULL || (strncmp(message, "to=", 3) != 0 && strstr(message, ": to=") == NULL))
		return false;
	p += sizeof(sent) - 1;
	n = qid_span(p);
	if (strncmp(p + n, accepted, sizeof(accepted) - 1) == 0)
		return take_qid(p, n, out);
	q = strstr(p, queued);
	if (q == NULL)
		return false;
	q += sizeof(queued) - 1;
	n = qid_span(q);
	if (q[n] != ')' && q[n] != ' ')
		return false;
	return take_qid(q, n, out);
}

bool trace_from_msgid(const char *message, const char *msgid)
{
	static const char key[] = ", msgid=";
	size_t len = strlen(msgid);
	const char *p;

	if (len == 0 || (strncmp(message, "from=", 5) != 0 && strstr(message, ": from=") == NULL))
		return false;
	for (p = strstr(message, key); p != NULL; p = strstr(p + 1, key)) {
		const char *v = p + sizeof(key) - 1;
		if (strncmp(v, msgid, len) == 0 && (v[len] == ',' || v[len] == '\0'))
			return true;
	}
	return false;
}
