/*
 * stats: sendmail's statistics file (the StatusFile option).  Per mailer
 * (by its index, 0 prog, 1 *file*, 2 *include*, 3 local, ...): messages
 * and kilobytes taken in from a sender of that mailer, messages and
 * kilobytes delivered by it, messages refused (R), discarded (D) and
 * quarantined (Q); and the connections taken, made and refused.  As in
 * sendmail, nothing is counted unless the file exists (an administrator
 * creates it empty); an empty file starts counting now.
 *
 * The format is sdmail's own, not sendmail's struct dump: two slots of
 * STATS_SLOT_SIZE bytes, each a complete little-endian copy of the
 * counters with a generation number and a CRC-32.  An update holds
 * flock(LOCK_EX) on the file while it reads the newest valid slot, adds,
 * and writes the other slot with the next generation: concurrent
 * processes never lose an increment, and a write cut short (a crash)
 * spoils only the slot being written, never the previous counts.
 * Clearing (mailstats -p) truncates the file under the same lock.
 * Layout in man/mailstats.8.
 */
#ifndef SDMAIL_STATS_STATS_H
#define SDMAIL_STATS_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define STATS_MAILERS 25 /* sendmail's MAXMAILERS */
#define STATS_SLOT_SIZE 2048
#define STATS_FILE_SIZE (2 * STATS_SLOT_SIZE)

struct stats {
	uint64_t generation;
	int64_t itime; /* counting began, 0 for an empty file (now) */
	uint64_t msgs_from[STATS_MAILERS], kb_from[STATS_MAILERS];
	uint64_t msgs_to[STATS_MAILERS], kb_to[STATS_MAILERS];
	uint64_t rejected[STATS_MAILERS], discarded[STATS_MAILERS];
	uint64_t quarantined[STATS_MAILERS];
	uint64_t conn_from, conn_to, conn_rejected;
};

/* What one event adds. */
enum stats_kind {
	STATS_FROM,        /* a message taken in, for the sender's mailer */
	STATS_TO,          /* a message delivered by a mailer */
	STATS_REJECT,      /* a message (or recipient) refused */
	STATS_DISCARD,     /* a message discarded */
	STATS_QUARANTINE,  /* a message quarantined */
	STATS_CONN_FROM,   /* an SMTP connection taken (mailer ignored) */
	STATS_CONN_TO,     /* an SMTP connection made */
	STATS_CONN_REJECT, /* an SMTP connection refused */
};

/* sendmail's KBYTES: whole kilobytes, rounded up. */
static inline uint64_t stats_kbytes(uint64_t bytes)
{
	return (bytes + 1023) / 1024;
}

/*
 * The counters in `buf` (a file's content, `len` bytes): 0 with *st
 * filled (all zero and itime 0 for an empty file), -EINVAL when neither
 * slot is valid.
 */
int stats_decode(const uint8_t *buf, size_t len, struct stats *st);
/* One slot's bytes (STATS_SLOT_SIZE) for `st`. */
void stats_encode(const struct stats *st, uint8_t *slot);

/*
 * Add one event to the file at `path` when it exists: `mailer` is the
 * mailer's index (ignored for the connection kinds; out of range: nothing
 * counted), `bytes` the message size for STATS_FROM/STATS_TO.  0, also
 * when there is no file or no path; a negative errno otherwise.
 */
int stats_add(const char *path, enum stats_kind kind, int mailer, uint64_t bytes);

/*
 * Read the file (under a shared lock), or with `clear` read and empty it
 * (under the exclusive lock) so that counting starts again.  A negative
 * errno (-ENOENT: no file, -EINVAL: not a statistics file).
 */
int stats_read(const char *path, struct stats *st, int clear);

#endif
