/*
 * stats: the statistics file — encoding, locked updates, reading and
 * clearing (see stats.h for the format and its guarantees).
 */
#include "stats/stats.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t stats_magic[8] = {'S', 'D', 'M', 'S', 'T', 'A', 'T', 0};
#define STATS_VERSION 1
#define STATS_NCOUNTERS (7 * STATS_MAILERS + 3)
/* magic, version, mailers, generation, itime, counters, CRC */
#define STATS_BODY_SIZE (8 + 4 + 4 + 8 + 8 + 8 * STATS_NCOUNTERS)

/* CRC-32 (IEEE 802.3, as zlib's), with its table made per call: no state. */
static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t table[256], c = 0xffffffffu;

	for (uint32_t i = 0; i < 256; i++) {
		uint32_t t = i;
		for (int k = 0; k < 8; k++)
			t = (t >> 1) ^ (0xedb88320u & -(t & 1));
		table[i] = t;
	}
	while (n-- > 0)
		c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The counters in file order, as pointers into *st. */
static void counter_list(struct stats *st, uint64_t **c)
{
	uint64_t *arrays[7] = {st->msgs_from, st->kb_from,   st->msgs_to,    st->kb_to,
	                       st->rejected,  st->discarded, st->quarantined};
	int n = 0;

	for (int a = 0; a < 7; a++)
		for (int m = 0; m < STATS_MAILERS; m++)
			c[n++] = &arrays[a][m];
	c[n++] = &st->conn_from;
	c[n++] = &st->conn_to;
	c[n] = &st->conn_rejected;
}

void stats_encode(const struct stats *st, uint8_t *slot)
{
	uint64_t *c[STATS_NCOUNTERS];
	uint8_t *p = slot;

	memset(slot, 0, STATS_SLOT_SIZE);
	counter_list((struct stats *)st, c);
	memcpy(p, stats_magic, 8);
	put_le(p + 8, STATS_VERSION, 4);
	put_le(p + 12, STATS_MAILERS, 4);
	put_le(p + 16, st->generation, 8);
	put_le(p + 24, (uint64_t)st->itime, 8);
	p += 32;
	for (int i = 0; i < STATS_NCOUNTERS; i++, p += 8)
		put_le(p, *c[i], 8);
	put_le(p, crc32(slot, STATS_BODY_SIZE), 4);
}

/* One slot into *st: 0, or -EINVAL when it is not a complete valid copy. */
static int decode_slot(const uint8_t *slot, size_t len, struct stats *st)
{
	uint64_t *c[STATS_NCOUNTERS];
	const uint8_t *p = slot + 32;

	if (len < STATS_BODY_SIZE + 4 || memcmp(slot, stats_magic, 8) != 0 ||
	    get_le(slot + 8, 4) != STATS_VERSION || get_le(slot + 12, 4) != STATS_MAILERS ||
	    get_le(slot + STATS_BODY_SIZE, 4) != crc32(slot, STATS_BODY_SIZE))
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	counter_list(st, c);
	st->generation = get_le(slot + 16, 8);
	st->itime = (int64_t)get_le(slot + 24, 8);
	for (int i = 0; i < STATS_NCOUNTERS; i++, p += 8)
		*c[i] = get_le(p, 8);
	return 0;
}

/* A crash during the first update of an empty file: slot 0 still all
 * zero, slot 1 incomplete.  Nothing had been counted: start afresh. */
static bool never_written(const uint8_t *buf, size_t len)
{
	size_t n = len < STATS_SLOT_SIZE ? len : STATS_SLOT_SIZE;

	for (size_t i = 0; i < n; i++)
		if (buf[i] != 0)
			return false;
	return true;
}

int stats_decode(const uint8_t *buf, size_t len, struct stats *st)
{
	struct stats other;
	int a, b;

	memset(st, 0, sizeof(*st));
	if (len == 0)
		return 0;
	a = decode_slot(buf, len, st);
	b = len > STATS_SLOT_SIZE
	        ? decode_slot(buf + STATS_SLOT_SIZE, len - STATS_SLOT_SIZE, &other)
	        : -EINVAL;
	if (a < 0 && b < 0)
		return never_written(buf, len) ? 0 : -EINVAL;
	if (b == 0 && (a < 0 || other.generation > st->generation))
		*st = other;
	return 0;
}

/* The whole file (at most STATS_FILE_SIZE bytes) decoded. */
static int read_locked(int fd, struct stats *st)
{
	uint8_t buf[STATS_FILE_SIZE];
	size_t len = 0;

	while (len < sizeof(buf)) {
		ssize_t n = pread(fd, buf + len, sizeof(buf) - len, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return stats_decode(buf, len, st);
}

static int open_locked(const char *path, int flags, int lock)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	while (flock(fd, lock) < 0) {
		if (errno != EINTR) {
			int err = -errno;
			close(fd);
			return err;
		}
	}
	return fd;
}

static void count(struct stats *st, enum stats_kind kind, int m, uint64_t bytes)
{
	switch (kind) {
	case STATS_FROM:
		st->msgs_from[m]++;
		st->kb_from[m] += stats_kbytes(bytes);
		break;
	case STATS_TO:
		st->msgs_to[m]++;
		st->kb_to[m] += stats_kbytes(bytes);
		break;
	case STATS_REJECT:
		st->rejected[m]++;
		break;
	case STATS_DISCARD:
		st->discarded[m]++;
		break;
	case STATS_QUARANTINE:
		st->quarantined[m]++;
		break;
	case STATS_CONN_FROM:
		st->conn_from++;
		break;
	case STATS_CONN_TO:
		st->conn_to++;
		break;
	case STATS_CONN_REJECT:
		st->conn_rejected++;
		break;
	}
}

/* The next generation into the slot the newest one is not in. */
static int write_next(int fd, struct stats *st)
{
	uint8_t slot[STATS_SLOT_SIZE];
	off_t off;
	ssize_t n;

	st->generation++;
	off = (off_t)(st->generation % 2) * STATS_SLOT_SIZE;
	stats_encode(st, slot);
	do
		n = pwrite(fd, slot, sizeof(slot), off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(slot) ? 0 : -EIO;
}

int stats_add(const char *path, enum stats_kind kind, int mailer, uint64_t bytes)
{
	struct stats st;
	struct stat sb;
	int fd, rc;

	if (path == NULL || *path == '\0')
		return 0;
	if (kind < STATS_CONN_FROM && (mailer < 0 || mailer >= STATS_MAILERS))
		return 0;
	fd = open_locked(path, O_RDWR, LOCK_EX);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	rc = read_locked(fd, &st);
	if (rc == 0) {
		if (st.itime == 0)
			st.itime = (int64_t)time(NULL);
		count(&st, kind, kind < STATS_CONN_FROM ? mailer : 0, bytes);
		rc = write_next(fd, &st);
	}
	close(fd); /* releases the lock */
	return rc;
}

int stats_read(const char *path, struct stats *st, int clear)
{
	int fd = open_locked(path, clear ? O_RDWR : O_RDONLY, clear ? LOCK_EX : LOCK_SH);
	int rc;

	if (fd < 0)
		return fd;
	rc = read_locked(fd, st);
	if (rc == 0 && clear && ftruncate(fd, 0) < 0)
		rc = -errno;
	close(fd);
	return rc;
}
