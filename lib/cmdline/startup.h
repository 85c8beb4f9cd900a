/*
 * startup: what every run of the sendmail command and of sm-mta does
 * before its mode starts — choosing the configuration file by mode (-C,
 * -Ac, -Am, submit.cf for submission), the -d0 start-up output, reading
 * the file, applying -o/-O/-M from the command line after it as sendmail
 * does, host identity and class w, the run-time macros ($v, ${opMode},
 * ${deliveryMode}, $_, ${load_avg}) and the final checks.  The two
 * programs differ only in what happens between reading and the command
 * line's options (the setgid command gives up its group there), given as
 * hooks.
 */
#ifndef SDMAIL_CMDLINE_STARTUP_H
#define SDMAIL_CMDLINE_STARTUP_H

#include <stddef.h>

struct cf;
struct invocation;

struct startup_hooks {
	/* after the file was read, before -o/-O/-M are applied */
	void (*after_read)(struct cf *cf, const struct invocation *inv, void *arg);
	/* after they were applied */
	void (*after_options)(struct cf *cf, const struct invocation *inv, void *arg);
	void *arg;
};

/* The configuration file for this invocation (in buf unless -C named one). */
const char *startup_choose_cf(const struct invocation *inv, char *buf, size_t size);

/* Read and check the configuration; 0 or a sysexits code. */
int startup_load(struct cf *cf, const struct invocation *inv, const struct startup_hooks *hooks);

#endif
