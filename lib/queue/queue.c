/*
 * queue: queue directories, durable entries and their locks (queue.h).
 */
#include "queue/queue.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf/cf.h"
#include "queue/qf.h"
#include "queue/sortorder.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/fdio.h"

static char *join(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s/%s", dir, name);
	return sb_detach(&sb);
}

static char *subdir_or_dir(const char *dir, const char *sub)
{
	char *p = join(dir, sub);
	struct stat st;

	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
		return p;
	free(p);
	return xstrdup(dir);
}

/* Where a process's ID sequence starts: random, so that processes differ. */
static unsigned random_seed(void)
{
	unsigned seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
		seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 12);
	return seed;
}

/*
 * The ID sequence goes on from one queue_open to the next in a process, as
 * sendmail's per-process counter does: a process that takes one message
 * after another (sm-mta's session processes serve one connection after
 * another) never makes an ID it made in the same second before.  The one
 * piece of process-wide state of the queue; a forked child, whose pid
 * differs, starts a sequence of its own.
 */
static struct {
	pid_t pid;
	unsigned next;
} process_ids;

static unsigned process_sequence(pid_t pid)
{
	if (process_ids.pid != pid) {
		process_ids.pid = pid;
		process_ids.next = random_seed();
	}
	return process_ids.next;
}

int queue_open(struct queue *q, const char *dir, mode_t mode)
{
	struct stat st;

	memset(q, 0, sizeof(*q));
	if (stat(dir, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	q->dir = xstrdup(dir);
	q->qf_dir = subdir_or_dir(dir, "qf");
	q->df_dir = subdir_or_dir(dir, "df");
	q->mode = mode != 0 ? mode : 0600;
	q->pid = getpid();
	q->sort_order = 'p';
	qid_init(&q->ids, process_sequence(q->pid));
	return 0;
}

int queue_open_cf(struct queue *q, const struct cf *cf)
{
	const char *dir = cf->opt.str[OPT_QueueDirectory];
	int rc;

	if (dir == NULL)
		return -EINVAL;
	rc = queue_open(q, dir, (mode_t)cf->opt.num[OPT_QueueFileMode]);
	if (rc == 0)
		q->sort_order = sortorder_from_option(cf->opt.num[OPT_QueueSortOrder]);
	return rc;
}

void queue_close(struct queue *q)
{
	free(q->dir);
	free(q->qf_dir);
	free(q->df_dir);
	memset(q, 0, sizeof(*q));
}

char *queue_path(const struct queue *q, const char *name)
{
	return join(name[0] == 'd' ? q->df_dir : q->qf_dir, name);
}

/* "<letter>f<id>" in the right directory */
static char *file_path(const struct queue *q, char letter, const char *id)
{
	char name[2 + QUEUE_ID_MAX] = {letter, 'f'};
	snprintf(name + 2, sizeof(name) - 2, "%s", id);
	return queue_path(q, name);
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	close(fd);
	return rc;
}


/* Create a file exclusively with exactly the queue's mode. */
static int create_file(const struct queue *q, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, q->mode);

	if (fd < 0)
		return -errno;
	if (fchmod(fd, q->mode) != 0) {
		int rc = -errno;
		close(fd);
		unlink(path);
		return rc;
	}
	return fd;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* The df of `id` created exclusively, unless `id` has a qf or hf. */
static int create_named_df(struct queue *q, const char *id)
{
	char *qf = file_path(q, 'q', id), *hf = file_path(q, 'h', id), *df = file_path(q, 'd', id);
	int fd = -EEXIST;

	if (!exists(qf) && !exists(hf))
		fd = create_file(q, df);
	free(qf);
	free(hf);
	free(df);
	return fd;
}

/* qe takes the df just created for `id`; 0 or -errno (the df closed). */
static int attach_df(struct queue_entry *qe, int fd, const char *id)
{
	qe->df = fdopen(fd, "w+"); /* the filters read the body back */
	if (qe->df == NULL) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	snprintf(qe->id, sizeof(qe->id), "%s", id);
	return 0;
}

int queue_new(struct queue *q, struct queue_entry *qe, time_t now)
{
	memset(qe, 0, sizeof(*qe));
	qe->lock_fd = -1;
	qe->kind = QUEUE_ACTIVE;
	for (int tries = 0; tries < QID_SEQ_MAX; tries++) {
		char id[QID_LEN + 1];
		int fd;

		qid_next(&q->ids, now, q->pid, id);
		if (q->pid == process_ids.pid)
			process_ids.next = q->ids.seq;
		fd = create_named_df(q, id);
		if (fd == -EEXIST)
			continue;
		if (fd < 0)
			return fd;
		return attach_df(qe, fd, id);
	}
	return -EEXIST;
}

void queue_next_id(time_t now, char out[QID_LEN + 1])
{
	pid_t pid = getpid();
	struct qid_state st;

	qid_init(&st, process_sequence(pid));
	qid_next(&st, now, pid, out);
	process_ids.next = st.seq;
}

int queue_new_named(struct queue *q, struct queue_entry *qe, time_t now, const char *id)
{
	int fd;

	if (id == NULL || !qid_valid(id))
		return queue_new(q, qe, now);
	fd = create_named_df(q, id);
	if (fd == -EEXIST)
		return queue_new(q, qe, now);
	if (fd < 0)
		return fd;
	memset(qe, 0, sizeof(*qe));
	qe->lock_fd = -1;
	qe->kind = QUEUE_ACTIVE;
	return attach_df(qe, fd, id);
}

/* Flush, fsync and close the df; its size goes to e->body_size. */
static int finish_df(struct queue *q, struct queue_entry *qe, struct envelope *e)
{
	struct stat st = {0};
	int rc = 0, fd = fileno(qe->df);

	if (fflush(qe->df) != 0 || ferror(qe->df))
		rc = errno ? -errno : -EIO;
	else if (fsync(fd) != 0 || fstat(fd, &st) != 0)
		rc = -errno;
	if (fclose(qe->df) != 0 && rc == 0)
		rc = -errno;
	qe->df = NULL;
	if (rc == 0) {
		e->body_size = st.st_size;
		if (strcmp(q->df_dir, q->qf_dir) != 0)
			rc = fsync_dir(q->df_dir);
	}
	return rc;
}

/*
 * Open tf<id> for writing, exclusively, locked.  A tf nobody holds is the
 * leftover of a crash and is replaced; one that is locked means another
 * process is writing this entry (-EBUSY).
 */
static int open_tf(const struct queue *q, const char *path)
{
	for (int tries = 0; tries < 3; tries++) {
		int fd = create_file(q, path);
		if (fd >= 0) {
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				return fd;
			close(fd);
			unlink(path);
			return -EBUSY;
		}
		if (fd != -EEXIST)
			return fd;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			bool stale = flock(fd, LOCK_EX | LOCK_NB) == 0;
			if (stale)
				unlink(path);
			close(fd);
			if (!stale)
				return -EBUSY;
		}
	}
	return -EBUSY;
}

/* The envelope file's letter for `e`: hf when it is quarantined. */
static char kind_of(const struct envelope *e)
{
	return e->quarantine != NULL && *e->quarantine != '\0' ? QUEUE_QUARANTINED : QUEUE_ACTIVE;
}

/*
 * Write `e` to tf, fsync, rename over its qf (hf when quarantined), fsync
 * the directory.  Returns the new locked descriptor or -errno (the tf is
 * gone then; when the rename happened but the directory fsync failed,
 * *renamed says so).
 */
static int write_qf(struct queue *q, const char *id, const struct envelope *e, bool *renamed)
{
	struct strbuf text = STRBUF_INIT;
	char *tf = file_path(q, 't', id), *qf = file_path(q, kind_of(e), id);
	int fd = open_tf(q, tf), rc = 0;

	*renamed = false;
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	qf_format(&text, e);
	rc = fd_write_all(fd, text.s, text.len);
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (rc == 0 && rename(tf, qf) != 0)
		rc = -errno;
	if (rc != 0) {
		unlink(tf);
		close(fd);
		goto out;
	}
	*renamed = true;
	rc = fsync_dir(q->qf_dir);
	if (rc != 0)
		close(fd);
	else
		rc = fd;
out:
	sb_free(&text);
	free(tf);
	free(qf);
	return rc;
}

int queue_commit(struct queue *q, struct queue_entry *qe, struct envelope *e)
{
	bool renamed;
	int rc;

	snprintf(e->id, sizeof(e->id), "%s", qe->id);
	rc = finish_df(q, qe, e);
	if (rc == 0) {
		rc = write_qf(q, qe->id, e, &renamed);
		if (rc >= 0) {
			qe->lock_fd = rc;
			qe->kind = kind_of(e);
			return 0;
		}
		if (renamed) {
			char *qf = file_path(q, kind_of(e), qe->id);
			unlink(qf);
			free(qf);
		}
	}
	queue_abort(q, qe);
	return rc;
}

void queue_abort(struct queue *q, struct queue_entry *qe)
{
	char *df = file_path(q, 'd', qe->id);

	if (qe->df != NULL)
		fclose(qe->df);
	qe->df = NULL;
	unlink(df);
	free(df);
	queue_release(qe);
}

void queue_release(struct queue_entry *qe)
{
	if (qe->df != NULL)
		fclose(qe->df);
	qe->df = NULL;
	if (qe->lock_fd >= 0)
		close(qe->lock_fd);
	qe->lock_fd = -1;
}

static int read_fd(int fd, struct strbuf *sb)
{
	char buf[8192];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		sb_put(sb, buf, (size_t)n);
	}
}

/* Open and lock the qf at `path`, making sure it is still that entry's qf. */
static int lock_qf(const char *path)
{
	for (int tries = 0; tries < 10; tries++) {
		struct stat held, now;
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			int rc = errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
			close(fd);
			return rc;
		}
		/* a rewrite or removal may have replaced it before we locked */
		if (fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_ino == now.st_ino &&
		    held.st_dev == now.st_dev)
			return fd;
		close(fd);
	}
	return -EWOULDBLOCK;
}

int queue_lock(struct queue *q, const char *id, struct queue_entry *qe, struct envelope *e)
{
	char *qf = file_path(q, QUEUE_ACTIVE, id);
	struct strbuf text = STRBUF_INIT;
	int fd = lock_qf(qf), rc;

	memset(qe, 0, sizeof(*qe));
	qe->lock_fd = -1;
	qe->kind = QUEUE_ACTIVE;
	free(qf);
	if (fd == -ENOENT) {
		qf = file_path(q, QUEUE_QUARANTINED, id);
		fd = lock_qf(qf);
		qe->kind = QUEUE_QUARANTINED;
		free(qf);
	}
	if (fd < 0) {
		envelope_init(e);
		return fd;
	}
	rc = read_fd(fd, &text);
	if (rc == 0)
		rc = qf_parse(e, sb_str(&text), text.len, NULL);
	else
		envelope_init(e);
	sb_free(&text);
	if (rc != 0) {
		close(fd);
		return rc;
	}
	snprintf(qe->id, sizeof(qe->id), "%s", id);
	snprintf(e->id, sizeof(e->id), "%s", id);
	qe->lock_fd = fd;
	return 0;
}

int queue_rewrite(struct queue *q, struct queue_entry *qe, const struct envelope *e)
{
	bool renamed;
	int fd;

	if (qe->lock_fd < 0)
		return -EBADF;
	fd = write_qf(q, qe->id, e, &renamed);
	if (fd < 0)
		return fd;
	if (kind_of(e) != qe->kind) {
		/* quarantined or released: the old name goes */
		char *old = file_path(q, qe->kind, qe->id);
		unlink(old);
		free(old);
		qe->kind = kind_of(e);
	}
	close(qe->lock_fd);
	qe->lock_fd = fd;
	return 0;
}

int queue_remove(struct queue *q, struct queue_entry *qe)
{
	char *qf = file_path(q, qe->kind, qe->id);
	char *df = file_path(q, 'd', qe->id);
	int rc = 0;

	if (qe->lock_fd < 0)
		rc = -EBADF;
	else if (unlink(qf) != 0)
		rc = -errno;
	else if (unlink(df) != 0 && errno != ENOENT)
		rc = -errno;
	/*
	 * No directory fsync: an entry whose removal a crash undoes is
	 * delivered again by the next queue run (a duplicate, never a loss),
	 * as with sendmail, which does not sync a removal either.
	 */
	free(qf);
	free(df);
	if (qe->lock_fd >= 0)
		queue_release(qe);
	return rc;
}

int queue_lose(struct queue *q, const char *id, int *lineno, char *line, size_t size)
{
	char *qf = file_path(q, QUEUE_ACTIVE, id), *lost = file_path(q, QUEUE_LOST, id);
	struct strbuf text = STRBUF_INIT;
	int fd = lock_qf(qf), rc = fd;

	if (fd >= 0) {
		rc = read_fd(fd, &text);
		if (rc == 0)
			rc =
			    qf_bad_line(text.s != NULL ? text.s : "", text.len, lineno, line, size);
		if (rc == 0 && qf_cut_short(text.s != NULL ? text.s : "", text.len))
			rc = 2;
		if (rc == 1 && rename(qf, lost) != 0)
			rc = -errno;
		else if (rc == 1 && fsync_dir(q->qf_dir) != 0)
			rc = -EIO;
		close(fd);
	}
	sb_free(&text);
	free(qf);
	free(lost);
	return rc;
}

int queue_open_df(const struct queue *q, const char *id)
{
	char *df = file_path(q, 'd', id);
	int fd = open(df, O_RDONLY | O_CLOEXEC);

	free(df);
	return fd < 0 ? -errno : fd;
}

/* ---- listing ------------------------------------------------------------ */

/* Is this directory entry a queue file of `kind` we can list? */
static bool want_entry(const struct queue *q, const struct dirent *d, int kind, FILE *warn,
		       FILE *complain, struct stat *st)
{
	char *path;
	bool ok;

	if (d->d_name[0] != kind || d->d_name[1] != 'f')
		return false;
	if (strlen(d->d_name) >= QUEUE_NAME_MAX) {
		if (warn != NULL)
			fprintf(warn, "gatherq: %s too long, %d max characters\n", d->d_name,
				QUEUE_NAME_MAX);
		return false;
	}
	path = queue_path(q, d->d_name);
	ok = stat(path, st) == 0 && S_ISREG(st->st_mode);
	if (!ok && complain != NULL)
		/* sendmail reports a stale errno here; this is the text it prints */
		fprintf(complain, "gatherq: %s is not a regular file: %s\n", path,
			strerror(ENOENT));
	free(path);
	return ok;
}

int queue_list(const struct queue *q, int kind, FILE *warn, FILE *complain,
	       struct queue_item **items)
{
	DIR *dir = opendir(q->qf_dir);
	struct queue_sort_item *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	struct stat st;

	*items = NULL;
	if (dir == NULL)
		return -errno;
	while ((d = readdir(dir)) != NULL) {
		char *path;
		if (!want_entry(q, d, kind, warn, complain, &st))
			continue;
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		snprintf(v[n].item.name, sizeof(v[n].item.name), "%s", d->d_name);
		v[n].order = n;
		v[n].mtime = st.st_mtime;
		path = queue_path(q, d->d_name);
		sortorder_peek(path, &v[n], q->sort_order);
		free(path);
		n++;
	}
	closedir(dir);
	sortorder_sort(v, n, q->sort_order);
	*items = xcalloc(n + 1, sizeof(**items));
	for (size_t i = 0; i < n; i++)
		(*items)[i] = v[i].item;
	free(v);
	return (int)n;
}
