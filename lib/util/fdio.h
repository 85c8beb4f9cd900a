/*
 * fdio: whole writes to a descriptor — what the queue, the mailbox writer
 * and the mailer pipes need: every byte written or an error, never a
 * short write passed on.
 */
#ifndef SDMAIL_UTIL_FDIO_H
#define SDMAIL_UTIL_FDIO_H

#include <stddef.h>

/* Write all n bytes (retrying after signals); 0, or -errno (-EIO if the
 * descriptor takes nothing). */
int fd_write_all(int fd, const void *buf, size_t n);

#endif
