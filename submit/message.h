/*
 * message: what the sendmail command does with a message before it is
 * queued — the sender (-f/-r or the invoking user, its $g as ruleset 1
 * shows it, the full name $x from -F or the password entry when the
 * sender is a local user), the envelope macros ($_, $a, $b, $t, $d, $u,
 * {daemon_flags}), collecting standard input, the default headers, the
 * recipients from the command line and, with -t, from To/Cc/Bcc (or their
 * Resent- forms), with their DSN flags, final-recipient and controlling
 * user, the X-Authentication-Warning for an untrusted -f, the envelope
 * flags and the priority — the contents of sendmail's MSP queue file.
 */
#ifndef SDMAIL_SUBMIT_MESSAGE_H
#define SDMAIL_SUBMIT_MESSAGE_H

#include <stdbool.h>
#include <stdio.h>

struct cf;
struct envelope;
struct collect_result;

struct submit_request {
	const char *from;       /* -f / -r, NULL for the invoking user */
	const char *fullname;   /* -F */
	bool read_recipients;   /* -t */
	bool ignore_dots;       /* -i / -oi / IgnoreDots */
	const char *notify;     /* -N */
	const char *ret;        /* -R: "full" or "hdrs" */
	const char *envid;      /* -V */
	const char *bodytype;   /* -B */
	int hop_count;          /* -h */
	bool trusted;           /* the caller may set the sender freely */
	char **rcpts;           /* command-line recipients */
	int nrcpts;
};

/*
 * Build `e` (id already allocated, macros in cf->macros) from the request,
 * reading the message from `in` into `df`.  Prints sendmail's messages;
 * returns 0, or a sysexits status when nothing can be queued (no valid
 * recipient, unreadable input, message too big).  *from_mailer is the
 * sender's mailer index (-1: none), for the statistics file.
 */
int message_build(struct cf *cf, const struct submit_request *req, FILE *in, FILE *df,
		  struct envelope *e, struct collect_result *cr, int *from_mailer);

#endif
