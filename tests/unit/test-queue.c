/* Unit tests for lib/queue/queue: entries on disk, locks, listing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "msg/envelope.h"
#include "queue/queue.h"
#include "util/strbuf.h"

#define T0 1795313793

static char *make_dir(void)
{
	char tmpl[] = "/tmp/test-queue.XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

static void remove_tree(const char *dir)
{
	struct strbuf cmd = STRBUF_INIT;
	sb_printf(&cmd, "rm -rf '%s'", dir);
	if (system(sb_str(&cmd)) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	sb_free(&cmd);
}

static bool file_exists(const char *dir, const char *prefix, const char *id)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	bool ok;
	sb_printf(&p, "%s/%s%s", dir, prefix, id);
	ok = stat(sb_str(&p), &st) == 0;
	sb_free(&p);
	return ok;
}

static mode_t file_mode(const char *dir, const char *prefix, const char *id)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st = {0};
	sb_printf(&p, "%s/%s%s", dir, prefix, id);
	stat(sb_str(&p), &st);
	sb_free(&p);
	return st.st_mode & 07777;
}

static void new_message(struct queue *q, struct queue_entry *qe, long pri, const char *body)
{
	struct envelope e;

	envelope_init(&e);
	e.ctime = T0;
	e.priority = pri;
	envelope_set(&e.sender, "s@x");
	envelope_add_rcpt(&e, "r@y", "PFD");
	CHECK_INT(queue_new(q, qe, T0), 0);
	fputs(body, qe->df);
	CHECK_INT(queue_commit(q, qe, &e), 0);
	CHECK_STR(e.id, qe->id);
	CHECK_INT(e.body_size, (long long)strlen(body));
	envelope_free(&e);
}

static void test_commit_lock_rewrite_remove(void)
{
	char *dir = make_dir();
	struct queue q;
	struct queue_entry qe, other;
	struct envelope e;
	char id[QUEUE_ID_MAX];

	CHECK_INT(queue_open(&q, dir, 0640), 0);
	q.pid = 77;
	qid_init(&q.ids, 0);
	new_message(&q, &qe, 100, "hello\n");
	strcpy(id, qe.id);
	CHECK_STR(id, "6AM2GX00000077");
	CHECK(file_exists(dir, "qf", id) && file_exists(dir, "df", id));
	CHECK(!file_exists(dir, "tf", id));
	CHECK_INT(file_mode(dir, "qf", id), 0640);
	CHECK_INT(file_mode(dir, "df", id), 0640);

	/* the submitter still holds it: a runner cannot take it */
	CHECK_INT(queue_lock(&q, id, &other, &e), -EWOULDBLOCK);
	queue_release(&qe);
	CHECK_INT(queue_lock(&q, id, &qe, &e), 0);
	CHECK_STR(e.sender, "s@x");
	CHECK_STR(e.rcpts->addr, "r@y");
	CHECK_INT(e.priority, 100);

	envelope_set(&e.message, "Deferred");
	e.ntries = 1;
	CHECK_INT(queue_rewrite(&q, &qe, &e), 0);
	envelope_free(&e);
	CHECK(!file_exists(dir, "tf", id));
	CHECK_INT(queue_lock(&q, id, &other, &e), -EWOULDBLOCK); /* still ours */
	queue_release(&qe);
	CHECK_INT(queue_lock(&q, id, &qe, &e), 0);
	CHECK_STR(e.message, "Deferred");
	CHECK_INT(e.ntries, 1);
	envelope_free(&e);

	{
		int fd = queue_open_df(&q, id);
		char buf[16] = {0};
		CHECK(fd >= 0);
		CHECK_INT(read(fd, buf, sizeof(buf)), 6);
		CHECK_STR(buf, "hello\n");
		close(fd);
	}
	CHECK_INT(queue_remove(&q, &qe), 0);
	CHECK(!file_exists(dir, "qf", id) && !file_exists(dir, "df", id));
	CHECK_INT(queue_lock(&q, id, &qe, &e), -ENOENT);
	queue_close(&q);
	remove_tree(dir);
	free(dir);
}

static void test_abort_and_collision(void)
{
	char *dir = make_dir();
	struct queue q;
	struct queue_entry qe;
	struct strbuf p = STRBUF_INIT;
	FILE *f;

	CHECK_INT(queue_open(&q, dir, 0), 0);
	q.pid = 5;
	qid_init(&q.ids, 0);
	/* an entry with the first ID exists already: it is passed over */
	sb_printf(&p, "%s/qf6AM2GX00000005", dir);
	f = fopen(sb_str(&p), "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_INT(queue_new(&q, &qe, T0), 0);
	CHECK_STR(qe.id, "6AM2GX01000005");
	CHECK_INT(file_mode(dir, "df", qe.id), 0600);
	queue_abort(&q, &qe);
	CHECK(!file_exists(dir, "df", "6AM2GX01000005"));
	sb_free(&p);
	queue_close(&q);
	remove_tree(dir);
	free(dir);
}

static void test_stale_and_busy_tf(void)
{
	char *dir = make_dir();
	struct queue q;
	struct queue_entry qe;
	struct envelope e;
	struct strbuf tf = STRBUF_INIT;
	int fd;

	CHECK_INT(queue_open(&q, dir, 0), 0);
	new_message(&q, &qe, 1, "x\n");
	sb_printf(&tf, "%s/tf%s", dir, qe.id);
	/* a tf left by a crash is replaced */
	fd = open(sb_str(&tf), O_WRONLY | O_CREAT, 0600);
	CHECK(fd >= 0);
	close(fd);
	envelope_init(&e);
	envelope_set(&e.sender, "again@x");
	CHECK_INT(queue_rewrite(&q, &qe, &e), 0);
	/* a tf someone holds means someone else is writing: refuse */
	fd = open(sb_str(&tf), O_WRONLY | O_CREAT, 0600);
	CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
	CHECK_INT(queue_rewrite(&q, &qe, &e), -EBUSY);
	close(fd);
	CHECK(file_exists(dir, "qf", qe.id));
	envelope_free(&e);
	queue_release(&qe);
	sb_free(&tf);
	queue_close(&q);
	remove_tree(dir);
	free(dir);
}

static void test_list_order_and_subdirs(void)
{
	char *dir = make_dir();
	struct strbuf p = STRBUF_INIT;
	struct queue q;
	struct queue_entry qe;
	struct queue_item *items;
	const long pri[] = {300, 100, 200, 100};
	char ids[4][QUEUE_ID_MAX];

	sb_printf(&p, "%s/qf", dir);
	mkdir(sb_str(&p), 0700);
	sb_reset(&p);
	sb_printf(&p, "%s/df", dir);
	mkdir(sb_str(&p), 0700);
	CHECK_INT(queue_open(&q, dir, 0), 0);
	CHECK(strstr(q.qf_dir, "/qf") != NULL && strstr(q.df_dir, "/df") != NULL);
	for (int i = 0; i < 4; i++) {
		new_message(&q, &qe, pri[i], "b\n");
		strcpy(ids[i], qe.id);
		queue_release(&qe);
	}
	CHECK(file_exists(q.qf_dir, "qf", ids[0]) && file_exists(q.df_dir, "df", ids[0]));
	CHECK(!file_exists(dir, "qf", ids[0]));
	CHECK_INT(queue_list(&q, QUEUE_ACTIVE, NULL, NULL, &items), 4);
	CHECK_INT(items[0].priority, 100);
	CHECK_INT(items[1].priority, 100);
	CHECK_INT(items[2].priority, 200);
	CHECK_STR(items[3].name + 2, ids[0]);
	CHECK_INT(items[3].ctime, T0);
	free(items);
	CHECK_INT(queue_list(&q, QUEUE_QUARANTINED, NULL, NULL, &items), 0);
	free(items);
	sb_free(&p);
	queue_close(&q);
	remove_tree(dir);
	free(dir);
}

static void test_open_errors(void)
{
	struct queue q;
	CHECK_INT(queue_open(&q, "/nonexistent/queue", 0), -ENOENT);
	CHECK_INT(queue_open(&q, "/etc/passwd", 0), -ENOTDIR);
}

/* A quarantined entry lives in hf: committed there, found by queue_lock,
 * moved back to qf when its reason goes, listed by its kind. */
static void test_quarantine_hf(void)
{
	char *dir = make_dir();
	struct queue q;
	struct queue_entry qe;
	struct queue_item *items = NULL;
	struct envelope e;
	char id[QUEUE_ID_MAX];

	CHECK_INT(queue_open(&q, dir, 0600), 0);
	q.pid = 78;
	qid_init(&q.ids, 0);
	envelope_init(&e);
	e.ctime = T0;
	envelope_set(&e.sender, "s@x");
	envelope_set(&e.quarantine, "held");
	envelope_add_rcpt(&e, "r@y", "PFD");
	CHECK_INT(queue_new(&q, &qe, T0), 0);
	fputs("body\n", qe.df);
	CHECK_INT(queue_commit(&q, &qe, &e), 0);
	envelope_free(&e);
	strcpy(id, qe.id);
	queue_release(&qe);
	CHECK(file_exists(dir, "hf", id) && !file_exists(dir, "qf", id));
	CHECK_INT(queue_list(&q, QUEUE_ACTIVE, NULL, NULL, &items), 0);
	free(items);
	CHECK_INT(queue_list(&q, QUEUE_QUARANTINED, NULL, NULL, &items), 1);
	free(items);

	CHECK_INT(queue_lock(&q, id, &qe, &e), 0);
	CHECK_STR(e.quarantine, "held");
	CHECK_INT(queue_rewrite(&q, &qe, &e), 0); /* still quarantined */
	CHECK(file_exists(dir, "hf", id) && !file_exists(dir, "qf", id));
	free(e.quarantine);
	e.quarantine = NULL;
	CHECK_INT(queue_rewrite(&q, &qe, &e), 0); /* released */
	envelope_free(&e);
	CHECK(file_exists(dir, "qf", id) && !file_exists(dir, "hf", id));
	queue_release(&qe);

	CHECK_INT(queue_lock(&q, id, &qe, &e), 0);
	envelope_set(&e.quarantine, "again");
	CHECK_INT(queue_rewrite(&q, &qe, &e), 0);
	envelope_free(&e);
	CHECK_INT(queue_remove(&q, &qe), 0);
	CHECK(!file_exists(dir, "hf", id) && !file_exists(dir, "qf", id) &&
	      !file_exists(dir, "df", id));
	queue_close(&q);
	remove_tree(dir);
	free(dir);
}

/*
 * A process that opens the queue again (sm-mta's session processes take
 * one connection after another) goes on with its ID sequence: a message
 * made and removed in the same second does not give its ID to the next.
 */
static void test_sequence_goes_on_across_opens(void)
{
	char *dir = make_dir();
	char first[QUEUE_ID_MAX];
	struct queue q;
	struct queue_entry qe;

	for (int round = 0; round < 2; round++) {
		CHECK_INT(queue_open(&q, dir, 0), 0);
		new_message(&q, &qe, 100, "x\n");
		if (round == 0)
			strcpy(first, qe.id);
		else /* the sequence is characters 7 and 8 */
			CHECK_INT((qid_digit_value(qe.id[6]) * 60 + qid_digit_value(qe.id[7])),
				  (qid_digit_value(first[6]) * 60 + qid_digit_value(first[7]) + 1) %
				      QID_SEQ_MAX);
		CHECK_INT(queue_remove(&q, &qe), 0);
		queue_close(&q);
	}
	remove_tree(dir);
	free(dir);
}

/* An ID taken at MAIL (queue_next_id) names the entry made at DATA; one
 * that an entry holds meanwhile is passed over, and the process's
 * sequence goes on after it. */
static void test_named_entry(void)
{
	char *dir = make_dir();
	char id[QID_LEN + 1], next[QID_LEN + 1];
	struct queue q;
	struct queue_entry qe;
	struct strbuf p = STRBUF_INIT;
	FILE *f;

	queue_next_id(T0, id);
	CHECK(qid_valid(id));
	CHECK_INT(queue_open(&q, dir, 0), 0);
	CHECK_INT(queue_new_named(&q, &qe, T0, id), 0);
	CHECK_STR(qe.id, id);
	CHECK(file_exists(dir, "df", id));
	queue_abort(&q, &qe);
	queue_close(&q);

	queue_next_id(T0, next);
	CHECK(strcmp(next, id) != 0);
	sb_printf(&p, "%s/qf%s", dir, next);
	f = fopen(sb_str(&p), "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_INT(queue_open(&q, dir, 0), 0);
	CHECK_INT(queue_new_named(&q, &qe, T0, next), 0);
	CHECK(strcmp(qe.id, next) != 0 && strcmp(qe.id, id) != 0);
	CHECK(qid_valid(qe.id));
	queue_abort(&q, &qe);
	/* no ID or a malformed one: a new one, as queue_new */
	CHECK_INT(queue_new_named(&q, &qe, T0, "bogus"), 0);
	CHECK(qid_valid(qe.id));
	queue_abort(&q, &qe);
	sb_free(&p);
	queue_close(&q);
	remove_tree(dir);
	free(dir);
}

static const struct test_case tests[] = {
    {"named_entry", test_named_entry},
    {"sequence_goes_on_across_opens", test_sequence_goes_on_across_opens},
    {"commit_lock_rewrite_remove", test_commit_lock_rewrite_remove},
    {"abort_and_collision", test_abort_and_collision},
    {"stale_and_busy_tf", test_stale_and_busy_tf},
    {"list_order_and_subdirs", test_list_order_and_subdirs},
    {"open_errors", test_open_errors},
    {"quarantine_hf", test_quarantine_hf},
};

int main(void)
{
	setenv("TZ", "UTC", 1);
	return RUN_TESTS(tests);
}
