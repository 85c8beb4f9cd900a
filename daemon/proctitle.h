/*
 * proctitle: what `ps` shows for sdmail's processes, as sendmail sets it
 * ("sendmail: accepting connections", "sendmail: server [1.2.3.4] cmd
 * read").  The title replaces the command line in place: the space of
 * argv and environ, which is moved out of the way first.
 */
#ifndef SDMAIL_DAEMON_PROCTITLE_H
#define SDMAIL_DAEMON_PROCTITLE_H

/* Call once from main() with its argc/argv before anything reads environ. */
void proctitle_init(int argc, char **argv);
void proctitle_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
