/*
 * testmode: sendmail's address test mode (`sendmail -bt`).  Reads
 * commands from a stream after the `> ` prompt and answers them exactly
 * as sendmail 8.17 does: running an address through a comma-separated
 * list of rulesets, =S ruleset dumps, =M, $x and $=c, .D and .C, -d,
 * /tryflags /try /parse /sender /canon /mx /map /expand /header /quit
 * and the ? help.
 */
#ifndef SDMAIL_TESTMODE_TESTMODE_H
#define SDMAIL_TESTMODE_TESTMODE_H

#include <stdio.h>

struct cf;

/* Run test mode until EOF or /quit; returns the exit status (cf->exit_status). */
int testmode_run(struct cf *cf, FILE *in);

/* Handle one input line (without newline); false for /quit. */
int testmode_line(struct cf *cf, char *line);

#endif
