/*
 * cf: the loaded configuration — everything read from a sendmail.cf or
 * submit.cf (macros, classes, rulesets, mailers, options, maps, headers,
 * priorities, trusted users) plus the few process-wide settings that
 * sendmail keeps beside it (debug flags, the output channel for traces and
 * errors, the exit status accumulated from errors).  This is the one piece
 * of mutable state sdmail allows itself; it is passed explicitly to every
 * function that needs it.
 */
#ifndef SDMAIL_CF_CF_H
#define SDMAIL_CF_CF_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "cf/options.h"
#include "util/debug.h"

#define MAXRWSETS 200      /* ruleset numbers 0..199, named ones count down */
#define MAXMAILERS 25      /* sendmail's limit on M lines */
#define MAXATOM 1000       /* tokens in one address workspace */
#define MAXNAME 256        /* longest name in several places */
#define MAXLINE 2048       /* longest cf line after continuation */
#define MAXMACROID 0377

/* The fixed ruleset numbers sendmail knows by role. */
enum {
	RS_PARSE = 0,
	RS_CANONIFY = 3,
	RS_FINAL = 4,
	RS_LOCALADDR = 5,
	RS_HEADER_SENDER = 1,
	RS_ENV_RECIPIENT = 2,
};

struct rule {
	char **lhs;  /* NULL-terminated token vector (meta encoded), its
		      * strings in the same allocation */
	char **rhs;
	int line;    /* cf line, for -d21.15 traces */
	struct rule *next;
};

struct ruleset {
	char *name;  /* NULL for purely numbered rulesets */
	bool declared;
	struct rule *rules;
	struct rule *last;
};

struct mailer;
struct class_table;
struct map_registry;
struct header_def;

struct macro_env {
	char *val[MAXMACROID + 1];
	const struct macro_env *parent; /* looked at when val[id] is NULL */
};

struct priority_def {
	char *name;
	int value;
};

/*
 * Where messages about addresses and lookups go while an SMTP session
 * runs: instead of lines on `out`, each becomes a reply or a 05x note.
 * `code` is the reply ("550 5.1.1") for an error, NULL for a note.
 */
struct cf_msg_sink {
	void (*emit)(void *arg, const char *code, const char *text);
	void *arg;
};

struct cf {
	/* process-wide settings that travel with the configuration */
	struct debug_flags dbg;
	FILE *out;           /* test mode output, traces and user errors */
	struct cf_msg_sink *sink; /* set during SMTP sessions, else NULL */
	int exit_status;     /* worst sysexits status seen (0 = EX_OK) */
	int op_mode;         /* 't' for -bt, 'v' for -bv, ... (sendmail's OpMode) */

	/* reading */
	char *filename;
	int lineno;
	int config_level;    /* V line */
	char *vendor;        /* "Berkeley" */
	bool seen_v_line;

	/* macros and classes share one id space */
	struct macro_env macros;
	char *id_name[MAXMACROID + 1];  /* `{name}` of ids >= 0xa0 */
	int next_named_id;
	struct class_table *classes;

	/* rules */
	struct ruleset rulesets[MAXRWSETS];
	int next_named_ruleset;

	/* mailers */
	struct mailer *mailers[MAXMAILERS];
	int nmailers;
	struct mailer *local_mailer, *prog_mailer, *file_mailer, *include_mailer;

	/* options */
	struct option_values opt;
	unsigned char token_type[256]; /* prescan character classes from OperatorChars */

	/* maps */
	struct map_registry *maps;

	/* H, P, T lines */
	struct header_def *headers;
	struct priority_def *priorities;
	int npriorities;
	char **trusted_users;
	int ntrusted;

	/* E lines: environment for mailers */
	char **mailer_env;
	int nmailer_env;

	/* X and Q lines */
	struct milter_def *milters;
	struct queue_group_def *queue_groups;

	/* reading state: the ruleset R lines go to, errors seen while reading */
	int current_ruleset;
	int config_errors;
	/* print resolver and similar progress messages (test mode, -bv, -v) */
	bool show_messages;
	/* test mode's /tryflags (RF_* of parseaddr.h) */
	int try_flags;
	/* no name server queries at all (the fuzzers): every query is a
	 * temporary failure, as if no server answered */
	bool dns_disabled;
	/* the service switch's "hosts" methods (dns/resolve.c), read once
	 * per configuration as sendmail reads it once; 0: not read yet */
	int host_methods_n;
	char host_methods[8][16];
	/* the run-time input being read (an aliases, :include: or .forward
	 * file) and its line: messages are prefixed "FILE: line N: " */
	const char *input_file;
	int input_line;
};

/* Allocate an empty configuration with sendmail's built-in defaults. */
struct cf *cf_new(FILE *out);
void cf_free(struct cf *cf);

/*
 * Report an error the way sendmail's syserr/usrerr print it on the output
 * channel; while a file is being read the message is prefixed with
 * "FILE: line N: ".  `status` raises cf->exit_status (0 leaves it).
 */
void cf_error(struct cf *cf, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for run-time errors: prefixed only while a run-time input
 * (cf->input_file) is being read. */
void cf_message(struct cf *cf, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print "FILE: line N: " for the run-time input being read, if any. */
void cf_put_input_location(struct cf *cf);
/* Raise exit status to `status` if it is worse. */
void cf_set_status(struct cf *cf, int status);

/* Ruleset lookup by name or number; -1 when unknown (no message). */
int cf_ruleset_find(const struct cf *cf, const char *name);
/*
 * sendmail's strtorwset: parse "name", "number" or "name=number", create the
 * ruleset when `create`, print sendmail's errors.  Returns -1 on error.
 */
int cf_ruleset_parse(struct cf *cf, const char *spec, bool create);
const char *cf_ruleset_name(const struct cf *cf, int rs, char buf[12]);

#endif
