/*
 * hoststat: sendmail's host status.  Within one process (a queue run), the
 * hosts found down are remembered and not tried again for
 * Timeout.hoststatus.  With HostStatusDirectory, the status persists: one
 * file per host, under the directory (relative to the queue directory
 * unless absolute) in a tree of the host's labels, the top-level domain
 * first ("mx1.mx.test." is test./mx./mx1), holding sendmail 8.17's
 * lines: V0, E (errno of the last attempt), H (resolver error), S (its
 * sysexits status), D (its DSN code, when there is one), R (the server's
 * reply that decided, when there was one), U (when it was written), ".".  Every process delivering
 * reads it: a host that was down less than Timeout.hoststatus ago is not
 * tried again.  Also `sendmail -bh` (hoststat: the table of hosts, newest
 * first as the directory lists them) and `sendmail -bH` (purgestat: the
 * expired files removed).
 */
#ifndef SDMAIL_DELIVER_HOSTSTAT_H
#define SDMAIL_DELIVER_HOSTSTAT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct cf;

struct host_status {
	int err;         /* errno of the last attempt, 0 for none */
	int herr;        /* resolver error (h_errno) */
	int exitstat;    /* sysexits status, 0 (EX_OK) when the host took mail */
	char dsn[16];    /* "4.4.1", "2.0.0" */
	char reply[256]; /* the last reply, "" for none */
	time_t updated;
};

/* The hosts one process found down (a deliver cache's). */
struct hoststat_mem;
void hoststat_mem_free(struct hoststat_mem *m);

/*
 * The error a host gave when it was found down less than
 * Timeout.hoststatus ago, by this process (`m`, may be NULL) or, with
 * HostStatusDirectory, by any: it stands for the host, which is not tried.
 * 0 when it may be tried.
 */
int hoststat_known_down(const struct cf *cf, const struct hoststat_mem *m, const char *host);

/*
 * How `host` did: `err` < 0 connecting failed, 0 it answered; `reply` the
 * last reply of a transaction it accepted, NULL when there was none yet.
 * Remembered in *m (when m is not NULL) and written to HostStatusDirectory.
 */
void hoststat_note(const struct cf *cf, struct hoststat_mem **m, const char *host, int err,
                   const char *reply);

/*
 * A host that answered, its transaction over, as sendmail 8.17.1 records
 * it: status `exitstat` (0, or EX_TEMPFAIL after a 4xx to the final dot)
 * with `dsn` and `reply` (the final reply of a message it took or
 * refused, or the reply refusing MAIL), or with neither (both NULL: the
 * recipients or the DATA command were refused, the transaction reset).
 * Written to HostStatusDirectory when it is set.
 */
void hoststat_answered(const struct cf *cf, const char *host, int exitstat, const char *dsn,
                       const char *reply);

/* Is HostStatusDirectory set (and usable)? */
bool hoststat_enabled(const struct cf *cf);

/*
 * The lines of a status file into `st` (fields not in the file are left
 * as they are; lines are cut at 511 bytes, the reply at 255, the DSN code
 * at 15).
 */
void hoststat_parse(FILE *f, struct host_status *st);

/* Read `host`'s status: 0, or -errno (-ENOENT: nothing known). */
int hoststat_read(const struct cf *cf, const char *host, struct host_status *st);

/* Record `host`'s status (the directories made as needed): 0 or -errno. */
int hoststat_write(const struct cf *cf, const char *host, const struct host_status *st);

/* sendmail -bh: the table of every host's status on `out`. */
int hoststat_print(const struct cf *cf, FILE *out);

/* sendmail -bH: remove the status files older than Timeout.hoststatus. */
int hoststat_purge(const struct cf *cf);

#endif
