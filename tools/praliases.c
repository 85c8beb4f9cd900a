/*
 * praliases: print the alias databases that newaliases built, one
 * "name:value" line per entry (the "@:@" end marker included), or only
 * the given names ("name: No such key" when a database lacks one) — as
 * sendmail's praliases does.  The files are those of the AliasFile
 * option of the configuration (-C, default sendmail.cf), which is only
 * scanned for that option, or the one given with -f.  Entries are listed
 * sorted by name, where sendmail lists them in its hash order.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "aliases/aliasdb.h"
#include "cf/options.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "version.h"

static void usage(void)
{
	fputs("usage: praliases [-C cffile] [-f aliasfile] [key ...]\n", stderr);
}


static void alias_file_line(void *arg, char *line)
{
	struct strbuf *files = arg;
	const char *v = option_line_value(line, 'A', "AliasFile");

	if (v == NULL || *v == '\0')
		return;
	if (files->len > 0)
		sb_putc(files, ',');
	sb_puts(files, v);
}

/* Scan the configuration for AliasFile; 0 or EX_NOINPUT. */
static int read_alias_files(const char *cfpath, struct strbuf *files)
{
	int rc = option_each_cf_line(cfpath, alias_file_line, files);

	if (rc < 0) {
		fprintf(stderr, "praliases: %s: %s\n", cfpath, strerror(-rc));
		return EX_NOINPUT;
	}
	return 0;
}

static void print_entry(void *arg, const char *key, const char *value)
{
	(void)arg;
	printf("%s:%s\n", key, value);
}

struct keys {
	char **v;
	int n;
};

static void show(const char *spec, char **keys, int nkeys);

static void show_spec(void *arg, const char *spec)
{
	const struct keys *k = arg;
	show(spec, k->v, k->n);
}

/* One AliasFile spec: list it, or look the keys up in it. */
static void show(const char *spec, char **keys, int nkeys)
{
	const char *colon = strchr(spec, ':'), *slash = strchr(spec, '/');
	const char *file = spec;
	struct alias_db *db;

	if (colon != NULL && (slash == NULL || colon < slash)) {
		size_t n = (size_t)(colon - spec);
		if (!((n == 4 && strncmp(spec, "hash", 4) == 0) ||
		      (n == 5 && strncmp(spec, "btree", 5) == 0) ||
		      (n == 3 && strncmp(spec, "dbm", 3) == 0))) {
			fprintf(stderr, "praliases: Skipping non-file based alias type %.*s\n",
			        (int)n, spec);
			return;
		}
		file = colon + 1;
	}
	db = alias_db_open(file);
	if (db == NULL) {
		fprintf(stderr, "praliases: %s: open: %s\n", file,
		        errno == ENOENT || errno == EINVAL ? "Unknown database type"
		                                           : strerror(errno));
		return;
	}
	if (nkeys == 0)
		alias_db_list(db, print_entry, NULL);
	for (int i = 0; i < nkeys; i++) {
		char *v = alias_db_get(db, keys[i]);
		if (v != NULL)
			printf("%s:%s\n", keys[i], v);
		else
			printf("%s: No such key\n", keys[i]);
		free(v);
	}
	alias_db_close(db);
}

int main(int argc, char **argv)
{
	const char *cfpath = SDMAIL_CONFDIR "/sendmail.cf", *file = NULL;
	struct strbuf files = STRBUF_INIT;
	struct keys keys;
	int c, rc;

	while ((c = getopt(argc, argv, "C:f:")) != -1) {
		switch (c) {
		case 'C':
			cfpath = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		default:
			usage();
			return EX_USAGE;
		}
	}
	if (file != NULL) {
		show(file, argv + optind, argc - optind);
		return EX_OK;
	}
	rc = read_alias_files(cfpath, &files);
	if (rc != 0)
		return rc;
	keys.v = argv + optind;
	keys.n = argc - optind;
	alias_for_each_spec(sb_str(&files), show_spec, &keys);
	sb_free(&files);
	return EX_OK;
}
