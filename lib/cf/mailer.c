/*
 * mailer: M line parsing and the built-in mailers (mailer.h).
 */
#include "cf/mailer.h"

#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/meta.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define FIRST_FREE_SLOT 4

static void set_flags(struct mailer *m, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!isspace(*p) && *p != ',')
			m->flags[*p / 8] |= (unsigned char)(1u << (*p % 8));
}

static char **split_argv(const char *s)
{
	char **argv = NULL;
	size_t n = 0, cap = 0;
	const char *p = s;
	while (*p) {
		const char *start;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		argv = xgrow(argv, &cap, n + 2, sizeof(char *));
		argv[n++] = xstrndup(start, (size_t)(p - start));
	}
	argv = xgrow(argv, &cap, n + 1, sizeof(char *));
	argv[n] = NULL;
	return argv;
}

static struct mailer *new_mailer(const char *name)
{
	struct mailer *m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	m->uid = (uid_t)-1;
	m->gid = (gid_t)-1;
	m->maxrcpt = 100;
	return m;
}

void mailer_free(struct mailer *m)
{
	if (m == NULL)
		return;
	free(m->name);
	free(m->path);
	for (char **a = m->argv; a && *a; a++)
		free(*a);
	free(m->argv);
	free(m->eol);
	free(m->charset);
	free(m->execdir);
	free(m->rootdir);
	free(m->mtatype);
	free(m->addrtype);
	free(m->diagtype);
	free(m->queue);
	free(m);
}

static struct mailer *builtin(const char *name, const char *path, const char *flags,
			      const char *types, const char *args)
{
	struct mailer *m = new_mailer(name);
	char *t = xstrdup(types), *s1, *s2;
	m->path = xstrdup(path);
	set_flags(m, flags);
	m->eol = xstrdup("\n");
	s1 = strchr(t, '/');
	*s1++ = '\0';
	s2 = strchr(s1, '/');
	*s2++ = '\0';
	if (*t)
		m->mtatype = xstrdup(t);
	if (*s1)
		m->addrtype = xstrdup(s1);
	if (*s2)
		m->diagtype = xstrdup(s2);
	free(t);
	m->argv = split_argv(args);
	return m;
}

static void install(struct cf *cf, int slot, struct mailer *m)
{
	mailer_free(cf->mailers[slot]);
	m->index = slot;
	cf->mailers[slot] = m;
	if (slot >= cf->nmailers)
		cf->nmailers = slot + 1;
}

void mailer_setup_builtin(struct cf *cf)
{
	/* "sh -c $u" and "FILE $u" keep $u in the internal encoding */
	char *a = macro_translate(cf, "sh -c $u");
	install(cf, 0, builtin("prog", "/bin/sh", "9Dloqsu", "X-Unix/X-Unix/X-Unix", a));
	free(a);
	a = macro_translate(cf, "FILE $u");
	install(cf, 1, builtin("*file*", "[FILE]", "9DEFMPloqsu", "X-Unix/X-Unix/X-Unix", a));
	free(a);
	a = macro_translate(cf, "INCLUDE $u");
	install(cf, 2, builtin("*include*", "/dev/null", "su", "//", a));
	free(a);
	cf->prog_mailer = cf->mailers[0];
	cf->file_mailer = cf->mailers[1];
	cf->include_mailer = cf->mailers[2];
	cf->nmailers = FIRST_FREE_SLOT;
}

struct mailer *mailer_find(const struct cf *cf, const char *name)
{
	for (int i = 0; i < MAXMAILERS; i++)
		if (cf->mailers[i] != NULL && strcmp(cf->mailers[i]->name, name) == 0)
			return cf->mailers[i];
	return NULL;
}

/* sendmail's munchstring: a value up to ',' with quotes and \ escapes */
static const char *munch(const char *p, struct strbuf *out)
{
	bool quoted = false, escaped = false;
	for (; *p; p++) {
		if (escaped) {
			escaped = false;
			sb_putc(out, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
			continue;
		}
		if (*p == '\\') {
			escaped = true;
			continue;
		}
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (*p == ',' && !quoted)
			break;
		sb_putc(out, *p);
	}
	return p;
}

static void parse_rulesets(struct cf *cf, const char *v, int *env, int *hdr)
{
	char *copy = xstrdup(v), *slash = strchr(copy, '/');
	if (slash)
		*slash++ = '\0';
	*env = *copy ? cf_ruleset_parse(cf, copy, true) : 0;
	*hdr = slash && *slash ? cf_ruleset_parse(cf, slash, true) : *env;
	if (*env < 0)
		*env = 0;
	if (*hdr < 0)
		*hdr = 0;
	free(copy);
}

static void parse_user(struct cf *cf, struct mailer *m, const char *v)
{
	char *copy = xstrdup(v), *colon = strchr(copy, ':');
	if (colon)
		*colon++ = '\0';
	if (*copy) {
		if (isdigit((unsigned char)*copy)) {
			m->uid = (uid_t)atol(copy);
		} else {
			struct passwd *pw = getpwnam(copy);
			if (pw == NULL) {
				cf_error(cf, EX_SOFTWARE, "readcf: mailer U= flag: unknown user %s", copy);
			} else {
				m->uid = pw->pw_uid;
				if (colon == NULL || *colon == '\0')
					m->gid = pw->pw_gid;
			}
		}
	}
	if (colon && *colon) {
		if (isdigit((unsigned char)*colon)) {
			m->gid = (gid_t)atol(colon);
		} else {
			struct group *gr = getgrnam(colon);
			if (gr == NULL)
				cf_error(cf, EX_SOFTWARE, "readcf: mailer U= flag: unknown group %s",
					 colon);
			else
				m->gid = gr->gr_gid;
		}
	}
	free(copy);
}

static void parse_types(struct mailer *m, const char *v)
{
	char *copy = xstrdup(v), *a = copy, *b = NULL, *c = NULL;
	b = strchr(a, '/');
	if (b) {
		*b++ = '\0';
		c = strchr(b, '/');
		if (c)
			*c++ = '\0';
	}
	free(m->mtatype);
	free(m->addrtype);
	free(m->diagtype);
	m->mtatype = *a ? xstrdup(a) : NULL;
	m->addrtype = b && *b ? xstrdup(b) : NULL;
	m->diagtype = c && *c ? xstrdup(c) : NULL;
	free(copy);
}

/* Apply one `X=value` equate; false on a fatal error for this M line. */
static bool apply_equate(struct cf *cf, struct mailer *m, char code, const char *v)
{
	switch (code) {
	case 'P': free(m->path); m->path = xstrdup(v); break;
	case 'F': set_flags(m, v); break;
	case 'E':
		if (*v == '\0') {
			cf_error(cf, EX_SOFTWARE, "mailer %s: null end-of-line string", m->name);
			break;
		}
		free(m->eol);
		m->eol = xstrdup(v);
		break;
	case 'A':
		for (char **a = m->argv; a && *a; a++)
			free(*a);
		free(m->argv);
		m->argv = split_argv(v);
		break;
	case 'M': m->maxsize = atol(v); break;
	case 'm': m->maxmsgs = atoi(v); break;
	case 'L': m->linelimit = atoi(v); break;
	case 'N': m->nice = atoi(v); break;
	case 'D':
		if (*v == '\0')
			cf_error(cf, EX_SOFTWARE, "mailer %s: null working directory", m->name);
		free(m->execdir);
		m->execdir = xstrdup(v);
		break;
	case 'C':
		if (*v == '\0')
			cf_error(cf, EX_SOFTWARE, "mailer %s: null charset", m->name);
		free(m->charset);
		m->charset = xstrdup(v);
		break;
	case 'T': parse_types(m, v); break;
	case 'Q':
		if (*v == '\0') {
			cf_error(cf, EX_SOFTWARE, "mailer %s: null queue", m->name);
		} else if (strcmp(v, "mqueue") != 0) {
			cf_error(cf, EX_SOFTWARE, "mailer %s: unknown queue %s", m->name, v);
		}
		free(m->queue);
		m->queue = xstrdup(v);
		break;
	case 'r': m->maxrcpt = atoi(v); break;
	case 'R': parse_rulesets(cf, v, &m->r_env, &m->r_hdr); break;
	case 'S': parse_rulesets(cf, v, &m->s_env, &m->s_hdr); break;
	case 'U': parse_user(cf, m, v); break;
	case 'W': m->wait = option_convtime(cf, v, 's'); break;
	case '/':
		if (*v == '\0')
			cf_error(cf, EX_SOFTWARE, "mailer %s: null root directory", m->name);
		free(m->rootdir);
		m->rootdir = xstrdup(v);
		break;
	default:
		/* reported, but the mailer is still defined, as in sendmail */
		cf_error(cf, EX_SOFTWARE, "M%s: unknown mailer equate %c=", m->name, code);
		break;
	}
	return true;
}

static bool check_mailer(struct cf *cf, struct mailer *m)
{
	int argc = 0;
	if (m->argv == NULL) {
		cf_error(cf, EX_SOFTWARE, "M%s: A= argument required", m->name);
		return false;
	}
	if (m->path == NULL) {
		cf_error(cf, EX_SOFTWARE, "M%s: P= argument required", m->name);
		return false;
	}
	for (char **a = m->argv; *a; a++)
		argc++;
	if (strcmp(m->path, "[TCP]") == 0) {
		cf_error(cf, EX_SOFTWARE, "M%s: P=[TCP] must be replaced by P=[IPC]", m->name);
		return false;
	}
	if (strcmp(m->path, "[IPC]") == 0) {
		if (argc < 2) {
			cf_error(cf, EX_SOFTWARE, "M%s: too few parameters for %s mailer", m->name,
				 m->path);
			return false;
		}
		if (strcmp(m->argv[0], "TCP") != 0 && strcmp(m->argv[0], "FILE") != 0)
			fprintf(cf->out, "M%s: Warning: first argument in %s mailer must be %s\n",
				m->name, m->path, "TCP or FILE");
		if (m->mtatype == NULL && m->addrtype == NULL && m->diagtype == NULL) {
			m->mtatype = xstrdup("dns");
			m->addrtype = xstrdup("rfc822");
			m->diagtype = xstrdup("smtp");
		}
	} else if (strcmp(m->path, "[FILE]") == 0) {
		if (argc < 2) {
			cf_error(cf, EX_SOFTWARE, "M%s: too %s parameters for [FILE] mailer", m->name,
				 "few");
			return false;
		}
		if (argc > 2) {
			cf_error(cf, EX_SOFTWARE, "M%s: too %s parameters for [FILE] mailer", m->name,
				 "many");
			return false;
		}
		if (strcmp(m->argv[0], "FILE") != 0) {
			cf_error(cf, EX_SOFTWARE, "M%s: first argument in [FILE] mailer must be FILE",
				 m->name);
			return false;
		}
	}
	if (m->eol == NULL) {
		/* a mailer that gets its recipients as $u arguments reads plain
		 * lines; one without $u speaks (L|E)SMTP and wants CRLF */
		bool has_u = false;
		for (char **a = m->argv; *a && !has_u; a++)
			for (const unsigned char *c = (const unsigned char *)*a; *c; c++)
				if (*c == META_MACROEXPAND && c[1] == 'u')
					has_u = true;
		m->eol = xstrdup(has_u ? "\n" : "\r\n");
	}
	if (m->mtatype != NULL || m->addrtype != NULL || m->diagtype != NULL) {
		if (m->mtatype == NULL)
			m->mtatype = xstrdup("dns");
		if (m->addrtype == NULL)
			m->addrtype = xstrdup("rfc822");
		if (m->diagtype == NULL)
			m->diagtype = xstrdup("smtp");
	}
	return true;
}

static int slot_for(const struct cf *cf, const char *name)
{
	static const char *const fixed[] = {"prog", "*file*", "*include*", "local"};
	for (int i = 0; i < 4; i++)
		if (strcmp(name, fixed[i]) == 0)
			return i;
	for (int i = FIRST_FREE_SLOT; i < MAXMAILERS; i++)
		if (cf->mailers[i] != NULL && strcmp(cf->mailers[i]->name, name) == 0)
			return i;
	return cf->nmailers < MAXMAILERS ? cf->nmailers : -1;
}

void mailer_define(struct cf *cf, const char *body)
{
	const char *p = body;
	size_t n = strcspn(p, ", \t");
	struct mailer *m;
	int slot;

	if (n == 0) {
		cf_error(cf, EX_SOFTWARE, "name required for mailer");
		return;
	}
	m = new_mailer("");
	free(m->name);
	m->name = xstrndup(p, n);
	p += n;
	while (*p) {
		struct strbuf v = STRBUF_INIT;
		char code;
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		code = *p;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p++ != '=') {
			cf_error(cf, EX_SOFTWARE, "mailer %s: `=' expected", m->name);
			mailer_free(m);
			return;
		}
		while (isspace((unsigned char)*p))
			p++;
		p = munch(p, &v);
		if (!apply_equate(cf, m, code, sb_str(&v))) {
			sb_free(&v);
			mailer_free(m);
			return;
		}
		sb_free(&v);
	}
	if (!check_mailer(cf, m)) {
		mailer_free(m);
		return;
	}
	slot = slot_for(cf, m->name);
	if (slot < 0) {
		cf_error(cf, EX_SOFTWARE, "too many mailers defined (%d max)", MAXMAILERS);
		mailer_free(m);
		return;
	}
	if (slot == 0) {
		/* sh -c $u takes one recipient at a time */
		m->flags['m' / 8] &= (unsigned char)~(1u << ('m' % 8));
	}
	install(cf, slot, m);
	if (slot == 0)
		cf->prog_mailer = m;
	else if (slot == 1)
		cf->file_mailer = m;
	else if (slot == 2)
		cf->include_mailer = m;
	else if (slot == 3)
		cf->local_mailer = m;
}

static void put_escaped(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n')
			sb_puts(out, "\\n");
		else if (*s == '\r')
			sb_puts(out, "\\r");
		else
			sb_putc(out, *s);
	}
}

void mailer_describe(const struct cf *cf, const struct mailer *m, struct strbuf *out)
{
	char b1[12], b2[12];

	sb_printf(out, "mailer %d (%s): P=%s S=", m->index, m->name, m->path);
	sb_printf(out, "%s/", cf_ruleset_name(cf, m->s_env, b1));
	sb_printf(out, "%s R=", cf_ruleset_name(cf, m->s_hdr, b2));
	sb_printf(out, "%s/", cf_ruleset_name(cf, m->r_env, b1));
	sb_printf(out, "%s M=%ld U=%d:%d F=", cf_ruleset_name(cf, m->r_hdr, b2), m->maxsize,
		  (int)m->uid, (int)m->gid);
	for (int c = 0; c < 256; c++)
		if (mailer_has_flag(m, (unsigned char)c))
			sb_putc(out, (char)c);
	sb_printf(out, " L=%d E=", m->linelimit);
	put_escaped(out, m->eol);
	if (m->charset != NULL)
		sb_printf(out, " C=%s", m->charset);
	sb_printf(out, " T=%s/%s/%s r=%d A=", m->mtatype ? m->mtatype : "<undefined>",
		  m->addrtype ? m->addrtype : "<undefined>",
		  m->diagtype ? m->diagtype : "<undefined>", m->maxrcpt);
	for (char **a = m->argv; a && *a; a++) {
		if (a != m->argv)
			sb_putc(out, ' ');
		meta_xputs(cf, out, *a);
	}
}

void mailer_print_all(const struct cf *cf)
{
	for (int i = 0; i < MAXMAILERS; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (cf->mailers[i] == NULL)
			continue;
		mailer_describe(cf, cf->mailers[i], &sb);
		fprintf(cf->out, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
}
