/*
 * log-lines: the lines of lib/log's AUTH-failure, reject and "did not
 * issue" helpers, written as the daemon will write them, through the
 * standard-error destination (syslog text) to standard output — input for
 * fail2ban-regex with fail2ban's stock sendmail filters (fail2ban.sh).
 * As in sendmail, an SMTP session has its queue ID before MAIL, and the
 * filters expect one (they match no "NOQUEUE: " line).
 */
#include <stdio.h>

#include "log/events.h"
#include "log/log.h"

int main(void)
{
	struct log_ctx lc;
	struct log_peer named = {"client.example", "192.0.2.7"};
	struct log_peer bare = {NULL, "192.0.2.8"};
	struct log_peer v6 = {"v6.example", "IPv6:2001:db8::5"};

	log_init(&lc, "sm-mta", 14, LOG_FALLBACK_STDERR, "/nonexistent/journal/socket");
	lc.err_fd = 1;
	/* sendmail-auth */
	log_auth_failure(&lc, "6AM5mOFj014863", "LOGIN", "authentication failure", -13,
	                 "SASL(-13): authentication failure: checkpass failed", "alice", &named);
	log_auth_failure(&lc, "6AM5mOFj014867", "PLAIN", "authentication failure", -13,
	                 "SASL(-13): authentication failure: Password verification failed", "bob",
	                 &bare);
	log_auth_failure(&lc, "6AM5mOFj014864", "CRAM-MD5", "user not found", -20,
	                 "SASL(-13): user not found: no secret in database", NULL, &v6);
	/* sendmail-reject */
	log_reject(&lc, "6AM5mOFj014865", "check_rcpt", "<x@y.example>", NULL, &named,
	           "550 5.7.1 <x@y.example>... Relaying denied");
	log_reject(&lc, "6AM5mOFj014868", "check_rcpt", "<u@z.example>", NULL, &bare,
	           "550 5.7.1 <u@z.example>... Relaying denied. Proper authentication required.");
	log_reject(&lc, "6AM5mOFj014869", "check_rcpt", "<nosuch@oracle.example.org>", NULL, &named,
	           "550 5.1.1 <nosuch@oracle.example.org>... User unknown");
	log_reject(&lc, "6AM5mOFj014870", "check_relay", "client.example", "192.0.2.7", &named,
	           "421 4.3.2 Connection rate limit exceeded.");
	log_no_mail(&lc, "6AM5mOFj014866", &bare, "MTA");
	return 0;
}
