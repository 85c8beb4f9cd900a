/*
 * testmode: the -bt command interpreter (testmode.h).
 */
#include "testmode/testmode.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "cf/header.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "deliver/mxroute.h"
#include "dns/resolve.h"
#include "maps/map.h"
#include "msg/crackaddr.h"
#include "msg/headers.h"
#include "rules/parseaddr.h"
#include "rules/rewrite.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define TEST_LINE_SIZE 2048



static void run_ctx(struct cf *cf, struct rw_ctx *ctx, struct pool *pool)
{
	*ctx = (struct rw_ctx){.cf = cf, .env = &cf->macros, .pool = pool, .test_mode = true};
}

static void help(struct cf *cf)
{
	fputs("Help for test mode:\n"
	      "?\t\t :this help message.\n"
	      ".Dmvalue\t :define macro `m' to `value'.\n"
	      ".Ccvalue\t :add `value' to class `c'.\n"
	      "=Sruleset\t :dump the contents of the indicated ruleset.\n"
	      "=M\t\t :display the known mailers.\n"
	      "-ddebug-spec\t :equivalent to the command-line -d debug flag.\n"
	      "$m\t\t :print the value of macro $m.\n"
	      "$=c\t\t :print the contents of class $=c.\n"
	      "/mx host\t :returns the MX records for `host'.\n"
	      "/gethostbyname host [family]  :calls gethostbyname() for `host'.\n"
	      "/dnslookup host [qtype] [flags]\t :Does a qtype DNS lookup for `host'.\n"
	      "/parse address\t :parse address, returning the value of crackaddr, and\n"
	      "\t\t  the parsed address.\n"
	      "/sender address\t :parse sender address, returning the value of\n"
	      "\t\t  setsender.\n"
	      "/expand string\t :expands string, returning the value of expand.\n"
	      "/try mailer addr :rewrite address into the form it will have when\n"
	      "\t\t  presented to the indicated mailer.\n"
	      "/tryflags flags\t :set flags used by parsing.  The flags can be `H' for\n"
	      "\t\t  Header or `E' for Envelope, and `S' for Sender or `R'\n"
	      "\t\t  for Recipient.  These can be combined, `HR' sets\n"
	      "\t\t  flags for header recipients.\n"
	      "/canon hostname\t :try to canonify hostname.\n"
	      "/map mapname key :look up `key' in the indicated `mapname'.\n"
	      "/header header\t :parses header, returning header flags\n"
	      "/quit\t\t :quit address test mode.\n"
	      "rules addr\t :run the indicated address through the named rules.\n"
	      "\t\t  Rules can be a comma separated list of rules.\n"
	      "End of HELP info\n",
	      cf->out);
}

static void print_tokens_line(struct cf *cf, const char *prefix, char **vec, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, prefix);
	for (; vec && *vec; vec++) {
		meta_xputs(cf, &sb, *vec);
		sb_puts(&sb, sep);
	}
	fputs(sb_str(&sb), cf->out);
	sb_free(&sb);
}

static void dump_ruleset(struct cf *cf, const char *spec)
{
	int rs = cf_ruleset_parse(cf, spec, false);
	if (rs < 0) {
		fprintf(cf->out, "Undefined ruleset %s\n", spec);
		return;
	}
	for (struct rule *r = cf->rulesets[rs].rules; r; r = r->next) {
		print_tokens_line(cf, "R", r->lhs, " ");
		print_tokens_line(cf, "\t\t", r->rhs, " ");
		fputc('\n', cf->out);
	}
}

static void print_class_word(const char *word, void *arg)
{
	fprintf((FILE *)arg, "%s\n", word);
}

static void dollar_command(struct cf *cf, const char *line)
{
	const char *p = line + 1;
	int id;
	if (*p == '=') {
		p++;
		id = macro_parse_id(cf, &p);
		if (id > 0)
			class_foreach(cf->classes, id, print_class_word, cf->out);
		return;
	}
	id = macro_parse_id(cf, &p);
	if (id <= 0)
		return;
	const char *v = macro_get(&cf->macros, id);
	if (v == NULL) {
		fputs("Undefined\n", cf->out);
	} else {
		struct strbuf sb = STRBUF_INIT;
		meta_xputs(cf, &sb, v);
		fprintf(cf->out, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
}

static void dot_command(struct cf *cf, const char *line)
{
	const char *p = line + 2;
	int id;
	switch (line[1]) {
	case 'D':
		id = macro_parse_id(cf, &p);
		if (id > 0)
			macro_define_text(cf, &cf->macros, id, p);
		return;
	case 'C': {
		struct strbuf exp = STRBUF_INIT;
		char *t;
		id = macro_parse_id(cf, &p);
		if (id <= 0)
			return;
		t = macro_translate(cf, p);
		macro_expand(cf, &cf->macros, t, &exp);
		class_add_words(cf->classes, id, sb_str(&exp));
		free(t);
		sb_free(&exp);
		return;
	}
	case '\0':
		fputs("Usage: .[DC]macro value(s)\n", cf->out);
		return;
	default:
		fprintf(cf->out, "Unknown \".\" command %s\n", line);
		return;
	}
}

static void equals_command(struct cf *cf, const char *line)
{
	switch (line[1]) {
	case 'S':
		dump_ruleset(cf, line + 2);
		return;
	case 'M':
		mailer_print_all(cf);
		return;
	case '\0':
		fputs("Usage: =Sruleset or =M\n", cf->out);
		return;
	default:
		fprintf(cf->out, "Unknown \"=\" command %s\n", line);
		return;
	}
}

static void dash_command(struct cf *cf, const char *line)
{
	if (line[1] == 'd') {
		debug_parse(&cf->dbg, line + 2);
		return;
	}
	if (line[1] == '\0')
		fputs("Usage: -d{debug arguments}\n", cf->out);
	else
		fprintf(cf->out, "Unknown \"-\" command %s\n", line);
}

static void cmd_canon(struct cf *cf, const char *arg)
{
	char host[1025];
	snprintf(host, sizeof(host), "%s", arg);
	dns_canonify(cf, host, sizeof(host));
	fprintf(cf->out, "getcanonname(%s) returns %s\n", arg, host);
}

static void cmd_mx(struct cf *cf, const char *arg)
{
	struct mx_route r;
	int n = mxroute_lookup(cf, arg, false, true, &r);

	fprintf(cf->out, "getmxrr(%s) returns %d value(s):\n", arg, n);
	for (int i = 0; i < r.n; i++)
		fprintf(cf->out, "\t%s\n", r.hosts[i]);
	mxroute_free(&r);
}

static void cmd_map(struct cf *cf, char *arg)
{
	char *key = arg;
	struct map *m;
	struct pool pool = POOL_INIT;
	char *args[2];
	int status = 0;
	char *r;

	while (*key && !isspace((unsigned char)*key))
		key++;
	if (*key == '\0') {
		fputs("No key specified\n", cf->out);
		return;
	}
	*key++ = '\0';
	while (isspace((unsigned char)*key))
		key++;
	m = map_find(cf, arg);
	if (m == NULL) {
		fprintf(cf->out, "Map named \"%s\" not found\n", arg);
		return;
	}
	if (!map_ensure_open(cf, m) && (m->flags & MF_OPTIONAL)) {
		fprintf(cf->out, "Map named \"%s\" not open\n", arg);
		return;
	}
	fprintf(cf->out, "map_lookup: %s (%s) ", arg, key);
	fflush(cf->out);
	args[0] = key;
	args[1] = NULL;
	if (m->flags & MF_OPEN)
		r = m->mclass->lookup(cf, &cf->macros, m, key, args, &status, &pool);
	else {
		r = NULL;
		status = EX_TEMPFAIL;
	}
	if (r != NULL)
		fprintf(cf->out, "returns %s (%d)\n", r, status);
	else
		fprintf(cf->out, "no match (%d)\n", status);
	pool_release(&pool);
}

static void cmd_tryflags(struct cf *cf, const char *arg)
{
	if (*arg == '\0') {
		fputs("Usage: /tryflags [Hh|Ee][Ss|Rr]\n", cf->out);
		return;
	}
	cf->try_flags = 0;
	for (const char *p = arg; *p; p++) {
		switch (*p) {
		case 'H': case 'h': cf->try_flags |= RF_HEADERADDR; break;
		case 'E': case 'e': cf->try_flags &= ~RF_HEADERADDR; break;
		case 'S': case 's': cf->try_flags |= RF_SENDERADDR; break;
		case 'R': case 'r': cf->try_flags &= ~RF_SENDERADDR; break;
		default: break;
		}
	}
}

static const char *flags_words(int f, const char **second)
{
	*second = (f & RF_SENDERADDR) ? "sender" : "recipient";
	return (f & RF_HEADERADDR) ? "header" : "envelope";
}

static void cmd_try(struct cf *cf, char *arg)
{
	char *addr = arg;
	const struct mailer *m;
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx;
	const char *w2, *w1;
	char *result;
	int st;

	while (*addr && !isspace((unsigned char)*addr))
		addr++;
	if (*arg == '\0' || *addr == '\0') {
		fputs("Usage: /try mailer address\n", cf->out);
		return;
	}
	*addr++ = '\0';
	while (isspace((unsigned char)*addr))
		addr++;
	m = mailer_find(cf, arg);
	if (m == NULL) {
		fprintf(cf->out, "Unknown mailer %s\n", arg);
		return;
	}
	w1 = flags_words(cf->try_flags, &w2);
	fprintf(cf->out, "Trying %s %s address %s for mailer %s\n", w1, w2, addr, m->name);
	run_ctx(cf, &ctx, &pool);
	st = remote_name(&ctx, addr, m, cf->try_flags, &result);
	{
		struct strbuf sb = STRBUF_INIT;
		meta_xputs(cf, &sb, result ? result : "");
		fprintf(cf->out, "Rcode = %d, addr = %s\n", st, sb_str(&sb));
		sb_free(&sb);
	}
	pool_release(&pool);
}

static void cmd_parse(struct cf *cf, const char *arg)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx;
	struct address a;
	char *cracked = crackaddr(cf, arg);
	struct strbuf sb = STRBUF_INIT;
	const char *w2, *w1 = flags_words(cf->try_flags, &w2);

	meta_xputs(cf, &sb, cracked);
	fprintf(cf->out, "Cracked address = %s\nParsing %s %s address\n", sb_str(&sb), w1, w2);
	sb_free(&sb);
	free(cracked);
	run_ctx(cf, &ctx, &pool);
	if (!parse_address(&ctx, arg, cf->try_flags, '\0', NULL, &a))
		fputs("Cannot parse\n", cf->out);
	else if (a.host != NULL && a.host[0] != '\0')
		fprintf(cf->out, "mailer %s, host %s, user %s\n", a.mailer_name ? a.mailer_name : "",
			a.host, a.user ? a.user : "");
	else
		fprintf(cf->out, "mailer %s, user %s\n", a.mailer_name ? a.mailer_name : "",
			a.user ? a.user : "");
	pool_release(&pool);
}

static void cmd_sender(struct cf *cf, const char *arg)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx;
	struct address a;
	const char *from = *arg ? arg : text_invoking_user();

	run_ctx(cf, &ctx, &pool);
	set_sender(&ctx, from, &a);
	fprintf(cf->out, "addr=%s\n", from);
	pool_release(&pool);
}

static void cmd_header(struct cf *cf, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char name[256];
	unsigned long flags;

	if (colon == NULL || colon == arg) {
		fprintf(cf->out, "header syntax error, line \"%s\"\n", arg);
		cf_set_status(cf, EX_SOFTWARE);
		fputs("ul = 00000000\n", cf->out);
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(colon - arg), arg);
	for (size_t n = strlen(name); n > 0 && isspace((unsigned char)name[n - 1]); n--)
		name[n - 1] = '\0';
	flags = header_flags(name) | H_USER;
	fprintf(cf->out, "ul = %#010lx\n", flags);
}

static void slash_command(struct cf *cf, char *line)
{
	char *cmd = line + 1, *arg = cmd;
	while (*arg && !isspace((unsigned char)*arg))
		arg++;
	if (*arg)
		*arg++ = '\0';
	while (isspace((unsigned char)*arg))
		arg++;

	if (strcasecmp(cmd, "quit") == 0) {
		return;
	} else if (strcasecmp(cmd, "mx") == 0) {
		if (*arg == '\0')
			fputs("Usage: /mx address\n", cf->out);
		else
			cmd_mx(cf, arg);
	} else if (strcasecmp(cmd, "canon") == 0) {
		if (*arg == '\0')
			fputs("Usage: /canon address\n", cf->out);
		else
			cmd_canon(cf, arg);
	} else if (strcasecmp(cmd, "map") == 0) {
		if (*arg == '\0')
			fputs("Usage: /map mapname key\n", cf->out);
		else
			cmd_map(cf, arg);
	} else if (strcasecmp(cmd, "tryflags") == 0) {
		cmd_tryflags(cf, arg);
	} else if (strcasecmp(cmd, "try") == 0) {
		cmd_try(cf, arg);
	} else if (strcasecmp(cmd, "parse") == 0) {
		if (*arg == '\0')
			fputs("Usage: /parse address\n", cf->out);
		else
			cmd_parse(cf, arg);
	} else if (strcasecmp(cmd, "sender") == 0) {
		cmd_sender(cf, arg);
	} else if (strcasecmp(cmd, "expand") == 0) {
		if (*arg == '\0') {
			fputs("Usage: /expand string\n", cf->out);
		} else {
			struct strbuf sb = STRBUF_INIT;
			meta_xputs(cf, &sb, arg);
			fputs(sb_str(&sb), cf->out);
			sb_free(&sb);
		}
	} else if (strcasecmp(cmd, "header") == 0) {
		cmd_header(cf, arg);
	} else if (strcasecmp(cmd, "gethostbyname") == 0) {
		/* sendmail prints its results only under -d */
	} else if (*cmd == '\0') {
		fputs("Usage: /[canon|map|mx|parse|try|tryflags]\n", cf->out);
	} else {
		fprintf(cf->out, "Unknown \"/\" command %s\n", line);
	}
}

/* "rs1,rs2 address[,address...]" */
static void rules_command(struct cf *cf, char *line)
{
	char *p = line, *list, *addr;
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx;

	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		fputs("No address!\n", cf->out);
		return;
	}
	*p++ = '\0';
	list = line;
	addr = p;
	run_ctx(cf, &ctx, &pool);
	while (*addr != '\0') {
		char *pvp[MAXATOM + 1];
		const char *end;
		int n = tok_scan(cf, addr, ',', TOK_TEST, pvp, &pool, &end);
		if (n < 0)
			break;
		if (n > 0) {
			char *q = list;
			while (*q != '\0') {
				char *comma = strchr(q, ',');
				int rs, st;
				if (comma == q) {
					/* an empty name: sendmail shows the rest of the list */
					fprintf(cf->out, "invalid ruleset name: \"%.20s\"\n", q);
					fprintf(cf->out, "Undefined ruleset %s\n", q);
					break;
				}
				if (comma)
					*comma = '\0';
				rs = cf_ruleset_parse(cf, q, false);
				if (comma)
					*comma = ',';
				if (rs < 0) {
					fprintf(cf->out, "Undefined ruleset %s\n", q);
					break;
				}
				if (comma)
					*comma = '\0';
				st = rw_rewrite(&ctx, pvp, rs, 0);
				if (comma)
					*comma = ',';
				/* sendmail names the ruleset by the rest of the list */
				if (st != 0)
					fprintf(cf->out, "== Ruleset %s (%d) status %d\n", q, rs, st);
				if (comma == NULL)
					break;
				q = comma + 1;
				if (*q == '\0') {
					fprintf(cf->out, "Undefined ruleset %s\n", q);
					break;
				}
			}
		}
		if (*end == '\0')
			break;
		addr = (char *)end + 1;
	}
	pool_release(&pool);
}

int testmode_line(struct cf *cf, char *line)
{
	size_t n = strlen(line);
	char *p = line;

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	switch (*p) {
	case '\0':
	case '#':
		return 1;
	case '?':
		help(cf);
		return 1;
	case '.':
		dot_command(cf, p);
		return 1;
	case '=':
		equals_command(cf, p);
		return 1;
	case '-':
		dash_command(cf, p);
		return 1;
	case '$':
		dollar_command(cf, p);
		return 1;
	case '/':
		if (strncasecmp(p, "/quit", 5) == 0 && (p[5] == '\0' || isspace((unsigned char)p[5])))
			return 0;
		slash_command(cf, p);
		return 1;
	default:
		rules_command(cf, p);
		return 1;
	}
}

int testmode_run(struct cf *cf, FILE *in)
{
	char line[TEST_LINE_SIZE];

	cf->try_flags = 0;
	cf->show_messages = true;
	fputs("ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n"
	      "Enter <ruleset> <address>\n",
	      cf->out);
	for (;;) {
		fputs("> ", cf->out);
		fflush(cf->out);
		if (fgets(line, sizeof(line), in) == NULL)
			break;
		if (!testmode_line(cf, line))
			break;
	}
	fflush(cf->out);
	return cf->exit_status;
}
