/*
 * test-stats: lib/stats — the statistics file only counts when it exists,
 * concurrent processes never lose an increment, a slot cut short by a
 * crash leaves the previous counts readable, clearing starts over, and
 * what is not a statistics file is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "stats/stats.h"

static char dir[] = "/tmp/test-stats.XXXXXX";
static char path[256];

static void fresh_file(void)
{
	int fd;

	snprintf(path, sizeof(path), "%s/statistics", dir);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	close(fd);
}

static off_t file_size(void)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

static void test_absent_file_not_created(void)
{
	char none[300];
	struct stats st;

	snprintf(none, sizeof(none), "%s/none", dir);
	CHECK_INT(stats_add(none, STATS_FROM, 3, 100), 0);
	CHECK(access(none, F_OK) < 0 && errno == ENOENT);
	CHECK_INT(stats_read(none, &st, 0), -ENOENT);
	CHECK_INT(stats_add(NULL, STATS_FROM, 3, 100), 0);
}

static void test_empty_file_starts_now(void)
{
	struct stats st;
	time_t before = time(NULL);

	fresh_file();
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.itime, 0);
	CHECK_INT(st.msgs_from[3], 0);
	CHECK_INT(stats_add(path, STATS_FROM, 3, 1025), 0);
	CHECK_INT(stats_add(path, STATS_TO, 0, 1), 0);
	CHECK_INT(stats_add(path, STATS_REJECT, 5, 0), 0);
	CHECK_INT(stats_add(path, STATS_CONN_TO, 99, 0), 0);
	CHECK_INT(stats_add(path, STATS_DISCARD, STATS_MAILERS, 0), 0); /* no such mailer */
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK(st.itime >= before && st.itime <= time(NULL));
	CHECK_INT(st.msgs_from[3], 1);
	CHECK_INT(st.kb_from[3], 2);
	CHECK_INT(st.msgs_to[0], 1);
	CHECK_INT(st.kb_to[0], 1);
	CHECK_INT(st.rejected[5], 1);
	CHECK_INT(st.conn_to, 1);
	for (int i = 0; i < STATS_MAILERS; i++)
		CHECK_INT(st.discarded[i], 0);
	CHECK_INT(file_size(), STATS_FILE_SIZE);
}

#define WRITERS 8
#define EACH 400

static void test_concurrent_increments(void)
{
	struct stats st;
	pid_t pids[WRITERS];

	fresh_file();
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			int bad = 0;
			for (int i = 0; i < EACH; i++) {
				bad |= stats_add(path, STATS_FROM, 3, 1500);
				bad |= stats_add(path, STATS_TO, w, 10);
				if (i % 50 == 0)
					bad |= stats_read(path, &st, 0);
			}
			_exit(bad != 0);
		}
		CHECK(pids[w] > 0);
	}
	for (int w = 0; w < WRITERS; w++) {
		int status = -1;
		CHECK(waitpid(pids[w], &status, 0) == pids[w]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.msgs_from[3], WRITERS * EACH);
	CHECK_INT(st.kb_from[3], 2 * WRITERS * EACH);
	for (int w = 0; w < WRITERS; w++)
		CHECK_INT(st.msgs_to[w], EACH);
	CHECK_INT(st.generation, 2 * WRITERS * EACH);
}

/* A write cut short in the newest slot: the slot before it is read. */
static void test_torn_slot_keeps_previous_counts(void)
{
	struct stats st;
	uint8_t junk[300];
	int fd;

	fresh_file();
	for (int i = 0; i < 5; i++)
		CHECK_INT(stats_add(path, STATS_FROM, 4, 10), 0);
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.generation, 5);
	memset(junk, 0x5a, sizeof(junk));
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0);
	/* generation 5 lives in slot 1: half of it overwritten */
	CHECK(pwrite(fd, junk, sizeof(junk), STATS_SLOT_SIZE + 600) == (ssize_t)sizeof(junk));
	close(fd);
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.generation, 4);
	CHECK_INT(st.msgs_from[4], 4);
	/* and counting goes on from there */
	CHECK_INT(stats_add(path, STATS_FROM, 4, 10), 0);
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.msgs_from[4], 5);
	/* the file cut short (a crash while it grew): slot 0 alone */
	CHECK(truncate(path, STATS_SLOT_SIZE + 100) == 0);
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.msgs_from[4], 4);
	/* the first update of an empty file cut short: slot 0 never written */
	fresh_file();
	CHECK_INT(stats_add(path, STATS_FROM, 4, 10), 0);
	fd = open(path, O_WRONLY);
	CHECK(pwrite(fd, junk, sizeof(junk), STATS_SLOT_SIZE + 600) == (ssize_t)sizeof(junk));
	close(fd);
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.msgs_from[4], 0);
	CHECK_INT(st.itime, 0);
}

static void test_clear(void)
{
	struct stats st;

	fresh_file();
	CHECK_INT(stats_add(path, STATS_QUARANTINE, 6, 0), 0);
	CHECK_INT(stats_read(path, &st, 1), 0);
	CHECK_INT(st.quarantined[6], 1);
	CHECK_INT(file_size(), 0);
	CHECK_INT(stats_read(path, &st, 0), 0);
	CHECK_INT(st.quarantined[6], 0);
	CHECK_INT(st.itime, 0);
}

static void test_not_a_statistics_file(void)
{
	struct stats st;
	uint8_t slot[STATS_SLOT_SIZE];
	int fd;

	fresh_file();
	fd = open(path, O_WRONLY);
	CHECK(write(fd, "garbage\n", 8) == 8);
	close(fd);
	CHECK_INT(stats_read(path, &st, 0), -EINVAL);
	CHECK_INT(stats_add(path, STATS_FROM, 3, 1), -EINVAL);
	/* a slot of another version is not read either */
	memset(&st, 0, sizeof(st));
	st.generation = 1;
	stats_encode(&st, slot);
	slot[8] = 2;
	CHECK_INT(stats_decode(slot, sizeof(slot), &st), -EINVAL);
}

static void test_roundtrip(void)
{
	struct stats in, out;
	uint8_t buf[STATS_FILE_SIZE] = {0};

	memset(&in, 0, sizeof(in));
	in.generation = 7;
	in.itime = 1796618641;
	for (int i = 0; i < STATS_MAILERS; i++) {
		in.msgs_from[i] = (uint64_t)i * 3 + 1;
		in.kb_to[i] = UINT64_MAX - (uint64_t)i;
		in.quarantined[i] = (uint64_t)i << 40;
	}
	in.conn_from = 11;
	in.conn_to = 12;
	in.conn_rejected = 13;
	stats_encode(&in, buf + STATS_SLOT_SIZE);
	CHECK_INT(stats_decode(buf, sizeof(buf), &out), 0);
	CHECK(memcmp(&in, &out, sizeof(in)) == 0);
}

int main(void)
{
	static const struct test_case tests[] = {
	    {"absent file not created", test_absent_file_not_created},
	    {"empty file starts now", test_empty_file_starts_now},
	    {"concurrent increments", test_concurrent_increments},
	    {"torn slot keeps previous counts", test_torn_slot_keeps_previous_counts},
	    {"clear", test_clear},
	    {"not a statistics file", test_not_a_statistics_file},
	    {"roundtrip", test_roundtrip},
	};
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	rc = RUN_TESTS(tests);
	unlink(path);
	rmdir(dir);
	return rc;
}
