/*
 * crash-test [ROUNDS]: kills queue writers and runners with SIGKILL at
 * random points, ROUNDS times (default 300), and after every kill checks
 * what the queue directory holds:
 *
 *   - every qf parses completely (qf_parse, ends with ".") and its df is
 *     there and complete: a qf is never half written nor without its df;
 *   - the only other files are tf files (a runner ignores them) and df
 *     files without a qf (orphans a runner ignores): what sendmail's rules
 *     allow after a crash;
 *   - a runner can lock and read every listed entry.
 *
 * Each round starts two writers (queue_new + queue_commit in a loop) and a
 * runner (lock, rewrite, remove on the third try) on one directory.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg/envelope.h"
#include "queue/qf.h"
#include "queue/queue.h"
#include "util/strbuf.h"

#define WRITERS 2

struct stats {
	int rounds, qf, tf, orphan_df, failures;
};

static void fill_envelope(struct envelope *e, unsigned n)
{
	char addr[64];

	envelope_init(e);
	e->ctime = time(NULL);
	e->priority = 30000 + (long)(n % 1000);
	envelope_set(&e->flags, "bs");
	envelope_set(&e->sender, "writer@x.example");
	envelope_set_macro(e, "_", "root@localhost");
	for (unsigned i = 0; i <= n % 4; i++) {
		snprintf(addr, sizeof(addr), "rcpt%u@y.example", i);
		envelope_add_rcpt(e, addr, "PFD");
	}
	envelope_add_header(e, "Return-Path", " <\x91g>", "P");
	envelope_add_header(e, "Subject", " durability\n\tfolded", NULL);
}

static void writer(const char *dir)
{
	struct queue q;

	if (queue_open(&q, dir, 0600) != 0)
		_exit(1);
	for (unsigned n = (unsigned)getpid();; n++) {
		struct queue_entry qe;
		struct envelope e;
		if (queue_new(&q, &qe, time(NULL)) != 0)
			_exit(1);
		for (unsigned i = 0; i < 1 + n % 300; i++)
			fprintf(qe.df, "body of %s line %u\n", qe.id, i);
		fprintf(qe.df, "end of %s\n", qe.id);
		fill_envelope(&e, n);
		if (queue_commit(&q, &qe, &e) != 0)
			_exit(1);
		queue_release(&qe);
		envelope_free(&e);
	}
}

static void runner(const char *dir)
{
	struct queue q;

	if (queue_open(&q, dir, 0600) != 0)
		_exit(1);
	for (;;) {
		struct queue_item *items;
		int n = queue_list(&q, QUEUE_ACTIVE, NULL, NULL, &items);
		for (int i = 0; i < n; i++) {
			struct queue_entry qe;
			struct envelope e;
			if (queue_lock(&q, items[i].name + 2, &qe, &e) != 0)
				continue;
			e.ntries++;
			envelope_set(&e.message, "Deferred: crash test");
			if (e.ntries >= 3)
				queue_remove(&q, &qe);
			else
				queue_rewrite(&q, &qe, &e);
			queue_release(&qe);
			envelope_free(&e);
		}
		free(items);
	}
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f;

	sb_printf(&path, "%s/%s", dir, name);
	f = fopen(sb_str(&path), "r");
	sb_free(&path);
	if (f == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_put(&text, buf, n);
	fclose(f);
	*len = text.len;
	sb_putc(&text, '\0');
	return sb_detach(&text);
}

static void fail(struct stats *st, const char *what, const char *name)
{
	fprintf(stderr, "round %d: %s: %s\n", st->rounds, name, what);
	st->failures++;
}

/* A qf must parse, end with ".", and have a complete df. */
static void check_qf(const char *dir, const char *name, struct stats *st)
{
	struct envelope e;
	struct qf_error err;
	struct strbuf dfname = STRBUF_INIT, end = STRBUF_INIT;
	size_t len, dlen;
	char *text = slurp(dir, name, &len), *df;

	st->qf++;
	if (text == NULL)
		return fail(st, "unreadable qf", name);
	if (len < 2 || strcmp(text + len - 2, ".\n") != 0)
		fail(st, "qf does not end with \".\"", name);
	if (qf_parse(&e, text, len, &err) != 0)
		fail(st, err.reason, name);
	else
		envelope_free(&e);
	free(text);
	sb_printf(&dfname, "df%s", name + 2);
	sb_printf(&end, "end of %s\n", name + 2);
	df = slurp(dir, sb_str(&dfname), &dlen);
	if (df == NULL)
		fail(st, "qf without df", name);
	else if (dlen < end.len || strcmp(df + dlen - end.len, sb_str(&end)) != 0)
		fail(st, "qf with an incomplete df", name);
	free(df);
	sb_free(&dfname);
	sb_free(&end);
}

static bool has_qf(const char *dir, const char *id)
{
	struct strbuf p = STRBUF_INIT;
	struct stat sbuf;
	bool ok;

	sb_printf(&p, "%s/qf%s", dir, id);
	ok = stat(sb_str(&p), &sbuf) == 0;
	sb_free(&p);
	return ok;
}

static int check_dir(const char *dir, struct stats *st)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	int files = 0;

	while (d != NULL && (ent = readdir(d)) != NULL) {
		const char *n = ent->d_name;
		if (n[0] == '.')
			continue;
		files++;
		if (strncmp(n, "qf", 2) == 0)
			check_qf(dir, n, st);
		else if (strncmp(n, "tf", 2) == 0)
			st->tf++;
		else if (strncmp(n, "df", 2) != 0)
			fail(st, "unexpected file", n);
		else if (!has_qf(dir, n + 2))
			st->orphan_df++;
	}
	if (d != NULL)
		closedir(d);
	return files;
}

/* With everyone dead, a runner gets every entry. */
static void check_runner_view(const char *dir, struct stats *st)
{
	struct queue q;
	struct queue_item *items;
	int n;

	if (queue_open(&q, dir, 0600) != 0)
		return fail(st, "cannot open", dir);
	n = queue_list(&q, QUEUE_ACTIVE, NULL, NULL, &items);
	for (int i = 0; i < n; i++) {
		struct queue_entry qe;
		struct envelope e;
		int rc = queue_lock(&q, items[i].name + 2, &qe, &e);
		if (rc != 0) {
			fail(st, strerror(-rc), items[i].name);
			continue;
		}
		queue_release(&qe);
		envelope_free(&e);
	}
	free(items);
	queue_close(&q);
}

static void wipe(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;

	while (d != NULL && (ent = readdir(d)) != NULL) {
		struct strbuf p = STRBUF_INIT;
		if (ent->d_name[0] == '.')
			continue;
		sb_printf(&p, "%s/%s", dir, ent->d_name);
		unlink(sb_str(&p));
		sb_free(&p);
	}
	if (d != NULL)
		closedir(d);
}

static pid_t spawn(void (*fn)(const char *), const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		fn(dir);
		_exit(0);
	}
	return pid;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 300;
	char tmpl[] = "/tmp/crash-test.XXXXXX";
	const char *base = getenv("TMPDIR");
	struct stats st = {0};
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	struct strbuf dir = STRBUF_INIT;
	struct timespec t0, t1;

	if (base != NULL && *base != '\0')
		sb_printf(&dir, "%s/crash-test.XXXXXX", base);
	else
		sb_puts(&dir, tmpl);
	if (mkdtemp(dir.s) == NULL)
		return perror("mkdtemp"), 1;
	printf("seed %u, directory %s\n", seed, sb_str(&dir));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (st.rounds = 0; st.rounds < rounds; st.rounds++) {
		pid_t pids[WRITERS + 1];
		for (int i = 0; i < WRITERS; i++)
			pids[i] = spawn(writer, sb_str(&dir));
		pids[WRITERS] = spawn(runner, sb_str(&dir));
		usleep((useconds_t)(rand_r(&seed) % 20000));
		for (int i = 0; i <= WRITERS; i++)
			kill(pids[i], SIGKILL);
		for (int i = 0; i <= WRITERS; i++) {
			int status;
			waitpid(pids[i], &status, 0);
			if (!WIFSIGNALED(status))
				fail(&st, "a child exited by itself (queue error)", "child");
		}
		if (check_dir(sb_str(&dir), &st) > 400)
			wipe(sb_str(&dir));
		check_runner_view(sb_str(&dir), &st);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d kills, %d qf checked, %d tf and %d orphan df seen left over, %d failures, "
	       "%.1f s\n",
	       st.rounds, st.qf, st.tf, st.orphan_df, st.failures,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	wipe(sb_str(&dir));
	rmdir(sb_str(&dir));
	sb_free(&dir);
	if (st.qf == 0) {
		fprintf(stderr, "no message was ever committed: the test tested nothing\n");
		return 1;
	}
	return st.failures != 0;
}
