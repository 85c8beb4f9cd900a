/*
 * queuedir: the checks sendmail makes on the queue directory before a
 * mode that needs it (-bm, -bp, -bv, -q): that the caller can enter it,
 * who owns it, and whether the caller is in its group.  sendmail changes
 * into the directory and stops with EX_CONFIG when it cannot; sdmail
 * checks the same access without changing directory, and prints the same
 * two lines.
 */
#ifndef SDMAIL_SUBMIT_QUEUEDIR_H
#define SDMAIL_SUBMIT_QUEUEDIR_H

#include <stdbool.h>
#include <sys/types.h>

struct cf;
struct privs;

/* The expanded QueueDirectory; the caller frees it. */
char *queuedir_path(struct cf *cf);

/*
 * 0 when the queue directory can be entered; otherwise print
 * "can not chdir(DIR/): reason" (and, for a non-root caller, sendmail's
 * "Program mode requires special privileges" line) to cf->out when
 * `report`, and return EX_CONFIG.
 */
int queuedir_check(struct cf *cf, const struct privs *pv, bool report);

/* The owner and group of the queue directory; -errno when it cannot be read. */
int queuedir_owner(struct cf *cf, uid_t *uid, gid_t *gid);

#endif
