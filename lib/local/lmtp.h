/*
 * lmtp: mail.local's LMTP server (RFC 2033) on standard input and output,
 * with the replies and the parsing of Debian's mail.local 8.17.1: LHLO
 * advertises 8BITMIME (unless -7), ENHANCEDSTATUSCODES and PIPELINING;
 * MAIL FROM:<path> and RCPT TO:<path> take the text between '<' and the
 * first '>', which must be followed by nothing or a space (parameters are
 * ignored); the source route ("@a,@b:") is removed from both; a recipient
 * is the rest cut at the first '@' and at the first '+'; after DATA every
 * accepted recipient gets its own reply.  Command lines are read in
 * pieces of at most 4094 bytes, each answered, as mail.local's fgets
 * loop does; message lines have no length limit.  Replies are written
 * when the next read would wait, so a pipelining client gets them in one
 * go.  The parsers are separate functions for the fuzz target.
 */
#ifndef SDMAIL_LOCAL_LMTP_H
#define SDMAIL_LOCAL_LMTP_H

#include <stdbool.h>
#include <stddef.h>

struct local_opts;

/* longest command piece, line end included */
#define LMTP_COMMAND_MAX 4094

enum lmtp_verb {
	LMTP_BAD,
	LMTP_LHLO,
	LMTP_MAIL,
	LMTP_RCPT,
	LMTP_DATA,
	LMTP_RSET,
	LMTP_NOOP,
	LMTP_QUIT,
	LMTP_VRFY,
};

/* The command of a line (line end removed); *arg: what follows "MAIL ", "RCPT ", ... */
enum lmtp_verb lmtp_parse_verb(const char *line, const char **arg);

/*
 * The path of "FROM:<path> params" (keyword "from:") or "TO:<path>"
 * ("to:"): a new string, or NULL for a syntax error (501).
 */
char *lmtp_parse_path(const char *arg, const char *keyword);

/* The path without its source route ("@a,@b:"); NULL when an '@' start has no ':'. */
const char *lmtp_strip_route(const char *path);

/*
 * The local user a RCPT path names: source route ("@a,@b:") removed, cut
 * at '@' and '+'.  A new string (possibly empty), or NULL when a path that
 * begins with '@' has no ':' (501).
 */
char *lmtp_rcpt_user(const char *path);

struct lmtp_config {
	const struct local_opts *local;
	const char *hostname;
	bool eightbit; /* advertise 8BITMIME (not -7) */
};

/* Serve one LMTP session on fds 0 and 1 until QUIT or end of input. */
void lmtp_serve(const struct lmtp_config *cfg);

#endif
