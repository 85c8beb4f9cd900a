/*
 * queue: a sendmail queue directory on disk and the life of one entry in
 * it.  An entry is a df file (the body) and a qf file (the envelope, see
 * qf.h) named after its queue ID, in the directory itself or in its qf/
 * and df/ subdirectories when those exist.  A new entry is made durable
 * before anyone is told it exists: df written and fsynced, the qf text
 * written to tf<ID> and fsynced, tf renamed to qf, the directory fsynced.
 * Rewrites go through tf and rename the same way.  Whoever works on an
 * entry holds flock(LOCK_EX) on its qf (as sendmail on Linux does), so a
 * queue runner and a submitter never handle one message at the same time;
 * runners skip locked entries.  Listing follows sendmail's gatherq: qf
 * files sorted by priority.  A quarantined entry (its envelope has a
 * quarantine reason) keeps its envelope in hf<ID> instead of qf<ID>, as
 * sendmail 8.17.1 does: ordinary queue runs do not see it.
 */
#ifndef SDMAIL_QUEUE_QUEUE_H
#define SDMAIL_QUEUE_QUEUE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "msg/envelope.h"
#include "queue/qid.h"

struct cf;

#define QUEUE_NAME_MAX 21 /* sendmail's limit on a queue file name, NUL included */
#define QUEUE_NO_PRIORITY 2147483647L /* what gatherq assumes without a P line */

struct queue {
	char *dir;    /* the queue directory as configured */
	char *qf_dir; /* where qf and tf files are: dir, or dir/qf */
	char *df_dir; /* where df files are: dir, or dir/df */
	mode_t mode;  /* QueueFileMode of new files */
	pid_t pid;    /* the pid part of new IDs */
	char sort_order; /* QueueSortOrder (queue/sortorder.h): 'p' unless the cf says */
	struct qid_state ids;
};

/* One entry being worked on: made by queue_new or queue_lock. */
struct queue_entry {
	char id[QUEUE_ID_MAX];
	int lock_fd; /* the flock'ed qf, -1 when none */
	char kind;   /* its envelope file: 'q' (qf), 'h' (hf: quarantined) */
	FILE *df;    /* the body being written (queue_new until commit) */
};

/* Kinds of queue files a listing looks at (sendmail's mailq, -qQ, -qL). */
enum queue_kind {
	QUEUE_ACTIVE = 'q',      /* qf: waiting for delivery */
	QUEUE_QUARANTINED = 'h', /* hf: quarantined */
	QUEUE_LOST = 'Q',        /* Qf: set aside as unreadable */
};

struct queue_item {
	char name[QUEUE_NAME_MAX]; /* file name: kind letter, 'f', the ID */
	long priority;             /* P line, QUEUE_NO_PRIORITY without one */
	time_t ctime;              /* T line, 0 without one */
};

/*
 * Use `dir` as a queue directory with files of `mode` (0600 when 0).
 * Detects qf/ and df/ subdirectories.  Returns 0 or -errno (no directory).
 */
int queue_open(struct queue *q, const char *dir, mode_t mode);
/* The same from the configuration's QueueDirectory and QueueFileMode. */
int queue_open_cf(struct queue *q, const struct cf *cf);
void queue_close(struct queue *q);

/* "dir/name" for a qf/tf/hf/Qf name or a df name; the caller frees. */
char *queue_path(const struct queue *q, const char *name);

/*
 * Allocate a new ID (time `now`, q->pid, the next sequence number; IDs in
 * use are passed over) and create its df exclusively: qe->df is open for
 * the body.  Returns 0 or -errno.
 */
int queue_new(struct queue *q, struct queue_entry *qe, time_t now);

/*
 * The next ID of this process's sequence for `now`, taken without
 * creating anything: the SMTP server names a transaction from MAIL on,
 * as sendmail does, and queues its message under that name.
 */
void queue_next_id(time_t now, char out[QID_LEN + 1]);

/* queue_new trying `id` first (queue_next_id's); another ID when it is
 * taken. */
int queue_new_named(struct queue *q, struct queue_entry *qe, time_t now, const char *id);

/*
 * Make the new entry durable: flush and fsync the df, set e->id and
 * e->body_size, write and fsync tf, rename it to qf, fsync the
 * directory.  Only a 0 return means the message is safely queued; the
 * entry then stays locked until queue_release.  On failure (-errno)
 * nothing of the entry is left on disk.
 */
int queue_commit(struct queue *q, struct queue_entry *qe, struct envelope *e);

/* Give up a new entry before queue_commit: its df is removed. */
void queue_abort(struct queue *q, struct queue_entry *qe);

/*
 * Open, lock and read the entry `id` (its qf, or its hf when it is
 * quarantined).  Returns 0 (qe locked, e filled),
 * -EWOULDBLOCK when someone else holds it, -ENOENT when it is gone,
 * -EINVAL when its qf is malformed, other -errno on I/O errors.
 */
int queue_lock(struct queue *q, const char *id, struct queue_entry *qe, struct envelope *e);

/* Replace the locked entry's qf by the text of `e` (tf, fsync, rename, fsync);
 * a quarantine reason given or taken away moves it between qf and hf. */
int queue_rewrite(struct queue *q, struct queue_entry *qe, const struct envelope *e);

/*
 * Remove the locked entry: qf first, then df; releases it.  0 or -errno.
 * The removal is not synced to disk: after a crash the entry may be back
 * and is delivered again (a duplicate, not a loss).
 */
int queue_remove(struct queue *q, struct queue_entry *qe);

/* Drop the lock (and an unfinished df stream) without changing anything. */
void queue_release(struct queue_entry *qe);

/*
 * A qf that has a line of no known type is set aside as sendmail 8.17.1
 * does: under its lock, renamed to Qf (the directory fsynced).  Returns
 * 1 with the line's number and text (`line`, `size` bytes), 2 when the qf
 * has no such line but is cut short (no final "." line: left as it is,
 * as sendmail leaves it), 0 when it has neither (left as it is), or
 * -errno.
 */
int queue_lose(struct queue *q, const char *id, int *lineno, char *line, size_t size);

/* Open an entry's df for reading: an fd or -errno. */
int queue_open_df(const struct queue *q, const char *id);

/*
 * The entries of kind `kind`, in the queue's QueueSortOrder (ties keep
 * directory order, as sendmail's sort does).  Names of 21 characters or more are
 * skipped, and reported on `warn` when it is not NULL; non-regular files
 * are reported on `complain` when not NULL, both in sendmail's words.
 * Returns the number of items (*items to free with free()) or -errno.
 */
int queue_list(const struct queue *q, int kind, FILE *warn, FILE *complain,
	       struct queue_item **items);

#endif
