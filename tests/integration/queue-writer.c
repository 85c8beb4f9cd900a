/*
 * queue-writer DIR: queue one message in DIR with queue_commit(), then
 * print "queued ID".  The strace test watches its system calls: the
 * message must be on disk (df, tf fsynced, renamed, directory fsynced)
 * before the line is written.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg/envelope.h"
#include "queue/queue.h"

int main(int argc, char **argv)
{
	struct queue q;
	struct queue_entry qe;
	struct envelope e;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: queue-writer DIR\n");
		return 2;
	}
	rc = queue_open(&q, argv[1], 0600);
	if (rc == 0)
		rc = queue_new(&q, &qe, time(NULL));
	if (rc != 0) {
		fprintf(stderr, "queue-writer: %s: %s\n", argv[1], strerror(-rc));
		return 75;
	}
	fputs("Subject: strace\n\nbody\n", qe.df);
	envelope_init(&e);
	e.ctime = time(NULL);
	e.priority = 30000;
	envelope_set(&e.sender, "root");
	envelope_add_rcpt(&e, "root", "PFD");
	rc = queue_commit(&q, &qe, &e);
	if (rc != 0) {
		fprintf(stderr, "queue-writer: commit: %s\n", strerror(-rc));
		return 75;
	}
	/* only now may the caller say 250 / exit 0 */
	printf("queued %s\n", qe.id);
	fflush(stdout);
	queue_release(&qe);
	envelope_free(&e);
	queue_close(&q);
	return 0;
}
