/*
 * envelope: one message on its way through sdmail — the in-memory form of
 * what sendmail keeps in a queue control file (qf): times, priority, the
 * sender, the recipients with their DSN flags, the headers with their
 * mailer-flag conditions, envelope macros, and where the body (df) is.
 * Collection fills it, the queue writes and reads it, delivery updates it.
 * Strings are owned by the envelope (malloc'd) and freed by envelope_free.
 */
#ifndef SDMAIL_MSG_ENVELOPE_H
#define SDMAIL_MSG_ENVELOPE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "util/strbuf.h"

#define QUEUE_ID_MAX 32

/* R line flags (sendmail's qf letters) */
#define RCPT_PRIMARY 'P'        /* given on the command line / RCPT TO */
#define RCPT_NOTIFY_SUCCESS 'S'
#define RCPT_NOTIFY_FAILURE 'F'
#define RCPT_NOTIFY_DELAY 'D'
#define RCPT_NOTIFY_NEVER 'N'
#define RCPT_HAS_RET_PARAM 'B'  /* a DSN ORCPT was given */

/*
 * What the last delivery attempt found out about a recipient: what a DSN
 * (RFC 3464) reports about it.  In memory only; the qf keeps just the
 * status message (M line) of a deferred recipient.
 */
enum rcpt_outcome {
	RCPT_UNTRIED = 0,
	RCPT_SENT,     /* accepted, nothing more to report */
	RCPT_RELAYED,  /* accepted by a server without DSN: a NOTIFY=SUCCESS
			* recipient is owed a receipt */
	RCPT_DEFERRED, /* to be tried again */
	RCPT_FAILED,   /* refused for good */
};

struct rcpt_result {
	enum rcpt_outcome outcome;
	char status[16];  /* RFC 3463 status code, "5.3.0"; "" unknown */
	char *reason;     /* the reply that decided it, "500 5.3.0 Refused" */
	char *diagnostic; /* Diagnostic-Code: "SMTP; 500 5.3.0 Refused" */
	char *remote_mta; /* Remote-MTA: "DNS; [127.0.0.2]" */
	char *actual;     /* the address as the mailer was given it */
	char actual_type[16]; /* its type (the mailer's T=), "" for rfc822 */
	char *expansion;  /* the address that failed when an alias or .forward
			   * replaced this one ("|prog"), as given; or NULL */
	char *parent;     /* the alias or .forward address that named it, as
	                   * given ("expanded from"); NULL: the recipient's own */
	time_t when;      /* the attempt */
};

struct env_rcpt {
	char *addr;        /* the address as given ("Foo <e@f.example>") */
	char *final;       /* r line: "RFC822; e@f.example" */
	char *orcpt;       /* Q line (DSN ORCPT), or NULL */
	char *ctladdr;     /* C line in force for this R line: the controlling
			    * user (":root", "" for none after one was set);
			    * NULL: the envelope's ctladdr */
	char *statmsg;     /* M line before it: its own last status, or NULL */
	char flags[16];    /* R line flags, e.g. "PFD" */
	char *host;        /* the resolved host ("" for none): the queue order */
	bool done;         /* delivered or bounced: not written back to the queue */
	bool member;       /* one address of an alias's or .forward's
	                    * expansion, made by a delivery attempt to carry
	                    * its own result; not written to the queue (the
	                    * deferred ones replace their alias after the
	                    * attempt and are members no more) */
	struct rcpt_result result;
	/* a member of a list with an owner (rules/recipient.h): the owner,
	 * and the list as given; delivered in a clone of the envelope with
	 * the owner as sender.  Not in the qf. */
	char *owner;
	char *owner_list;
	/* the mailer a submission resolved it to, for its "stat=queued"
	 * line; not in the qf */
	char *mailer;
	struct env_rcpt *next;
};

struct env_header {
	char *name;
	char *value;       /* may contain internal macro references ($g) */
	char *cond;        /* text between ?...? in "H?P?Return-Path:", NULL if none */
	/* inserted by a mail filter: like the message's own headers, later
	 * filters see it wherever it landed among sendmail's */
	bool filter_added;
	struct env_header *next;
};

struct env_macro {
	char *name;        /* "_", "{daemon_flags}" */
	char *value;
	struct env_macro *next;
};

struct envelope {
	char id[QUEUE_ID_MAX];   /* queue ID, e.g. "6AM2GXII000023" */
	int version;             /* V line, 8 */
	time_t ctime;            /* T: when queued */
	time_t last_try;         /* K: last processed, 0 never */
	int ntries;              /* N */
	long priority;           /* P */
	char *bodytype;          /* B: "7BIT", "8BITMIME" or NULL */
	char *message;           /* M: last status text */
	char *flags;             /* F: envelope flag letters ("bs", "w") */
	char *sender;            /* S */
	char *envid;             /* Z: DSN ENVID */
	char *auth;              /* A: AUTH= parameter of MAIL FROM */
	char *ctladdr;           /* C: default controlling user of recipients
				  * whose own ctladdr is NULL (":root") */
	char *errors_to;         /* E */
	char *quarantine;        /* q */
	long long deliver_by;    /* !: seconds, 0 none */
	char deliver_by_mode;    /* !: 'N' notify, 'R' return, 0 */
	bool deliver_by_trace;   /* !: the T of BY=n;RT (trace) */
	char *data_dir;          /* d: queue directory of the df, NULL: with the qf */
	long long body_size;     /* df size */
	dev_t df_dev;            /* I line */
	ino_t df_ino;
	struct env_macro *macros;
	struct env_rcpt *rcpts;
	struct env_header *headers;
	/* the errors of delivery attempts in this process, as sendmail's
	 * session transcript shows them in a DSN; not in the qf */
	struct strbuf transcript;
	/* an attempt in this process had a SYSERR (a configuration error):
	 * the postmaster gets its DSN too, as sendmail's; not in the qf */
	bool notify_postmaster;
};

void envelope_init(struct envelope *e);
void envelope_free(struct envelope *e);
/*
 * A copy of everything of `from` but its ID, recipients and df identity
 * (I line), into the fresh envelope `to`: what sendmail's clone of an
 * envelope for a list owner keeps.
 */
void envelope_copy_message(struct envelope *to, const struct envelope *from);
/* One recipient or header already unlinked from its envelope. */
void envelope_rcpt_free(struct env_rcpt *r);
/* A list of recipients linked by next, none in an envelope. */
void envelope_rcpt_free_list(struct env_rcpt *r);
void envelope_header_free(struct env_header *h);

/* Append helpers; all strings are copied. */
struct env_rcpt *envelope_add_rcpt(struct envelope *e, const char *addr, const char *flags);
struct env_header *envelope_add_header(struct envelope *e, const char *name, const char *value,
				       const char *cond);
/* A header right after `after` (first when NULL). */
struct env_header *envelope_insert_header(struct envelope *e, struct env_header *after,
					  const char *name, const char *value, const char *cond);
void envelope_set_macro(struct envelope *e, const char *name, const char *value);
const char *envelope_get_macro(const struct envelope *e, const char *name);
/* Replace a string field: *field = copy of value (NULL allowed). */
void envelope_set(char **field, const char *value);
/* Forget a recipient's delivery result. */
void rcpt_result_clear(struct rcpt_result *r);
/* Add an F line letter (no duplicates, in sendmail's order of letters). */
void envelope_add_flag(struct envelope *e, char flag);
bool envelope_has_flag(const struct envelope *e, char flag);
/* A bounce (qf flag r) or a message from the null sender: MAIL From:<>. */
bool envelope_null_sender(const struct envelope *e);

#endif
