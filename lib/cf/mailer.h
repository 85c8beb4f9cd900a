/*
 * mailer: M lines — the delivery agents of a configuration.  Parses the
 * `Mname, P=..., F=..., S=..., R=..., E=..., A=...` equates with sendmail's
 * checks and messages, keeps sendmail's fixed slots (0 prog, 1 *file*,
 * 2 *include*, 3 local, the rest in order), provides the built-in prog,
 * *file* and *include* mailers, and prints a mailer the way =M and -d0.15
 * show it.
 */
#ifndef SDMAIL_CF_MAILER_H
#define SDMAIL_CF_MAILER_H

#include <stdbool.h>
#include <sys/types.h>

struct cf;
struct strbuf;

struct mailer {
	char *name;
	char *path;         /* P= */
	char **argv;        /* A= */
	unsigned char flags[32]; /* F= bitmap over 256 characters */
	int s_env, s_hdr;   /* S= rulesets, 0 when unset */
	int r_env, r_hdr;   /* R= */
	char *eol;          /* E= */
	long maxsize;       /* M= */
	int linelimit;      /* L= */
	uid_t uid;          /* U= */
	gid_t gid;
	char *charset;      /* C= */
	char *execdir;      /* D= */
	char *rootdir;      /* /= */
	char *mtatype, *addrtype, *diagtype; /* T= */
	int nice;           /* N= */
	char *queue;        /* Q= */
	long wait;          /* W= */
	int maxmsgs;        /* m= */
	int maxrcpt;        /* r= */
	int index;
};

static inline bool mailer_has_flag(const struct mailer *m, unsigned char f)
{
	return (m->flags[f / 8] >> (f % 8)) & 1;
}

/* Install the built-in prog, *file* and *include* mailers. */
void mailer_setup_builtin(struct cf *cf);
/* Parse an M line body (after the 'M'). */
void mailer_define(struct cf *cf, const char *body);
struct mailer *mailer_find(const struct cf *cf, const char *name);
void mailer_free(struct mailer *m);
/* Print every mailer, one line each, as =M and -d0.15 do. */
void mailer_print_all(const struct cf *cf);
/* Append "mailer N (name): P=... A=..." (no newline). */
void mailer_describe(const struct cf *cf, const struct mailer *m, struct strbuf *out);

#endif
