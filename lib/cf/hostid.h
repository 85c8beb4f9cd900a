/*
 * hostid: who am I — the host identity macros and class w, detected as
 * sendmail detects them: $w (short name), $j (canonical name), $m (domain),
 * $k (uname node name) from gethostname() and the resolver's host entry
 * (its canonical name, aliases and addresses, which also go into $=w),
 * and the addresses of every interface as [a.b.c.d] or [IPv6:...].  Also
 * prints the -d0.4 / -d0.20 / -d0.40 lines and the SYSTEM IDENTITY block.
 */
#ifndef SDMAIL_CF_HOSTID_H
#define SDMAIL_CF_HOSTID_H

struct cf;

/* Before reading the cf: define $w $j $m $k and fill class w. */
void hostid_setup(struct cf *cf);
/* After reading the cf: add interface addresses unless DontProbeInterfaces. */
void hostid_probe_interfaces(struct cf *cf);
/* After reading: make sure $j is in class w; print -d0.1 identity. */
void hostid_finish(struct cf *cf);

#endif
