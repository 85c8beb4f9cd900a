/*
 * options: parsing of O lines and -o/-O arguments into the typed option
 * table (see options.h).
 */
#include "cf/options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/daemonopts.h"
#include "cf/macro.h"
#include "util/xalloc.h"

struct option_info {
	const char *name;
	char letter;
	enum option_type type;
	bool safe;
};

static const struct option_info option_table[OPT__COUNT] = {
#define SDMAIL_OPT_INFO(id, name, letter, type, safe) {name, letter, type, safe},
	SDMAIL_OPTIONS(SDMAIL_OPT_INFO)
#undef SDMAIL_OPT_INFO
};

static const char *const timeout_names[TO__COUNT] = {
	"initial", "connect", "aconnect", "iconnect", "helo", "mail", "rcpt",
	"datainit", "datablock", "datafinal", "rset", "quit", "misc",
	"command", "ident", "fileopen", "control", "lhlo", "auth", "starttls",
	"queuereturn.urgent", "queuereturn.normal", "queuereturn.non-urgent",
	"queuereturn.dsn",
	"queuewarn.urgent", "queuewarn.normal", "queuewarn.non-urgent", "queuewarn.dsn",
	"hoststatus", "resolver.retrans.first", "resolver.retrans.normal",
	"resolver.retry.first", "resolver.retry.normal",
};

const char *timeout_name(enum timeout_id id)
{
	return id < TO__COUNT ? timeout_names[id] : "?";
}

enum option_id option_by_letter(int letter)
{
	for (int i = 0; i < OPT__COUNT; i++)
		if (option_table[i].letter == letter)
			return (enum option_id)i;
	return OPT_UNKNOWN;
}

const char *option_name(enum option_id id)
{
	if (id == OPT_Timeout)
		return "Timeout";
	if (id >= 0 && id < OPT__COUNT)
		return option_table[id].name;
	return "?";
}

enum option_type option_type(enum option_id id)
{
	return id >= 0 && id < OPT__COUNT ? option_table[id].type : OT_SPECIAL;
}

bool option_is_safe(enum option_id id)
{
	return id >= 0 && id < OPT__COUNT && option_table[id].safe;
}

bool option_atobool(const char *s)
{
	return s == NULL || *s == '\0' || strchr("tTyY", *s) != NULL;
}

long long option_convtime(struct cf *cf, const char *p, char unit)
{
	long long total = 0;
	bool pos = true;

	if (p == NULL)
		return 0;
	while (*p != '\0') {
		long long t = 0;
		char c;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '-') {
			pos = false;
			p++;
		}
		while (isdigit((unsigned char)*p)) {
			if (t < 1000000000000LL)
				t = t * 10 + (*p - '0');
			p++;
		}
		c = *p;
		if (c == '\0')
			c = unit;
		else
			p++;
		switch (c) {
		case 'w':
			t *= 7;
			/* FALLTHROUGH */
		case 'd':
			t *= 24;
			/* FALLTHROUGH */
		case 'h':
			t *= 60;
			/* FALLTHROUGH */
		case 'm':
			t *= 60;
			/* FALLTHROUGH */
		case 's':
			break;
		default:
			if (cf != NULL)
				cf_error(cf, EX_SOFTWARE, "Invalid time unit `%c'", c);
			break;
		}
		total += t;
	}
	return pos ? total : -total;
}

static void set_str(struct option_values *ov, enum option_id id, const char *val)
{
	free(ov->str[id]);
	ov->str[id] = xstrdup(val);
	ov->set[id] = true;
}

/* --- Timeout.* ----------------------------------------------------------- */

struct timeout_alias {
	const char *name;
	int first, last; /* range of enum timeout_id set by this name */
	char unit;
};

static const struct timeout_alias timeout_aliases[] = {
	{"initial", TO_initial, TO_initial, 'm'},
	{"connect", TO_connect, TO_connect, 'm'},
	{"aconnect", TO_aconnect, TO_aconnect, 'm'},
	{"iconnect", TO_iconnect, TO_iconnect, 'm'},
	{"helo", TO_helo, TO_helo, 'm'},
	{"mail", TO_mail, TO_mail, 'm'},
	{"rcpt", TO_rcpt, TO_rcpt, 'm'},
	{"datainit", TO_datainit, TO_datainit, 'm'},
	{"datablock", TO_datablock, TO_datablock, 'm'},
	{"datafinal", TO_datafinal, TO_datafinal, 'm'},
	{"rset", TO_rset, TO_rset, 'm'},
	{"quit", TO_quit, TO_quit, 'm'},
	{"misc", TO_misc, TO_misc, 'm'},
	{"command", TO_command, TO_command, 'm'},
	{"ident", TO_ident, TO_ident, 'm'},
	{"fileopen", TO_fileopen, TO_fileopen, 'm'},
	{"control", TO_control, TO_control, 'm'},
	{"lhlo", TO_lhlo, TO_lhlo, 'm'},
	{"auth", TO_auth, TO_auth, 'm'},
	{"starttls", TO_starttls, TO_starttls, 'm'},
	{"queuereturn", TO_queuereturn_urgent, TO_queuereturn_dsn, 'd'},
	{"queuereturn.*", TO_queuereturn_urgent, TO_queuereturn_dsn, 'd'},
	{"queuereturn.urgent", TO_queuereturn_urgent, TO_queuereturn_urgent, 'd'},
	{"queuereturn.normal", TO_queuereturn_normal, TO_queuereturn_normal, 'd'},
	{"queuereturn.non-urgent", TO_queuereturn_nonurgent, TO_queuereturn_nonurgent, 'd'},
	{"queuereturn.dsn", TO_queuereturn_dsn, TO_queuereturn_dsn, 'd'},
	{"queuewarn", TO_queuewarn_urgent, TO_queuewarn_dsn, 'h'},
	{"queuewarn.*", TO_queuewarn_urgent, TO_queuewarn_dsn, 'h'},
	{"queuewarn.urgent", TO_queuewarn_urgent, TO_queuewarn_urgent, 'h'},
	{"queuewarn.normal", TO_queuewarn_normal, TO_queuewarn_normal, 'h'},
	{"queuewarn.non-urgent", TO_queuewarn_nonurgent, TO_queuewarn_nonurgent, 'h'},
	{"queuewarn.dsn", TO_queuewarn_dsn, TO_queuewarn_dsn, 'h'},
	{"hoststatus", TO_hoststatus, TO_hoststatus, 'm'},
	{"resolver.retrans", TO_resolver_retrans_first, TO_resolver_retrans_normal, 's'},
	{"resolver.retrans.first", TO_resolver_retrans_first, TO_resolver_retrans_first, 's'},
	{"resolver.retrans.normal", TO_resolver_retrans_normal, TO_resolver_retrans_normal, 's'},
	{"resolver.retry", TO_resolver_retry_first, TO_resolver_retry_normal, 's'},
	{"resolver.retry.first", TO_resolver_retry_first, TO_resolver_retry_first, 's'},
	{"resolver.retry.normal", TO_resolver_retry_normal, TO_resolver_retry_normal, 's'},
};

static void timeout_store(struct option_values *ov, int first, int last, long long secs)
{
	for (int i = first; i <= last; i++) {
		ov->timeout[i] = secs;
		ov->timeout_set[i] = true;
	}
}

_Static_assert(sizeof(timeout_aliases) / sizeof(timeout_aliases[0]) <= 64,
               "timeout_sticky has a bit per name");

/*
 * The command line's Timeout.NAME, as sendmail 8.17.1 ends up with it:
 * the cf's lines of other names that cover the same timeouts, read after
 * the command line there, win (mx-queue-timeout-class).
 */
static void timeout_from_cmdline(struct option_values *ov, int alias, long long secs)
{
	const struct timeout_alias *a = &timeout_aliases[alias];

	ov->timeout_sticky |= 1ULL << alias;
	for (int t = a->first; t <= a->last; t++) {
		long long v = secs;
		for (int i = 0; i < ov->ntimeout_lines; i++) {
			const struct timeout_alias *c =
			    &timeout_aliases[ov->timeout_lines[i].alias];
			if (!(ov->timeout_sticky & (1ULL << ov->timeout_lines[i].alias)) &&
			    c->first <= t && t <= c->last)
				v = ov->timeout_lines[i].secs;
		}
		timeout_store(ov, t, t, v);
	}
}

static void set_one_timeout(struct cf *cf, const char *name, const char *val, bool from_cmdline)
{
	struct option_values *ov = &cf->opt;

	for (size_t i = 0; i < sizeof(timeout_aliases) / sizeof(timeout_aliases[0]); i++) {
		const struct timeout_alias *a = &timeout_aliases[i];
		long long secs;
		if (strcasecmp(a->name, name) != 0)
			continue;
		secs = option_convtime(cf, val, a->unit);
		if (from_cmdline) {
			timeout_from_cmdline(ov, (int)i, secs);
			return;
		}
		ov->timeout_lines = xrealloc(ov->timeout_lines, ((size_t)ov->ntimeout_lines + 1) *
		                                                    sizeof(*ov->timeout_lines));
		ov->timeout_lines[ov->ntimeout_lines++] = (struct timeout_line){(int)i, secs};
		timeout_store(ov, a->first, a->last, secs);
		return;
	}
	cf_error(cf, EX_SOFTWARE, "settimeout: invalid timeout %s", name);
}

/* The old `r` option: "5m" sets all read timeouts, or "name=val,name=val". */
static void set_timeout_list(struct cf *cf, const char *val)
{
	char *copy = xstrdup(val), *p = copy;

	while (p != NULL && *p != '\0') {
		char *next = strpbrk(p, ",");
		char *eq;
		if (next != NULL)
			*next++ = '\0';
		while (isspace((unsigned char)*p))
			p++;
		eq = strchr(p, '=');
		if (eq == NULL) {
			long long t = option_convtime(cf, p, 'm');
			timeout_store(&cf->opt, TO_helo, TO_misc, t);
			timeout_store(&cf->opt, TO_command, TO_command, t);
		} else {
			*eq++ = '\0';
			set_one_timeout(cf, p, eq, false);
		}
		p = next;
	}
	free(copy);
}

/* --- word-list options ---------------------------------------------------- */

struct flag_word {
	const char *name;
	unsigned long long bits;
};

static const struct flag_word privacy_words[] = {
	{"public", 0},
	{"needmailhelo", PRIV_NEEDMAILHELO},
	{"needexpnhelo", PRIV_NEEDEXPNHELO},
	{"needvrfyhelo", PRIV_NEEDVRFYHELO},
	{"noexpn", PRIV_NOEXPN},
	{"novrfy", PRIV_NOVRFY},
	{"restrictexpand", PRIV_RESTRICTEXPAND},
	{"restrictmailq", PRIV_RESTRICTMAILQ},
	{"restrictqrun", PRIV_RESTRICTQRUN},
	{"noetrn", PRIV_NOETRN},
	{"noverb", PRIV_NOVERB},
	{"authwarnings", PRIV_AUTHWARNINGS},
	{"noreceipts", PRIV_NORECEIPTS},
	{"nobodyreturn", PRIV_NOBODYRETN},
	{"goaway", PRIV_GOAWAY},
	{"noactualrecipient", PRIV_NOACTUALRECIPIENT},
	{NULL, 0},
};

static const char *const dont_blame_words[] = {
	"safe", "assumesafechown", "groupwritabledirpathsafe", "groupwritableforwardfilesafe",
	"groupwritableincludefilesafe", "groupwritablealiasfile", "worldwritablealiasfile",
	"forwardfileinunsafedirpath", "includefileinunsafedirpath", "mapinunsafedirpath",
	"linkedaliasfileinwritabledir", "linkedclassfileinwritabledir",
	"linkedforwardfileinwritabledir", "linkedincludefileinwritabledir",
	"linkedmapinwritabledir", "linkedserviceswitchfileinwritabledir",
	"filedeliverytohardlink", "filedeliverytosymlink", "writemaptohardlink",
	"writemaptosymlink", "writestatstohardlink", "writestatstosymlink",
	"forwardfileingroupwritabledirpath", "includefileingroupwritabledirpath",
	"classfileinunsafedirpath", "errorheaderinunsafedirpath", "helpfileinunsafedirpath",
	"forwardfileinunsafedirpathsafe", "includefileinunsafedirpathsafe",
	"runprograminunsafedirpath", "runwritableprogram", "nonrootsafeaddr",
	"truststickybit", "dontwarnforwardfileinunsafedirpath", "insufficiententropy",
	"groupreadablesasldbfile", "groupwritablesasldbfile", "groupwritableforwardfile",
	"groupwritableincludefile", "worldwritableforwardfile", "worldwritableincludefile",
	"groupreadablekeyfile", "groupreadabledefaultauthinfofile", "certowner",
	NULL,
};

bool option_dont_blame(const struct cf *cf, const char *flag)
{
	for (int i = 1; dont_blame_words[i]; i++)
		if (strcmp(dont_blame_words[i], flag) == 0)
			return (cf->opt.dont_blame >> i) & 1;
	return false;
}

/* Split on commas and white space; call fn for each word. */
static void for_each_word(struct cf *cf, const char *val,
			  void (*fn)(struct cf *cf, const char *word))
{
	char *copy = xstrdup(val), *save = NULL;
	for (char *w = strtok_r(copy, ", \t", &save); w != NULL; w = strtok_r(NULL, ", \t", &save))
		fn(cf, w);
	free(copy);
}

static void privacy_word(struct cf *cf, const char *w)
{
	for (const struct flag_word *f = privacy_words; f->name; f++) {
		if (strcasecmp(f->name, w) == 0) {
			cf->opt.num[OPT_PrivacyOptions] |= (long long)f->bits;
			return;
		}
	}
	cf_error(cf, EX_SOFTWARE, "readcf: Op line: %s unrecognized", w);
}

static void dont_blame_word(struct cf *cf, const char *w)
{
	for (int i = 0; dont_blame_words[i]; i++) {
		if (strcasecmp(dont_blame_words[i], w) == 0) {
			if (i == 0)
				cf->opt.dont_blame = 0;
			else
				cf->opt.dont_blame |= 1ULL << i;
			return;
		}
	}
	cf_error(cf, EX_SOFTWARE, "readcf: DontBlameSendmail option: %s unrecognized", w);
}

/*
 * sendmail's resolver words and the glibc flags they stand for; aaonly and
 * primary are accepted as sendmail accepts them but glibc implements
 * neither (0).  "true" is how sendmail reads a bare "ResolverOptions".
 */
static const struct {
	const char *name;
	unsigned long bits;
} resolver_words[] = {
    {"debug", RES_DEBUG},
    {"aaonly", 0},
    {"usevc", RES_USEVC},
    {"primary", 0},
    {"igntc", RES_IGNTC},
    {"recurse", RES_RECURSE},
    {"defnames", RES_DEFNAMES},
    {"stayopen", RES_STAYOPEN},
    {"dnsrch", RES_DNSRCH},
    {"use_edns0", RES_USE_EDNS0},
    {"use_dnssec", RES_USE_DNSSEC},
    {"trustad", RES_TRUSTAD},
    {"true", 0},
};

static void resolver_word(struct cf *cf, const char *w)
{
	bool clear = *w == '-';
	const char *name = (*w == '+' || *w == '-') ? w + 1 : w;
	struct option_values *ov = &cf->opt;

	if (strcasecmp(name, "TrustAD") == 0)
		ov->resolver_trustad = !clear;
	if (strcasecmp(name, "HasWildcardMX") == 0) {
		ov->has_wildcard_mx = !clear;
		return;
	}
	if (strcasecmp(name, "WorkAroundBrokenAAAA") == 0) {
		ov->broken_aaaa = !clear;
		return;
	}
	for (size_t i = 0; i < sizeof(resolver_words) / sizeof(resolver_words[0]); i++) {
		if (strcasecmp(resolver_words[i].name, name) != 0)
			continue;
		if (clear) {
			ov->resolver_clear |= resolver_words[i].bits;
			ov->resolver_set &= ~resolver_words[i].bits;
		} else {
			ov->resolver_set |= resolver_words[i].bits;
			ov->resolver_clear &= ~resolver_words[i].bits;
		}
		return;
	}
	cf_error(cf, EX_SOFTWARE, "readcf: I option value %s unrecognized", name);
}

static void letters_option(struct cf *cf, const char *optname, const char *val,
			   const char *allowed)
{
	for (const char *p = val; *p; p++) {
		if (isspace((unsigned char)*p) || *p == ',')
			continue;
		if (strchr(allowed, *p) == NULL)
			fprintf(cf->out, "Warning: Option: %s unknown parameter '%c'\n", optname, *p);
	}
}

/* --- users and groups ---------------------------------------------------- */

static bool is_all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* "user[:group]"; prints `what` errors the way sendmail's readcf does. */
static void user_group_option(struct cf *cf, enum option_id id, const char *val, const char *what)
{
	char *copy = xstrdup(val);
	char *group = strchr(copy, ':');
	if (group != NULL)
		*group++ = '\0';
	if (*copy != '\0' && !is_all_digits(copy) && getpwnam(copy) == NULL)
		cf_error(cf, EX_SOFTWARE, "readcf: option %s: unknown user %s", what, copy);
	else if (group != NULL && *group != '\0' && !is_all_digits(group) && getgrnam(group) == NULL)
		cf_error(cf, EX_SOFTWARE, "readcf: option %s: unknown group %s", what, group);
	set_str(&cf->opt, id, val);
	free(copy);
}

/* --- the special options -------------------------------------------------- */

static int set_special(struct cf *cf, enum option_id id, const char *val, bool from_cmdline)
{
	struct option_values *ov = &cf->opt;
	(void)from_cmdline;

	switch (id) {
	case OPT_EightBitMode:
		switch (tolower((unsigned char)*val)) {
		case 'm': case 'p': case 's':
			break;
		default:
			cf_error(cf, EX_USAGE, "Unknown 8-bit mode %c", *val);
			return EX_USAGE;
		}
		ov->num[id] = tolower((unsigned char)*val);
		break;
	case OPT_DeliveryMode: {
		char mode = *val == '\0' ? 'b' : *val;
		switch (mode) {
		case 'i': case 'b': case 'q': case 'd':
			break;
		default:
			cf_error(cf, EX_USAGE, "Unknown delivery mode %c", mode);
			return EX_USAGE;
		}
		ov->num[id] = mode;
		break;
	}
	case OPT_ErrorMode:
		ov->num[id] = *val == '\0' ? 'p' : *val;
		break;
	case OPT_BlankSub:
		ov->num[id] = *val == '\0' ? ' ' : *val;
		break;
	case OPT_AliasFile:
		if (ov->str[id] != NULL && *val != '\0') {
			size_t n = strlen(ov->str[id]) + strlen(val) + 2;
			char *joined = xmalloc(n);
			snprintf(joined, n, "%s,%s", ov->str[id], val);
			free(ov->str[id]);
			ov->str[id] = joined;
			ov->set[id] = true;
			return 0;
		}
		break;
	case OPT_MinFreeBlocks: {
		const char *slash = strchr(val, '/');
		ov->num[id] = atol(val);
		if (slash != NULL) {
			ov->num[OPT_MaxMessageSize] = atol(slash + 1);
			ov->set[OPT_MaxMessageSize] = true;
		}
		break;
	}
	case OPT_PrivacyOptions:
		for_each_word(cf, val, privacy_word);
		break;
	case OPT_DontBlameSendmail:
		for_each_word(cf, val, dont_blame_word);
		break;
	case OPT_ResolverOptions:
		for_each_word(cf, val, resolver_word);
		break;
	case OPT_SuperSafe:
		ov->num[id] = (*val == 'i' || *val == 'I') ? 'i'
			    : (*val == 'p' || *val == 'P') ? 'p'
			    : option_atobool(val) ? 't' : 'f';
		break;
	case OPT_QueueTimeout: {
		const char *slash = strchr(val, '/');
		long long r = option_convtime(cf, val, 'd');
		timeout_store(ov, TO_queuereturn_urgent, TO_queuereturn_dsn, r);
		if (slash != NULL)
			timeout_store(ov, TO_queuewarn_urgent, TO_queuewarn_dsn,
				      option_convtime(cf, slash + 1, 'h'));
		break;
	}
	case OPT_QueueSortOrder:
		switch (tolower((unsigned char)*val)) {
		case 'h': case 'p': case 't': case 'f': case 'm': case 'r': case 'n':
			break;
		default:
			cf_error(cf, EX_SOFTWARE, "Invalid queue sort order \"%s\"", val);
			break;
		}
		ov->num[id] = tolower((unsigned char)*val);
		break;
	case OPT_NoRecipientAction: {
		static const char *const actions[] = {"none", "add-to", "add-apparently-to",
						      "add-bcc", "add-to-undisclosed", NULL};
		int i;
		for (i = 0; actions[i]; i++)
			if (strcasecmp(actions[i], val) == 0)
				break;
		if (actions[i] == NULL)
			cf_error(cf, EX_SOFTWARE, "Invalid NoRecipientAction: %s", val);
		else
			ov->num[id] = i;
		break;
	}
	case OPT_DefaultUser:
		user_group_option(cf, id, val, "u");
		return 0;
	case OPT_RunAsUser:
		user_group_option(cf, id, val, "RunAsUser");
		return 0;
	case OPT_TrustedUser:
		user_group_option(cf, id, val, "TrustedUser");
		return 0;
	case OPT_MustQuoteChars:
		if (strlen(val) >= 64) {
			fprintf(cf->out, "Warning: MustQuoteChars too long, ignored.\n");
			return 0;
		}
		break;
	case OPT_OperatorChars: {
		bool have_rules = false;
		for (int i = 0; i < MAXRWSETS && !have_rules; i++)
			have_rules = cf->rulesets[i].rules != NULL;
		if (have_rules)
			fprintf(cf->out, "Warning: OperatorChars is being redefined.\n"
					 "         It should only be set before ruleset definitions.\n");
		break;
	}
	case OPT_DontProbeInterfaces:
		ov->num[id] = strcasecmp(val, "loopback") == 0 ? 2 : option_atobool(val);
		break;
	case OPT_DaemonPortOptions:
	case OPT_ClientPortOptions: {
		struct daemon_port_options **list = id == OPT_DaemonPortOptions ? &ov->daemons
										  : &ov->client_ports;
		int *n = id == OPT_DaemonPortOptions ? &ov->ndaemons : &ov->nclient_ports;
		if (*n >= 64) {
			cf_error(cf, EX_SOFTWARE, "too many daemons defined (%d max)", 64);
			return 0;
		}
		if (id == OPT_DaemonPortOptions) {
			/* checked now, so that bad values are reported with the line */
			struct daemon_port dp;
			daemonopts_parse(cf, val, *n, &dp);
			daemonopts_free(&dp);
		}
		*list = xrealloc(*list, (size_t)(*n + 1) * sizeof(**list));
		(*list)[*n].spec = xstrdup(val);
		(*n)++;
		break;
	}
	case OPT_ConnectOnlyTo: {
		unsigned char buf[16];
		if (inet_pton(AF_INET, val, buf) != 1 && inet_pton(AF_INET6, val, buf) != 1)
			cf_error(cf, EX_SOFTWARE, "readcf: option ConnectOnlyTo: invalid IP address %s",
				 val);
		break;
	}
	case OPT_MaxMimeHeaderLength: {
		const char *slash = strchr(val, '/');
		long h = atol(val), f = slash ? atol(slash + 1) : h / 2;
		if (h > 0 && h < 128)
			fprintf(cf->out, "Warning: MaxMimeHeaderLength: header length limit set lower than 128\n");
		if (f > 0 && f < 40)
			fprintf(cf->out, "Warning: MaxMimeHeaderLength: field length limit set lower than 40\n");
		ov->num[id] = h;
		break;
	}
	case OPT_MaxHeadersLength:
		ov->num[id] = atol(val);
		if (ov->num[id] > 0 && ov->num[id] < 32768 / 2)
			fprintf(cf->out,
				"Warning: MaxHeadersLength: headers length limit set lower than %d\n",
				32768 / 2);
		break;
	case OPT_AuthOptions:
		letters_option(cf, "AuthOptions", val, "AacdfmpuyT");
		break;
	case OPT_TLSSrvOptions:
		letters_option(cf, "TLSSrvOptions", val, "VC");
		break;
	case OPT_SmtpUTF8:
		/* sdmail, like Debian's sendmail 8.17 build, has no EAI support yet */
		cf_error(cf, EX_SOFTWARE, "readcf: option: %s set but no USE_EAI support", "SmtpUTF8");
		break;
	default:
		break;
	}
	if (ov->str[id] == NULL || (id != OPT_DaemonPortOptions && id != OPT_ClientPortOptions))
		set_str(ov, id, val);
	ov->set[id] = true;
	return 0;
}

static int set_typed(struct cf *cf, enum option_id id, const char *val, bool from_cmdline)
{
	struct option_values *ov = &cf->opt;

	switch (option_table[id].type) {
	case OT_BOOL:
		ov->num[id] = option_atobool(val);
		break;
	case OT_INT:
	case OT_LONG:
		ov->num[id] = atoll(val);
		break;
	case OT_TIME:
		ov->num[id] = option_convtime(cf, val, 'm');
		break;
	case OT_TIME_S:
		ov->num[id] = option_convtime(cf, val, 's');
		break;
	case OT_TIME_H:
		ov->num[id] = option_convtime(cf, val, 'h');
		break;
	case OT_TIME_D:
		ov->num[id] = option_convtime(cf, val, 'd');
		break;
	case OT_MODE:
		ov->num[id] = strtol(val, NULL, 8);
		break;
	case OT_STR:
		break;
	case OT_SPECIAL:
		return set_special(cf, id, val, from_cmdline);
	}
	set_str(ov, id, val);
	return 0;
}

/* Resolve a long option name: exact match, else a unique prefix. */
static enum option_id lookup_long_name(struct cf *cf, const char *name)
{
	enum option_id found = OPT_UNKNOWN;
	size_t len = strlen(name);

	for (int i = 0; i < OPT__COUNT; i++)
		if (strcasecmp(option_table[i].name, name) == 0)
			return (enum option_id)i;
	for (int i = 0; i < OPT__COUNT; i++) {
		if (len == 0 || strncasecmp(option_table[i].name, name, len) != 0)
			continue;
		if (found != OPT_UNKNOWN) {
			cf_error(cf, EX_SOFTWARE,
				 "readcf: ambiguous option name %s (matches %s and %s)", name,
				 option_table[found].name, option_table[i].name);
			return (enum option_id)-2;
		}
		found = (enum option_id)i;
	}
	if (found != OPT_UNKNOWN)
		cf_error(cf, 0, "Option %s used as abbreviation for %s", name,
			 option_table[found].name);
	return found;
}

static int set_milter_option(struct cf *cf, const char *sub, const char *val)
{
	static const char *const known[] = {
		"LogLevel", "macros.connect", "macros.helo", "macros.envfrom", "macros.envrcpt",
		"macros.data", "macros.eoh", "macros.eom", NULL,
	};
	for (int i = 0; known[i]; i++) {
		if (strcasecmp(known[i], sub) == 0) {
			size_t old = cf->opt.milter_settings ? strlen(cf->opt.milter_settings) : 0;
			size_t n = old + strlen(known[i]) + strlen(val) + 3;
			char *s = xrealloc(cf->opt.milter_settings, n);
			snprintf(s + old, n - old, "%s=%s\n", known[i], val);
			cf->opt.milter_settings = s;
			if (dbg_on(&cf->dbg, 64, 5))
				fprintf(cf->out, "milter_set_option(%s = %s)\n", known[i], val);
			return 0;
		}
	}
	cf_error(cf, EX_SOFTWARE, "milter_set_option: invalid Milter option %s", sub);
	return 0;
}

bool option_line_is_safe(const char *body)
{
	char name[64];
	size_t n = 0;
	enum option_id found = OPT_UNKNOWN;

	if (*body != ' ') {
		/* Timeout (r) and macro definitions (M) are not safe */
		enum option_id id = option_by_letter((unsigned char)*body);
		return *body != 'r' && *body != 'M' && id != OPT_UNKNOWN && option_is_safe(id);
	}
	for (body++; *body && *body != '=' && *body != '.' && n + 1 < sizeof(name); body++)
		name[n++] = *body;
	while (n > 0 && isspace((unsigned char)name[n - 1]))
		n--;
	name[n] = '\0';
	if (*body == '.' || n == 0)
		return false; /* Timeout.x, Milter.x: never safe */
	for (int i = 0; i < OPT__COUNT; i++) {
		if (strncasecmp(option_table[i].name, name, n) != 0)
			continue;
		if (option_table[i].name[n] == '\0')
			return option_table[i].safe;
		if (found != OPT_UNKNOWN)
			return false;
		found = (enum option_id)i;
	}
	return found != OPT_UNKNOWN && option_table[found].safe;
}

static int set_long_option(struct cf *cf, const char *body, bool from_cmdline)
{
	const char *eq = strchr(body, '=');
	size_t namelen = eq ? (size_t)(eq - body) : strlen(body);
	char *name = xstrndup(body, namelen);
	const char *val = eq ? eq + 1 : "";
	char *dot;
	enum option_id id;
	int rc = 0;

	/* trailing blanks of the name and leading blanks of the value go */
	while (namelen > 0 && isspace((unsigned char)name[namelen - 1]))
		name[--namelen] = '\0';
	while (isspace((unsigned char)*val))
		val++;

	if (strncasecmp(name, "Timeout.", 8) == 0) {
		set_one_timeout(cf, name + 8, val, from_cmdline);
		goto out;
	}
	if (strcasecmp(name, "Timeout") == 0) {
		set_timeout_list(cf, val);
		goto out;
	}
	if (strncasecmp(name, "Milter.", 7) == 0) {
		rc = set_milter_option(cf, name + 7, val);
		goto out;
	}
	dot = strchr(name, '.');
	if (dot != NULL)
		*dot = '\0'; /* suboptions are ignored by the options that do not take them */
	id = lookup_long_name(cf, name);
	if ((int)id == -2)
		goto out;
	if (id == OPT_UNKNOWN) {
		cf_error(cf, EX_SOFTWARE, "readcf: unknown option name %s", name);
		goto out;
	}
	rc = set_typed(cf, id, val, from_cmdline);
out:
	free(name);
	return rc;
}

static int set_letter_option(struct cf *cf, int letter, const char *val, bool from_cmdline)
{
	enum option_id id;

	switch (letter) {
	case 'r':
		set_timeout_list(cf, val);
		return 0;
	case 'M': {
		/* OMxvalue defines macro x */
		const char *p = val;
		int mid = macro_parse_id(cf, &p);
		if (mid > 0)
			macro_define_text(cf, &cf->macros, mid, p);
		return 0;
	}
	case 'g':
		if (*val == '\0' || (!is_all_digits(val) && getgrnam(val) == NULL))
			cf_error(cf, EX_SOFTWARE, "readcf: option g: unknown group %s", val);
		return 0;
	default:
		break;
	}
	id = option_by_letter(letter);
	if (id == OPT_UNKNOWN) {
		cf_error(cf, EX_SOFTWARE, "readcf: unknown option name 0x%x", letter & 0xff);
		return 0;
	}
	return set_typed(cf, id, val, from_cmdline);
}

int option_set_line(struct cf *cf, const char *body, bool from_cmdline)
{
	if (*body == ' ')
		return set_long_option(cf, body + 1, from_cmdline);
	if (*body == '\0') {
		cf_error(cf, EX_SOFTWARE, "readcf: unknown option name 0x%x", 0);
		return 0;
	}
	return set_letter_option(cf, (unsigned char)body[0], body + 1, from_cmdline);
}

/* sendmail 8.17.1 multiplies the default QueueLA and RefuseLA by this */
static long online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

void options_defaults(struct cf *cf)
{
	struct option_values *ov = &cf->opt;

	ov->num[OPT_DeliveryMode] = 'b';
	ov->num[OPT_ErrorMode] = 'p';
	ov->num[OPT_BlankSub] = ' ';
	ov->num[OPT_MaxHopCount] = 25;
	ov->num[OPT_LogLevel] = 9;
	ov->num[OPT_MeToo] = 1;
	ov->num[OPT_SuperSafe] = 't';
	ov->num[OPT_TempFileMode] = 0600;
	ov->num[OPT_QueueFileMode] = 0600;
	ov->num[OPT_QueueFactor] = 600000;
	ov->num[OPT_ClassFactor] = 1800;
	ov->num[OPT_RecipientFactor] = 30000;
	ov->num[OPT_RetryFactor] = 90000;
	ov->num[OPT_QueueLA] = 8 * online_cpus();
	ov->num[OPT_RefuseLA] = 12 * online_cpus();
	ov->num[OPT_MaxAliasRecursion] = 10;
	ov->num[OPT_MaxMimeHeaderLength] = 0;
	ov->num[OPT_MaxHeadersLength] = 32768;
	ov->num[OPT_CheckpointInterval] = 10;
	ov->num[OPT_ConnectionRateWindowSize] = 60;
	ov->num[OPT_MaxRunnersPerQueue] = 1;
	ov->num[OPT_DataFileBufferSize] = 4096;
	ov->num[OPT_XscriptFileBufferSize] = 4096;
	ov->num[OPT_EightBitMode] = 'p';
	timeout_store(ov, TO_initial, TO_initial, 5 * 60);
	timeout_store(ov, TO_helo, TO_helo, 5 * 60);
	timeout_store(ov, TO_mail, TO_mail, 10 * 60);
	timeout_store(ov, TO_rcpt, TO_rcpt, 60 * 60);
	timeout_store(ov, TO_datainit, TO_datainit, 5 * 60);
	timeout_store(ov, TO_datablock, TO_datablock, 60 * 60);
	timeout_store(ov, TO_datafinal, TO_datafinal, 60 * 60);
	timeout_store(ov, TO_rset, TO_rset, 5 * 60);
	timeout_store(ov, TO_quit, TO_quit, 2 * 60);
	timeout_store(ov, TO_misc, TO_misc, 2 * 60);
	timeout_store(ov, TO_command, TO_command, 60 * 60);
	timeout_store(ov, TO_ident, TO_ident, 5);
	timeout_store(ov, TO_fileopen, TO_fileopen, 60);
	timeout_store(ov, TO_control, TO_control, 2 * 60);
	timeout_store(ov, TO_lhlo, TO_lhlo, 2 * 60);
	timeout_store(ov, TO_auth, TO_auth, 10 * 60);
	timeout_store(ov, TO_starttls, TO_starttls, 60 * 60);
	timeout_store(ov, TO_queuereturn_urgent, TO_queuereturn_dsn, 5 * 86400);
	timeout_store(ov, TO_queuewarn_urgent, TO_queuewarn_dsn, 0);
	timeout_store(ov, TO_hoststatus, TO_hoststatus, 30 * 60);
	for (int i = 0; i < TO__COUNT; i++)
		ov->timeout_set[i] = false;
}

void options_free(struct option_values *ov)
{
	for (int i = 0; i < OPT__COUNT; i++)
		free(ov->str[i]);
	for (int i = 0; i < ov->ndaemons; i++)
		free(ov->daemons[i].spec);
	for (int i = 0; i < ov->nclient_ports; i++)
		free(ov->client_ports[i].spec);
	free(ov->daemons);
	free(ov->client_ports);
	free(ov->milter_settings);
	free(ov->timeout_lines);
}

static bool option_blank(char c)
{
	return c == ' ' || c == '\t';
}

const char *option_line_value(const char *line, char letter, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (line[0] != 'O')
		return NULL;
	if (line[1] == letter)
		return line + 2;
	for (p = line + 1; option_blank(*p); p++)
		;
	if (p == line + 1 || strncasecmp(p, name, n) != 0)
		return NULL;
	for (p += n; option_blank(*p); p++)
		;
	if (*p != '=')
		return NULL;
	for (p++; option_blank(*p); p++)
		;
	return p;
}

int option_each_cf_line(const char *path, void (*fn)(void *arg, char *line), void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		return -errno;
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		                 option_blank(line[n - 1])))
			line[--n] = '\0';
		fn(arg, line);
	}
	free(line);
	fclose(f);
	return 0;
}
