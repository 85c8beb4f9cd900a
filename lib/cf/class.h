/*
 * class: sendmail classes ($=w, $={VirtHost}).  A word may belong to many
 * classes; membership is case-insensitive.  Words are kept in a hash table
 * laid out like sendmail's symbol table (2003 buckets, the same hash, new
 * words appended to their bucket) because `$=x` in test mode lists a class
 * in that order, and sdmail must print it identically.
 */
#ifndef SDMAIL_CF_CLASS_H
#define SDMAIL_CF_CLASS_H

#include <stdbool.h>

struct class_table;

struct class_table *class_table_new(void);
void class_table_free(struct class_table *t);

void class_add(struct class_table *t, int id, const char *word);
/* Add every blank-separated word of `text` to class id. */
void class_add_words(struct class_table *t, int id, const char *text);
void class_remove(struct class_table *t, int id, const char *word);
bool class_contains(const struct class_table *t, int id, const char *word);
/* Call fn for every word of class id, in sendmail's listing order. */
void class_foreach(const struct class_table *t, int id,
		   void (*fn)(const char *word, void *arg), void *arg);
int class_size(const struct class_table *t, int id);

#endif
