/*
 * milter: X lines (mail filter definitions) and Q lines (queue groups) —
 * the two `Name, K=value, ...` equate lists of a configuration.  X lines
 * are checked as sendmail checks them (socket type, F= and T= letters,
 * duplicates); the milter protocol itself lives with the daemon.  Q lines
 * define queue groups for the queue code.
 */
#ifndef SDMAIL_CF_MILTER_H
#define SDMAIL_CF_MILTER_H

struct cf;

struct milter_def {
	char *name;
	char *socket;    /* S= */
	char *flags;     /* F= */
	char *timeouts;  /* T= */
	struct milter_def *next;
};

struct queue_group_def {
	char *name;
	char *path;      /* P= */
	char *flags;     /* F= */
	long long interval; /* I= seconds */
	int jobs;        /* J= */
	int nice;        /* N= */
	int runners;     /* R= */
	int rcpts;       /* r= */
	struct queue_group_def *next;
};

void milter_define(struct cf *cf, const char *body);
void queue_group_define(struct cf *cf, const char *body);
void milter_defs_free(struct cf *cf);

#endif
