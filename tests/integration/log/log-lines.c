/*
 * log-lines: the lines of lib/log's AUTH-failure, reject and "did not
 * issue" helpers, written as the daemon will write them, through the
 * standard-error destination (syslog text) to standard output — input for
 * fail2ban-regex with fail2ban's stock sendmail filters (fail2ban.sh).
 * As in sendmail, an SMTP session has its queue ID before MAIL, and the
 * filters expect one (they match no "NOQUEUE: " line).
 *
 * "log-lines journal" writes them to the journal instead, with one from=
 * line, a to= line of each outcome and the line of the DSN that follows:
 * an entry of every kind the message catalog explains (catalog.sh).
 */
#include <stdio.h>
#include <string.h>

#include "log/events.h"
#include "log/log.h"

/* from= and a to= line of each outcome of one message. */
static void message_lines(struct log_ctx *lc, const struct log_peer *peer)
{
	static const char *const rcpts[] = {"<u@z.example>"};
	struct log_from f = {.qid = "6AM5mOFj014871",
	                     .from = "<a@client.example>",
	                     .size = 321,
	                     .nrcpts = 1,
	                     .msgid = "<m1@client.example>",
	                     .proto = "ESMTP",
	                     .daemon = "MTA",
	                     .peer = peer};
	struct log_to t = {.qid = "6AM5mOFj014871",
	                   .rcpts = rcpts,
	                   .nrcpts = 1,
	                   .xdelay = 1,
	                   .mailer = "esmtp",
	                   .pri = 120321,
	                   .relay = "mx.z.example. [192.0.2.9]"};

	log_from(lc, &f);
	t.kind = LOG_TO_DEFERRED;
	t.dsn = "4.0.0";
	t.stat = "Deferred: Connection refused by mx.z.example.";
	log_to(lc, &t);
	t.kind = LOG_TO_SENT;
	t.dsn = "2.0.0";
	t.stat = "Sent (6AM5mOFj099999 Message accepted for delivery)";
	log_to(lc, &t);
	t.kind = LOG_TO_FAILED;
	t.dsn = "5.1.1";
	t.reply = "550 5.1.1 <u@z.example>... User unknown";
	t.stat = "User unknown";
	log_to(lc, &t);
	log_dsn(lc, "6AM5mOFj014871", "6AM5mOFj014872", "DSN", "User unknown");
}

int main(int argc, char **argv)
{
	struct log_ctx lc;
	struct log_peer named = {"client.example", "192.0.2.7"};
	struct log_peer bare = {NULL, "192.0.2.8"};
	struct log_peer v6 = {"v6.example", "IPv6:2001:db8::5"};
	bool journal = argc > 1 && strcmp(argv[1], "journal") == 0;

	if (journal) {
		log_init(&lc, "sm-mta", 14, LOG_FALLBACK_NONE, NULL);
		if (lc.dest != LOG_DEST_JOURNAL)
			return 1;
		message_lines(&lc, &named);
	} else {
		log_init(&lc, "sm-mta", 14, LOG_FALLBACK_STDERR, "/nonexistent/journal/socket");
		lc.err_fd = 1;
	}
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
