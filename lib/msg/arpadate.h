/*
 * arpadate: the date strings of the macros sendmail defines for a message:
 * $a/$b in sendmail's RFC 5322 form ("Sun, 1 Nov 2026 02:19:19 -0800",
 * "GMT" for a zero offset, the day not zero-padded), $d in ctime(3) form
 * for the UNIX From line, and $t, the 12-digit YYYYMMDDhhmm used in
 * Message-Id.  All in local time.
 */
#ifndef SDMAIL_MSG_ARPADATE_H
#define SDMAIL_MSG_ARPADATE_H

#include <stddef.h>
#include <time.h>

void arpadate(time_t t, char *buf, size_t size);
void ctimedate(time_t t, char *buf, size_t size);
void numericdate(time_t t, char *buf, size_t size);

#endif
