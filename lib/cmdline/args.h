/*
 * args: the sendmail command line — sendmail 8.17's options, parsed the
 * POSIX way (the first non-option ends them, `--` too), argv[0]
 * personalities (mailq, newaliases, hoststat, purgestat, smtpd), and the
 * -q run specifications.  Nothing is applied here: options that set
 * configuration values are kept in order, to be applied after the
 * configuration file has been read, as sendmail does.
 */
#ifndef SDMAIL_SUBMIT_ARGS_H
#define SDMAIL_SUBMIT_ARGS_H

#include <stdbool.h>

#include "util/strbuf.h"

struct queue_run_spec {
	bool run;              /* -q given */
	long long interval;    /* -q30m: seconds, 0 for one run */
	char select;           /* 'I' 'R' 'S' 'Q' 'L' or 0 */
	bool negate;           /* -q!I... */
	const char *pattern;   /* the id/recipient/sender substring */
	bool foreground;       /* -qf */
	bool persistent;       /* -qp */
	const char *group;     /* -qG */
};

struct invocation {
	char mode;              /* the -b letter: 'm' (default) 't' 'v' 'p' ... */
	bool mailq_personality; /* called as mailq */
	const char *cf_file;    /* -C */
	char alt;               /* -A: 'c' or 'm', 0 if not given */
	bool verbose;           /* -v */
	bool read_recipients;   /* -t */
	bool queue_opt;         /* -Q given */
	const char *quarantine; /* -Q reason */
	const char *from;       /* -f / -r */
	const char *fullname;   /* -F */
	const char *notify;     /* -N */
	const char *ret;        /* -R */
	const char *envid;      /* -V */
	const char *bodytype;   /* -B */
	const char *protocol;   /* -p */
	const char *log_tag;    /* -L */
	const char *xscript;    /* -X */
	int hop_count;          /* -h */
	bool debug;             /* some -d given */
	struct queue_run_spec q;
	struct strbuf options;  /* -o/-O bodies, NUL separated, in order */
	int noptions;
	struct strbuf macros;   /* -M definitions */
	int nmacros;
	char **rest;            /* addresses */
	int nrest;
};

/* Fill `inv` from argv; debug specs go straight to `dbg` (they matter
 * while the configuration is read).  Returns 0 or a sysexits code after
 * printing sendmail's message. */
struct debug_flags;
int args_parse(int argc, char **argv, struct invocation *inv, struct debug_flags *dbg);
void args_free(struct invocation *inv);

#endif
