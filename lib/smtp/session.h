/*
 * session: the state of one ESMTP server session, shared by the command
 * loop (server.c) and the mail transaction (transaction.c): the
 * connection, the session's macros, HELO state, verbose mode, TLS, the
 * transaction in progress, and the replies.  A reply is written with its
 * enhanced status code as sendmail writes it; output is flushed whenever
 * no pipelined command is waiting, so a pipelined group gets its replies
 * in one segment.  Messages the address code produces during a command
 * (cf_msg_sink) become the command's reply or, in VERB mode, 05x notes.
 */
#ifndef SDMAIL_SMTP_SESSION_H
#define SDMAIL_SMTP_SESSION_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "cf/cf.h"
#include "milter/milter.h"
#include "stats/stats.h"
#include "msg/envelope.h"
#include "queue/qid.h"
#include "rules/recipient.h"
#include "smtp/io.h"
#include "smtp/server.h"
#include "util/pool.h"
#include "util/strbuf.h"

#define SMTP_SERVER_LINE_MAX 4096 /* longest command line accepted */
#define SMTP_MAX_BAD_COMMANDS 25  /* then the session is closed */

/* A recipient answered "(will queue)": logged "stat=queued" once queued. */
struct will_queue {
	const char *addr;
	const char *mailer;
	struct will_queue *next;
};

struct session {
	struct cf *cf;
	const struct smtp_server_config *cfg;
	struct smtp_io io;
	struct macro_env env;        /* the session's macros over the cf's */
	struct cf_msg_sink sink;
	/* the first error an address produced during the current command */
	char err_code[16];
	struct strbuf err_text;
	bool have_err;

	bool helo_done;
	bool issued_mail;            /* MAIL, EXPN, VRFY or ETRN came */
	bool delay_checked;          /* DelayLA was looked at (first command) */
	char log_id[QID_LEN + 1];    /* the session's own queue ID for its log lines */
	char last_command[16];       /* lowercase, for "lost input channel ... after rcpt" */
	struct milter_session *milter;          /* NULL: no InputMailFilters */
	struct milter_env_macros milter_macros; /* how the filters read macros */
	struct strbuf milter_scratch;
	char *milter_block;    /* a refusal standing for later commands */
	bool milter_block_all; /* ... for MAIL, RCPT and DATA (else MAIL only) */
	char *nullserver;            /* tls_client's refusal for later commands */
	bool replies_muted;          /* replies go to muted_reply, not the client */
	struct strbuf muted_reply;
	char features[32];          /* srv_features letters, e.g. "DS" */
	bool authenticated;          /* AUTH succeeded (M=a ports require it) */
	bool esmtp;
	bool verbose;                /* VERB */
	bool tls_active;
	struct tls_session *tls;
	struct smtp_auth *auth;      /* auth.c */
	bool quitting;
	int bad_commands;
	int attack_count[4];         /* repeated commands (server.c) */
	int status;                  /* exit status for -bs */
	char hostname[256];          /* $j */

	/* the mail transaction */
	bool have_mail;
	struct envelope e;
	struct pool pool;            /* address strings of the transaction */
	struct rw_ctx ctx;
	struct rcpt_list rcpts;
	int nrcpts;                  /* accepted RCPTs */
	int listed_rcpts;            /* RCPTs that reached the recipient list,
				      * refused ones ("User unknown") too */
	struct will_queue *will_queue; /* in s->pool, last given first */
	int bad_rcpts;               /* refused RCPTs (BadRcptThrottle) */
	bool flood_logged;           /* "Possible SMTP RCPT flood" said */
	long long size_param;        /* SIZE=, 0 unknown */
	bool discard;                /* a check ruleset said $#discard */
	int from_mailer;             /* the sender's mailer index, -1 none (statistics) */
	bool ret_given, ret_hdrs;    /* RET= */
	time_t mail_time;            /* when MAIL came: $a, the Date: header */
	struct strbuf last_error;    /* text of the last 5xx reply (the qf M line) */
	struct strbuf deferred;      /* a deferred map lookup's note (also the M line) */

	/* committed messages not yet handed to cfg->queued (cfg->after set) */
	char **held;
	size_t nheld, held_cap;
};

/* A message is in the queue: hand it to cfg->queued now or hold it. */
void session_queued(struct session *s, const char *qid);

/* "250 2.0.0 text": one reply line; `code` is "250 2.0.0" or "250". */
void session_reply(struct session *s, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A multi-line reply from lines separated by '\n'. */
void session_reply_lines(struct session *s, const char *code, const char *dsn, const char *text);
/* Send what is pending unless another pipelined command is waiting. */
int session_flush(struct session *s, bool force);
/* A stream whose lines reach the client at once as "050 line" (VERB). */
FILE *session_transcript_open(struct session *s);

/* Start catching address messages of one command (see session.h). */
void session_catch_begin(struct session *s);
void session_catch_end(struct session *s);

/* Count one event of the transaction in the statistics file (StatusFile):
 * per the sender's mailer; `bytes` the message size for STATS_FROM. */
void session_count_message(struct session *s, enum stats_kind kind, long long bytes);

/* transaction.c */
void transaction_reset(struct session *s);
/* A transaction that ends without DATA (RSET, HELO/EHLO, STARTTLS, QUIT,
 * the end of the session) gets sendmail's from= line, size=0 ... */
void transaction_log_abandoned(struct session *s);
/* ... then the transaction is reset and its queue ID given up. */
void transaction_end(struct session *s);
void cmd_mail(struct session *s, char *args);
void cmd_rcpt(struct session *s, char *args);
void cmd_data(struct session *s);

/* Run a check_* ruleset on `input`; true when it let the command pass,
 * else the reply has been sent. */
bool session_check(struct session *s, const char *ruleset, const char *input,
		   const char *fallback_code);
/* The same with the workspace `p1 $| p2`. */
bool session_check2(struct session *s, const char *ruleset, const char *p1, const char *p2,
		    const char *fallback_code);

/* Whole reply lines ("550 5.7.1 text", CRLF between lines) as given. */
void session_reply_raw(struct session *s, const char *lines);

/* $r as sendmail sets it: ESMTP or SMTP, then S under TLS, A after AUTH
 * (call again when either changes). */
void session_define_protocol(struct session *s);

/* Did the cf's srv_features give `letter` for this client?  Uppercase
 * letters turn a feature off ("S": no STARTTLS, "A": no AUTH, "D": no
 * DSN), "l" requires AUTH. */
bool session_feature(const struct session *s, char letter);
/* DSN is offered: neither srv_features' D nor PrivacyOptions noreceipts. */
bool session_offers_dsn(const struct session *s);

#endif
