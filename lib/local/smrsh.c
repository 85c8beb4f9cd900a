/*
 * smrsh: the restricted shell's command rewriting (see smrsh.h).
 */
#include "local/smrsh.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <sysexits.h>
#include <unistd.h>

struct rewrite {
	const char *cmd;
	int shown; /* how much of cmd messages quote (see segment()) */
	const char *cmddir;
	uid_t uid;
	struct strbuf *out;
	struct smrsh_error *err;
};

static int too_long(struct rewrite *rw)
{
	rw->err->status = EX_UNAVAILABLE;
	int n = rw->shown < 40 ? rw->shown : 40;
	sb_printf(&rw->err->text, "command too long: %.*s", rw->shown, rw->cmd);
	sb_printf(&rw->err->log, "command too long: %.*s", n, rw->cmd);
	rw->err->log_priority = LOG_WARNING;
	return -1;
}

static int refuse_char(struct rewrite *rw, char c)
{
	rw->err->status = EX_UNAVAILABLE;
	sb_printf(&rw->err->text, "cannot use %c in command", c);
	sb_printf(&rw->err->log, "uid %d: attempt to use %c in command: %.*s", (int)rw->uid, c,
		  rw->shown, rw->cmd);
	rw->err->log_priority = LOG_CRIT;
	return -1;
}

static int refuse_program(struct rewrite *rw, const char *base, size_t n, const char *why)
{
	rw->err->status = EX_UNAVAILABLE;
	sb_printf(&rw->err->text, "\"%.*s\" not available for sendmail programs%s", (int)n, base,
		  why);
	/* the log quotes the rest of the command from the program's name on */
	sb_printf(&rw->err->log, "uid %d: attempt to use \"%s\"%s", (int)rw->uid, base, why);
	rw->err->log_priority = LOG_CRIT;
	return -1;
}

static int append(struct rewrite *rw, const char *s, size_t n)
{
	if (rw->out->len + n > SMRSH_MAX_COMMAND)
		return too_long(rw);
	sb_put(rw->out, s, n);
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p)
{
	while (blank(*p))
		p++;
	return p;
}

/* The program word [p, end): check it and write its path in the smrsh directory. */
static int program(struct rewrite *rw, const char *p, const char *end)
{
	const char *base = p;
	for (const char *q = p; q < end; q++)
		if (*q == '/')
			base = q + 1;
	size_t n = (size_t)(end - base);
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int e = 0;
	sb_printf(&path, "%s/%.*s", rw->cmddir, (int)n, base);
	if (path.len >= PATH_MAX)
		e = refuse_program(rw, base, n, " (filename too long)");
	else if (stat(path.s, &st) < 0)
		e = refuse_program(rw, base, n, " (stat failed)");
	else if (!S_ISREG(st.st_mode))
		e = refuse_program(rw, base, n, " (not a file)");
	else if (access(path.s, X_OK) < 0)
		e = refuse_program(rw, base, n, "");
	else
		e = append(rw, path.s, path.len);
	sb_free(&path);
	return e;
}

/* Copy the rest of a segment; *next: the following segment, or NULL at the end. */
static int rest(struct rewrite *rw, const char *p, const char **next)
{
	for (; *p; p++) {
		char c = *p;
		if (c == '|' || c == '&') {
			if (p[1] != c)
				return refuse_char(rw, c);
			*next = p + 2;
			return append(rw, p, 2);
		}
		if (strchr("`<>;$()\r\n", c) != NULL)
			return refuse_char(rw, c);
		if (append(rw, &c, 1) < 0)
			return -1;
	}
	*next = NULL;
	return 0;
}

static int segment(struct rewrite *rw, const char *p, const char **next)
{
	p = skip_blanks(p);
	*next = NULL;
	if (*p == '\0')
		return 0;
	while (strncmp(p, "exec", 4) == 0 && blank(p[4])) {
		/* smrsh 8.17 ends its copy of the command after the first "exec"
		 * it meets, and quotes only that much from then on */
		int end = (int)(p - rw->cmd) + 4;
		if (end < rw->shown)
			rw->shown = end;
		if (append(rw, "exec ", 5) < 0)
			return -1;
		p = skip_blanks(p + 4);
		if (*p == '\0') {
			rw->err->status = EX_UNAVAILABLE;
			sb_puts(&rw->err->text, "missing command to exec");
			sb_printf(&rw->err->log, "uid %d: missing command to exec", (int)rw->uid);
			rw->err->log_priority = LOG_CRIT;
			return -1;
		}
	}
	const char *end = p + strcspn(p, " \t");
	size_t n = (size_t)(end - p);
	bool builtin = (n == 4 && (strncmp(p, "echo", 4) == 0 || strncmp(p, "exit", 4) == 0));
	if (!builtin) {
		if (program(rw, p, end) < 0)
			return -1;
		p = end;
	}
	return rest(rw, p, next);
}

int smrsh_rewrite(const char *cmd, const char *cmddir, uid_t uid, struct strbuf *out,
		  struct smrsh_error *err)
{
	size_t len = strlen(cmd);
	struct rewrite rw = {cmd, len > INT_MAX ? INT_MAX : (int)len, cmddir, uid, out, err};
	const char *p = cmd;
	sb_reset(out);
	if (len + strlen(cmddir) + 1 > SMRSH_MAX_COMMAND)
		return too_long(&rw);
	while (p != NULL)
		if (segment(&rw, p, &p) < 0)
			return -1;
	return 0;
}
