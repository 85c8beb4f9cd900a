/*
 * qid: sendmail 8.17's 14-character queue identifiers (qid.h).
 */
#include "queue/qid.h"

#include <string.h>

static const char base60[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";

void qid_init(struct qid_state *st, unsigned seed)
{
	st->seq = seed % QID_SEQ_MAX;
}

static char digit60(long v)
{
	v %= 60;
	if (v < 0)
		v += 60;
	return base60[v];
}

void qid_format(char out[QID_LEN + 1], const struct tm *tm, unsigned seq, pid_t pid)
{
	long p = (long)pid % 1000000;

	out[0] = digit60(tm->tm_year);
	out[1] = digit60(tm->tm_mon);
	out[2] = digit60(tm->tm_mday);
	out[3] = digit60(tm->tm_hour);
	out[4] = digit60(tm->tm_min);
	out[5] = digit60(tm->tm_sec);
	out[6] = digit60((long)(seq % QID_SEQ_MAX) / 60);
	out[7] = digit60((long)(seq % QID_SEQ_MAX));
	if (p < 0)
		p = -p;
	for (int i = 13; i >= 8; i--) {
		out[i] = (char)('0' + p % 10);
		p /= 10;
	}
	out[QID_LEN] = '\0';
}

void qid_next(struct qid_state *st, time_t now, pid_t pid, char out[QID_LEN + 1])
{
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	qid_format(out, &tm, st->seq, pid);
	st->seq = (st->seq + 1) % QID_SEQ_MAX;
}

int qid_digit_value(char c)
{
	const char *p = c != '\0' ? strchr(base60, c) : NULL;
	return p != NULL ? (int)(p - base60) : -1;
}

bool qid_valid(const char *id)
{
	if (strlen(id) != QID_LEN)
		return false;
	for (int i = 0; i < 8; i++)
		if (qid_digit_value(id[i]) < 0)
			return false;
	for (int i = 8; i < QID_LEN; i++)
		if (id[i] < '0' || id[i] > '9')
			return false;
	return true;
}
