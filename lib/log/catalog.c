/*
 * catalog: MESSAGE_IDs of the log entries (catalog.h).
 */
#include "log/catalog.h"

#include <stddef.h>
#include <string.h>

struct event_id {
	const char *event;
	const char *delivery; /* NULL: any */
	const char *id;
};

static const struct event_id IDS[] = {
    {"from", NULL, SDMAIL_MID_ACCEPTED},             /* from= */
    {"to", "sent", SDMAIL_MID_DELIVERED},            /* to= stat=Sent */
    {"to", "deferred", SDMAIL_MID_DEFERRED},         /* to= stat=Deferred */
    {"to", "bounced", SDMAIL_MID_BOUNCED},           /* to= refused for good */
    {"dsn", NULL, SDMAIL_MID_DSN},                   /* QID: DSNQID: DSN: */
    {"reject", NULL, SDMAIL_MID_REJECTED},           /* ruleset= reject= */
    {"auth-failure", NULL, SDMAIL_MID_AUTH_FAILURE}, /* AUTH failure */
};

const char *log_message_id(const char *event, const char *delivery)
{
	if (event == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(IDS) / sizeof(IDS[0]); i++) {
		if (strcmp(IDS[i].event, event) != 0)
			continue;
		if (IDS[i].delivery == NULL ||
		    (delivery != NULL && strcmp(IDS[i].delivery, delivery) == 0))
			return IDS[i].id;
	}
	return NULL;
}
