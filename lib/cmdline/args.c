/*
 * args: sendmail's command line (args.h).
 */
#include "cmdline/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/options.h"
#include "util/debug.h"

static void personality(const char *argv0, struct invocation *inv)
{
	static const struct {
		const char *name;
		char mode;
	} names[] = {
		{"mailq", 'p'}, {"newaliases", 'i'}, {"hoststat", 'h'}, {"purgestat", 'H'}, {"smtpd", 'd'},
	};
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i].name) == 0)
			inv->mode = names[i].mode;
	inv->mailq_personality = inv->mode == 'p';
}

static void add_option(struct invocation *inv, const char *prefix, const char *text)
{
	sb_puts(&inv->options, prefix);
	sb_put(&inv->options, text, strlen(text) + 1);
	inv->noptions++;
}

/* -q[!][I|R|S|Q]substr, -q[time], -qf, -qp[time], -qGgroup */
static int parse_queue_run(const char *arg, struct queue_run_spec *q)
{
	q->run = true;
	if (arg == NULL || *arg == '\0')
		return 0;
	switch (*arg) {
	case 'f':
		q->foreground = true;
		return 0;
	case 'p':
		q->persistent = true;
		q->interval = option_convtime(NULL, arg + 1, 'm');
		return 0;
	case 'G':
		q->group = arg + 1;
		return 0;
	case '!':
		q->negate = true;
		arg++;
		/* FALLTHROUGH */
	case 'I':
	case 'R':
	case 'S':
	case 'Q':
	case 'L':
		if (*arg != 'I' && *arg != 'R' && *arg != 'S' && *arg != 'Q' && *arg != 'L')
			return EX_USAGE;
		q->select = *arg;
		q->pattern = arg + 1;
		return 0;
	default:
		q->interval = option_convtime(NULL, arg, 'm');
		return 0;
	}
}

/*
 * sendmail rewrites the options getopt cannot express before parsing:
 * a bare -q is one queue run, a bare -d all categories, a bare -C the
 * file sendmail.cf in the current directory — "bare" meaning last, or
 * followed by another option; otherwise the next word is the argument.
 */
static void rewrite_bare_options(int argc, char **argv)
{
	static char q0[] = "-q0", dall[] = "-d0-99.1", cdef[] = "-Csendmail.cf";
	for (int i = 1; i < argc; i++) {
		bool bare = i + 1 >= argc || argv[i + 1][0] == '-';
		if (argv[i][0] != '-' || strcmp(argv[i], "--") == 0)
			break;
		if (!bare && argv[i][2] == '\0' && strchr("qdC", argv[i][1]))
			i++; /* the next word is this option's argument */
		else if (strcmp(argv[i], "-q") == 0)
			argv[i] = q0;
		else if (strcmp(argv[i], "-d") == 0)
			argv[i] = dall;
		else if (strcmp(argv[i], "-C") == 0)
			argv[i] = cdef;
		else if (i + 1 < argc && strchr("ABbCdeFfhLMNOopQRrVX", argv[i][1]) &&
			 argv[i][2] == '\0')
			i++; /* the next word is this option's argument */
	}
}

int args_parse(int argc, char **argv, struct invocation *inv, struct debug_flags *dbg)
{
	static const char optstring[] = "+A:B:b:C:cD:d:e:F:f:Gh:IiL:M:mN:nO:o:p:Q:q:R:r:sTtV:vX:";
	int c;

	memset(inv, 0, sizeof(*inv));
	rewrite_bare_options(argc, argv);
	inv->mode = 'm';
	personality(argv[0], inv);
	opterr = 0;
	optind = 1;
	while ((c = getopt(argc, argv, optstring)) != -1) {
		switch (c) {
		case 'b':
			if (strchr("acdDhHimpPstvC", optarg[0]) == NULL || optarg[1] != '\0') {
				if (optarg[0] == 'z') {
					fputs("Frozen configurations unsupported\n", stdout);
					return EX_USAGE;
				}
				printf("Invalid operation mode %c\n", optarg[0]);
				return EX_USAGE;
			}
			inv->mode = optarg[0];
			break;
		case 'C': inv->cf_file = optarg; break;
		case 'A':
			if (optarg[0] == 'c' || optarg[0] == 'm')
				inv->alt = optarg[0];
			break;
		case 'd':
			debug_parse(dbg, optarg);
			inv->debug = true;
			break;
		case 'o': add_option(inv, "", optarg); break;
		case 'O': add_option(inv, " ", optarg); break;
		case 'M':
			sb_put(&inv->macros, optarg, strlen(optarg) + 1);
			inv->nmacros++;
			break;
		case 'v': inv->verbose = true; break;
		case 't': inv->read_recipients = true; break;
		case 'f':
		case 'r': inv->from = optarg; break;
		case 'F': inv->fullname = optarg; break;
		case 'N': inv->notify = optarg; break;
		case 'R': inv->ret = optarg; break;
		case 'V': inv->envid = optarg; break;
		case 'B': inv->bodytype = optarg; break;
		case 'p': inv->protocol = optarg; break;
		case 'L': inv->log_tag = optarg; break;
		case 'X': inv->xscript = optarg; break;
		case 'h': inv->hop_count = atoi(optarg); break;
		case 'Q':
			inv->queue_opt = true;
			inv->quarantine = optarg;
			break;
		case 'q':
			if (parse_queue_run(optarg, &inv->q) != 0) {
				fprintf(stderr, "%s: illegal option -- %c\n", argv[0], c);
				return EX_USAGE;
			}
			break;
		/* one-letter shorthands for options */
		case 'i': add_option(inv, "", "i"); break;
		case 'm': add_option(inv, "", "m"); break;
		case 'c': add_option(inv, "", "c"); break;
		case 's': add_option(inv, "", "f"); break;
		case 'e': {
			char buf[4] = {'e', optarg[0], '\0', '\0'};
			add_option(inv, "", buf);
			break;
		}
		case 'T': {
			char buf[256];
			snprintf(buf, sizeof(buf), "T%s", optarg ? optarg : "");
			add_option(inv, "", buf);
			break;
		}
		case 'I': inv->mode = 'i'; break;
		case 'G': case 'n': case 'D': case 'U':
			/* accepted: gateway submission, no aliasing, debug file */
			break;
		case '?':
			if (optopt == 'Q') {
				/* -Q as the last argument: an empty queue group name */
				inv->queue_opt = true;
				break;
			}
			if (optopt == 'q') {
				inv->q.run = true;
				break;
			}
			fprintf(stderr, "%s: illegal option -- %c\n", argv[0], optopt);
			return EX_USAGE;
		default:
			break;
		}
	}
	inv->rest = argv + optind;
	inv->nrest = argc - optind;
	return 0;
}

void args_free(struct invocation *inv)
{
	sb_free(&inv->options);
	sb_free(&inv->macros);
}
