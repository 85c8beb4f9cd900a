/*
 * map_misc: the map classes that need no database: dequote, sequence,
 * switch, regex, macro, arith, stab, user, null, syslog, socket (the
 * socketmap protocol) and program.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <regex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/macro.h"
#include "maps/map.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- dequote ------------------------------------------------------------ */

static bool dequote_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	m->flags |= MF_KEEPQUOTES;
	m->spacesub = '\0';
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-')
			continue;
		switch (argv[i][1]) {
		case 's': case 'S': m->spacesub = argv[i][2]; break;
		case 'a': free(m->app); m->app = xstrdup(argv[i] + 2); break;
		case 'D': m->flags |= MF_DEFER; break;
		default:
			cf_error(cf, EX_SOFTWARE, "Illegal option %c map %s", argv[i][1], m->name);
			break;
		}
	}
	return true;
}

static char *dequote_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			    const char *key, char **args, int *status, struct pool *pool)
{
	char *out = pool_strdup(pool, key), *q = out;
	int angles = 0, comments = 0, quotes = 0, spaces = 0;
	bool escaped = false, in_quote = false;
	(void)cf;
	(void)env;
	(void)status;
	(void)args;

	for (const char *p = key; *p; p++) {
		char c = *p;
		if (escaped) {
			escaped = false;
			*q++ = c;
			continue;
		}
		if (c == ' ' && m->spacesub != '\0')
			c = m->spacesub;
		switch (c) {
		case '\\': escaped = true; break;
		case '(': comments++; break;
		case ')': if (comments-- <= 0) return NULL; break;
		case ' ': case '\t': spaces++; break;
		default: break;
		}
		if (comments > 0) {
			*q++ = c;
			continue;
		}
		switch (c) {
		case '"':
			in_quote = !in_quote;
			quotes++;
			continue;
		case '<': angles++; break;
		case '>': if (angles-- <= 0) return NULL; break;
		default: break;
		}
		*q++ = c;
	}
	*q = '\0';
	if (angles != 0 || comments != 0 || escaped || in_quote || quotes == 0 || spaces > 0)
		return NULL;
	return map_rewrite(m, out, NULL, pool);
}

const struct map_class map_class_dequote = {"dequote", false, dequote_parse, NULL,
					    dequote_lookup, NULL};

/* ---- sequence and switch ------------------------------------------------ */

static void add_submap(struct map *m, const char *name)
{
	m->submaps = xrealloc(m->submaps, (size_t)(m->nsubmaps + 1) * sizeof(char *));
	m->submaps[m->nsubmaps++] = xstrdup(name);
}

static bool sequence_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	(void)cf;
	for (int i = 0; i < argc; i++)
		add_submap(m, argv[i]);
	return true;
}

static char *sequence_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			     const char *key, char **args, int *status, struct pool *pool)
{
	bool tempfail = false;
	for (int i = 0; i < m->nsubmaps; i++) {
		struct map *sub = map_find(cf, m->submaps[i]);
		int st = 0;
		char *r;
		if (sub == NULL || sub == m || !map_ensure_open(cf, sub))
			continue;
		r = sub->mclass->lookup(cf, env, sub, key, args, &st, pool);
		if (r != NULL)
			return r;
		if (st == EX_TEMPFAIL)
			tempfail = true;
	}
	if (tempfail)
		*status = EX_TEMPFAIL;
	return NULL;
}

const struct map_class map_class_sequence = {"sequence", false, sequence_parse, NULL,
					     sequence_lookup, NULL};

static bool switch_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	const char *service = argc > 0 ? argv[argc - 1] : NULL;
	const char *path = cf->opt.str[OPT_ServiceSwitchFile] ? cf->opt.str[OPT_ServiceSwitchFile]
							       : "/etc/mail/service.switch";
	FILE *f;
	char line[1024];

	if (service == NULL) {
		cf_error(cf, EX_SOFTWARE, "switch map %s: no service name", m->name);
		return false;
	}
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *w = strtok_r(line, " \t\r\n", &save);
		if (w == NULL || strcmp(w, service) != 0)
			continue;
		while ((w = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
			char name[256];
			if (*w == '#')
				break;
			snprintf(name, sizeof(name), "%s.%s", m->name, w);
			add_submap(m, name);
		}
		break;
	}
	if (f != NULL)
		fclose(f);
	if (m->nsubmaps == 0) {
		char name[256];
		snprintf(name, sizeof(name), "%s.files", m->name);
		add_submap(m, name);
	}
	return true;
}

const struct map_class map_class_switch = {"switch", false, switch_parse, NULL,
					   sequence_lookup, NULL};

/* ---- regex --------------------------------------------------------------- */

struct regex_map {
	regex_t re;
	int subs[10];
	int nsubs;
	char delim;
};

static bool regex_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	struct regex_map *r = xcalloc(1, sizeof(*r));
	int cflags = REG_EXTENDED | REG_ICASE;
	struct strbuf pattern = STRBUF_INIT;
	int i, rc;

	r->delim = ' ';
	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		const char *v = argv[i] + 2;
		switch (argv[i][1]) {
		case 'n': m->flags |= MF_REGEX_NOT; break;
		case 'f': cflags &= ~REG_ICASE; break;
		case 'b': cflags &= ~REG_EXTENDED; break;
		case 's':
			for (const char *p = v; *p && r->nsubs < 10;) {
				r->subs[r->nsubs++] = atoi(p);
				while (*p && *p != ',')
					p++;
				if (*p == ',')
					p++;
			}
			break;
		case 'd': r->delim = *v; break;
		case 'a': free(m->app); m->app = xstrdup(v); break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 'D': m->flags |= MF_DEFER; break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'S': m->spacesub = *v; break;
		case 'T': free(m->tapp); m->tapp = xstrdup(v); break;
		default: break;
		}
	}
	for (; i < argc; i++) {
		if (pattern.len > 0)
			sb_putc(&pattern, ' ');
		sb_puts(&pattern, argv[i]);
	}
	if (r->nsubs == 0)
		cflags |= REG_NOSUB;
	rc = regcomp(&r->re, sb_str(&pattern), cflags);
	sb_free(&pattern);
	if (rc != 0) {
		char err[256];
		regerror(rc, &r->re, err, sizeof(err));
		cf_error(cf, EX_SOFTWARE, "pattern-compile-error: %s", err);
		free(r);
		return false;
	}
	m->priv = r;
	return true;
}

static char *regex_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			  const char *key, char **args, int *status, struct pool *pool)
{
	struct regex_map *r = m->priv;
	regmatch_t pm[10];
	bool matched;
	(void)cf;
	(void)env;
	(void)status;

	matched = regexec(&r->re, key, 10, pm, 0) == 0;
	if (m->flags & MF_REGEX_NOT)
		matched = !matched;
	if (!matched)
		return NULL;
	if (m->flags & MF_MATCHONLY)
		return map_rewrite(m, key, args, pool);
	if (r->nsubs > 0 && !(m->flags & MF_REGEX_NOT)) {
		struct strbuf sb = STRBUF_INIT;
		char *out;
		for (int i = 0; i < r->nsubs; i++) {
			int s = r->subs[i];
			if (s < 0 || s > 9 || pm[s].rm_so < 0)
				continue;
			if (sb.len > 0)
				sb_putc(&sb, r->delim);
			sb_put(&sb, key + pm[s].rm_so, (size_t)(pm[s].rm_eo - pm[s].rm_so));
		}
		out = map_rewrite(m, sb_str(&sb), args, pool);
		sb_free(&sb);
		return out;
	}
	return map_rewrite(m, "", args, pool);
}

static void regex_close(struct map *m)
{
	struct regex_map *r = m->priv;
	if (r != NULL) {
		regfree(&r->re);
		free(r);
	}
	m->priv = NULL;
}

const struct map_class map_class_regex = {"regex", false, regex_parse, NULL, regex_lookup,
					  regex_close};

/* ---- macro and arith -------------------------------------------------- */

static bool flags_only_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-')
			continue;
		switch (argv[i][1]) {
		case 'a': free(m->app); m->app = xstrdup(argv[i] + 2); break;
		case 'D': m->flags |= MF_DEFER; break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 'S': m->spacesub = argv[i][2]; break;
		case 'T': free(m->tapp); m->tapp = xstrdup(argv[i] + 2); break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'f': m->flags |= MF_NOFOLDCASE; break;
		case 'o': m->flags |= MF_OPTIONAL; break;
		default:
			cf_error(cf, EX_SOFTWARE, "Illegal option %c map %s", argv[i][1], m->name);
			break;
		}
	}
	return true;
}

static char *macro_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			  const char *key, char **args, int *status, struct pool *pool)
{
	char name[64];
	const char *k = key;
	size_t n = strlen(k);
	int id;
	(void)m;

	if (n >= 2 && k[0] == '{' && k[n - 1] == '}') {
		snprintf(name, sizeof(name), "%.*s", (int)n - 2, k + 1);
	} else {
		snprintf(name, sizeof(name), "%s", k);
	}
	id = macro_id(cf, name, true);
	if (id == 0) {
		*status = EX_CONFIG;
		return NULL;
	}
	if (args[0] != NULL && args[1] != NULL)
		macro_define(env, id, args[1]);
	else
		macro_define(env, id, NULL);
	return pool_strdup(pool, "");
}

const struct map_class map_class_macro = {"macro", false, flags_only_parse, NULL,
					  macro_lookup, NULL};

static char *arith_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			  const char *key, char **args, int *status, struct pool *pool)
{
	long long a, b, r;
	bool boolean = false;
	char buf[32];
	(void)cf;
	(void)env;

	if (args[0] == NULL || args[1] == NULL || args[2] == NULL || key[0] == '\0' ||
	    key[1] != '\0') {
		*status = EX_CONFIG;
		return NULL;
	}
	a = atoll(args[1]);
	b = atoll(args[2]);
	switch (key[0]) {
	case '+': r = a + b; break;
	case '-': r = a - b; break;
	case '*': r = a * b; break;
	case '/':
		if (b == 0)
			return NULL;
		r = a / b;
		break;
	case '%':
		if (b == 0)
			return NULL;
		r = a % b;
		break;
	case '|': r = a | b; break;
	case '&': r = a & b; break;
	case 'l': boolean = true; r = a < b; break;
	case '=': boolean = true; r = a == b; break;
	case 'r':
		if (b < a)
			return NULL;
		r = a + (long long)(random() % (b - a + 1));
		break;
	default:
		*status = EX_CONFIG;
		return NULL;
	}
	if (boolean)
		snprintf(buf, sizeof(buf), "%s", r ? "TRUE" : "FALSE");
	else
		snprintf(buf, sizeof(buf), "%lld", r);
	return map_rewrite(m, buf, NULL, pool);
}

const struct map_class map_class_arith = {"arith", false, flags_only_parse, NULL,
					  arith_lookup, NULL};

/* ---- stab: values stored in memory by sdmail itself (aliases) ----------- */

struct stab_entry {
	char *key, *value;
	struct stab_entry *next;
};

void map_stab_store(struct map *m, const char *key, const char *value);
void map_stab_store(struct map *m, const char *key, const char *value)
{
	struct stab_entry *e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	for (char *p = e->key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	e->value = xstrdup(value);
	e->next = m->priv;
	m->priv = e;
}

static char *stab_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			 const char *key, char **args, int *status, struct pool *pool)
{
	(void)cf;
	(void)env;
	(void)status;
	for (struct stab_entry *e = m->priv; e; e = e->next)
		if (strcasecmp(e->key, key) == 0)
			return map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : e->value, args,
					   pool);
	return NULL;
}

static void stab_close(struct map *m)
{
	struct stab_entry *e = m->priv;
	while (e != NULL) {
		struct stab_entry *next = e->next;
		free(e->key);
		free(e->value);
		free(e);
		e = next;
	}
	m->priv = NULL;
}

const struct map_class map_class_stab = {"stab", false, flags_only_parse, NULL, stab_lookup,
					 stab_close};

/* ---- user ------------------------------------------------------------- */

static char *user_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			 const char *key, char **args, int *status, struct pool *pool)
{
	static const char *const fields[] = {"name", "passwd", "uid", "gid",
					     "gecos", "dir", "shell"};
	struct passwd *pw = getpwnam(key);
	char buf[64];
	const char *v = NULL;
	int col = 0;
	(void)cf;
	(void)env;
	(void)status;

	if (pw == NULL)
		return NULL;
	if (m->valcolnm != NULL) {
		if (isdigit((unsigned char)m->valcolnm[0]))
			col = atoi(m->valcolnm);
		else
			for (int i = 0; i < 7; i++)
				if (strcasecmp(fields[i], m->valcolnm) == 0)
					col = i + 1;
	}
	switch (col) {
	case 0: case 1: v = (m->flags & MF_MATCHONLY) || col == 0 ? key : pw->pw_name; break;
	case 2: v = pw->pw_passwd; break;
	case 3: snprintf(buf, sizeof(buf), "%u", (unsigned)pw->pw_uid); v = buf; break;
	case 4: snprintf(buf, sizeof(buf), "%u", (unsigned)pw->pw_gid); v = buf; break;
	case 5: v = pw->pw_gecos; break;
	case 6: v = pw->pw_dir; break;
	case 7: v = pw->pw_shell; break;
	default: v = key; break;
	}
	return map_rewrite(m, v ? v : "", args, pool);
}

const struct map_class map_class_user = {"user", false, NULL, NULL, user_lookup, NULL};

/* ---- null and syslog -------------------------------------------------- */

static char *null_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			 const char *key, char **args, int *status, struct pool *pool)
{
	(void)cf; (void)env; (void)m; (void)key; (void)args; (void)status; (void)pool;
	return NULL;
}

const struct map_class map_class_null = {"null", false, flags_only_parse, NULL, null_lookup,
					 NULL};

static char *syslog_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			   const char *key, char **args, int *status, struct pool *pool)
{
	(void)cf; (void)env; (void)m; (void)args; (void)status; (void)pool;
	syslog(LOG_NOTICE, "%s", key);
	return NULL;
}

static bool syslog_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	(void)cf; (void)m; (void)argv; (void)argc;
	return true;
}

const struct map_class map_class_syslog = {"syslog", false, syslog_parse, NULL, syslog_lookup,
					   NULL};

/* ---- socket: the socketmap protocol ------------------------------------ */

static int socket_connect(const char *spec)
{
	int fd = -1;

	if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0) {
		struct sockaddr_un sun;
		const char *path = strchr(spec, ':') + 1;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(path) >= sizeof(sun.sun_path))
			return -1;
		strcpy(sun.sun_path, path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			close(fd);
			fd = -1;
		}
	} else if (strncmp(spec, "inet:", 5) == 0 || strncmp(spec, "inet6:", 6) == 0) {
		char port[32], host[256];
		const char *p = strchr(spec, ':') + 1;
		const char *at = strchr(p, '@');
		struct addrinfo hints, *res = NULL, *ai;
		if (at == NULL)
			return -1;
		snprintf(port, sizeof(port), "%.*s", (int)(at - p), p);
		snprintf(host, sizeof(host), "%s", at + 1);
		if (host[0] == '[') {
			memmove(host, host + 1, strlen(host));
			char *rb = strchr(host, ']');
			if (rb)
				*rb = '\0';
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_family = spec[4] == '6' ? AF_INET6 : AF_UNSPEC;
		if (getaddrinfo(host, port, &hints, &res) != 0)
			return -1;
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
			if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
				break;
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
		freeaddrinfo(res);
	}
	return fd;
}

static bool socket_open(struct cf *cf, struct map *m)
{
	int fd = socket_connect(m->file ? m->file : "");
	if (fd < 0) {
		if (!(m->flags & MF_OPTIONAL))
			fprintf(cf->out, "socket map \"%s\": cannot connect to %s: %s\n", m->name,
				m->file ? m->file : "", strerror(errno));
		return false;
	}
	m->priv = (void *)(intptr_t)(fd + 1);
	return true;
}

static void socket_close(struct map *m)
{
	if (m->priv != NULL)
		close((int)(intptr_t)m->priv - 1);
	m->priv = NULL;
}

static bool read_full(int fd, char *buf, size_t n, int timeout_ms)
{
	size_t got = 0;
	while (got < n) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t r;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		r = read(fd, buf + got, n - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

static char *socket_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			   const char *key, char **args, int *status, struct pool *pool)
{
	int fd = (int)(intptr_t)m->priv - 1;
	int timeout_ms = m->timeout > 0 ? (int)m->timeout * 1000 : 10000;
	struct strbuf req = STRBUF_INIT;
	char lenbuf[16], *reply = NULL, *r = NULL;
	size_t len = 0, i = 0;
	(void)cf;
	(void)env;

	sb_printf(&req, "%zu:%s %s,", strlen(m->name) + 1 + strlen(key), m->name, key);
	if (write(fd, req.s, req.len) != (ssize_t)req.len)
		goto tempfail;
	while (i < sizeof(lenbuf) - 1) {
		if (!read_full(fd, lenbuf + i, 1, timeout_ms))
			goto tempfail;
		if (lenbuf[i] == ':')
			break;
		if (!isdigit((unsigned char)lenbuf[i]))
			goto tempfail;
		len = len * 10 + (size_t)(lenbuf[i] - '0');
		i++;
	}
	if (len > 100000)
		goto tempfail;
	reply = xmalloc(len + 2);
	if (!read_full(fd, reply, len + 1, timeout_ms) || reply[len] != ',')
		goto tempfail;
	reply[len] = '\0';
	if (strncmp(reply, "OK", 2) == 0 && (reply[2] == ' ' || reply[2] == '\0'))
		r = map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : reply + (reply[2] ? 3 : 2),
				args, pool);
	else if (strncmp(reply, "NOTFOUND", 8) != 0)
		*status = strncmp(reply, "PERM", 4) == 0 ? EX_UNAVAILABLE : EX_TEMPFAIL;
	free(reply);
	sb_free(&req);
	return r;
tempfail:
	free(reply);
	sb_free(&req);
	socket_close(m);
	m->flags &= ~MF_OPEN;
	*status = EX_TEMPFAIL;
	return NULL;
}

const struct map_class map_class_socket = {"socket", true, NULL, socket_open, socket_lookup,
					   socket_close};

/* ---- program ---------------------------------------------------------- */

static bool program_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	int i;
	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		switch (argv[i][1]) {
		case 'a': free(m->app); m->app = xstrdup(argv[i] + 2); break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 'f': m->flags |= MF_NOFOLDCASE; break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 'D': m->flags |= MF_DEFER; break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'T': free(m->tapp); m->tapp = xstrdup(argv[i] + 2); break;
		default:
			cf_error(cf, EX_SOFTWARE, "Illegal option %c map %s", argv[i][1], m->name);
			break;
		}
	}
	if (i >= argc) {
		cf_error(cf, EX_SOFTWARE, "No file name for %s map %s", "program", m->name);
		return false;
	}
	free(m->file);
	m->file = xstrdup(argv[i]);
	for (i++; i < argc; i++)
		add_submap(m, argv[i]); /* extra program arguments */
	return true;
}

static char *program_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			    const char *key, char **args, int *status, struct pool *pool)
{
	int pfd[2], wst;
	pid_t pid;
	char buf[1024];
	size_t got = 0;
	char *r = NULL;
	(void)cf;
	(void)env;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		*status = EX_OSERR;
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		*status = EX_OSERR;
		return NULL;
	}
	if (pid == 0) {
		char **argv = xcalloc((size_t)m->nsubmaps + 3, sizeof(char *));
		const char *base = strrchr(m->file, '/');
		int n = 0;
		argv[n++] = (char *)(base ? base + 1 : m->file);
		for (int i = 0; i < m->nsubmaps; i++)
			argv[n++] = m->submaps[i];
		argv[n++] = (char *)key;
		argv[n] = NULL;
		dup2(pfd[1], STDOUT_FILENO);
		execv(m->file, argv);
		_exit(EX_OSFILE);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t n = read(pfd[0], buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got >= sizeof(buf) - 1)
			break;
	}
	close(pfd[0]);
	buf[got] = '\0';
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0) {
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = '\0';
		r = map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : buf, args, pool);
	} else if (WIFEXITED(wst) && WEXITSTATUS(wst) == EX_TEMPFAIL) {
		*status = EX_TEMPFAIL;
	}
	return r;
}

const struct map_class map_class_program = {"program", true, program_parse, NULL,
					    program_lookup, NULL};
