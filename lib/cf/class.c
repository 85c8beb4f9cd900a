/*
 * class: class membership in a sendmail-ordered hash table (class.h).
 */
#include "cf/class.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

#define CLASS_BUCKETS 2003
#define CLASS_HASH_SEED 1 /* sendmail hashes class words with their symbol type, 1 */

struct class_word {
	char *word;
	uint64_t bits[4]; /* membership by id 0..255 */
	struct class_word *next;
};

struct class_table {
	struct class_word *bucket[CLASS_BUCKETS];
};

static unsigned bucket_of(const char *word)
{
	unsigned h = CLASS_HASH_SEED;
	for (const unsigned char *p = (const unsigned char *)word; *p; p++)
		h = ((h << 1) ^ (unsigned)tolower(*p)) % CLASS_BUCKETS;
	return h;
}

struct class_table *class_table_new(void)
{
	return xcalloc(1, sizeof(struct class_table));
}

void class_table_free(struct class_table *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < CLASS_BUCKETS; i++) {
		struct class_word *w = t->bucket[i];
		while (w != NULL) {
			struct class_word *next = w->next;
			free(w->word);
			free(w);
			w = next;
		}
	}
	free(t);
}

static struct class_word *find(const struct class_table *t, const char *word)
{
	for (struct class_word *w = t->bucket[bucket_of(word)]; w; w = w->next)
		if (strcasecmp(w->word, word) == 0)
			return w;
	return NULL;
}

void class_add(struct class_table *t, int id, const char *word)
{
	struct class_word *w = find(t, word);
	if (w == NULL) {
		struct class_word **pp = &t->bucket[bucket_of(word)];
		while (*pp != NULL)
			pp = &(*pp)->next;
		w = xcalloc(1, sizeof(*w));
		w->word = xstrdup(word);
		*pp = w;
	}
	w->bits[(id & 0xff) / 64] |= 1ULL << ((id & 0xff) % 64);
}

void class_add_words(struct class_table *t, int id, const char *text)
{
	char *copy = xstrdup(text), *save = NULL;
	for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save))
		class_add(t, id, w);
	free(copy);
}

void class_remove(struct class_table *t, int id, const char *word)
{
	struct class_word *w = find(t, word);
	if (w != NULL)
		w->bits[(id & 0xff) / 64] &= ~(1ULL << ((id & 0xff) % 64));
}

static bool member(const struct class_word *w, int id)
{
	return (w->bits[(id & 0xff) / 64] >> ((id & 0xff) % 64)) & 1;
}

bool class_contains(const struct class_table *t, int id, const char *word)
{
	const struct class_word *w = find(t, word);
	return w != NULL && member(w, id);
}

void class_foreach(const struct class_table *t, int id,
		   void (*fn)(const char *word, void *arg), void *arg)
{
	for (int i = 0; i < CLASS_BUCKETS; i++)
		for (const struct class_word *w = t->bucket[i]; w; w = w->next)
			if (member(w, id))
				fn(w->word, arg);
}

static void count_one(const char *word, void *arg)
{
	(void)word;
	(*(int *)arg)++;
}

int class_size(const struct class_table *t, int id)
{
	int n = 0;
	class_foreach(t, id, count_one, &n);
	return n;
}
