/*
 * macro: sendmail macros ($x, ${name}) and the `$` translation of cf text.
 * Owns the id space shared by macros and classes (single characters are
 * their own id; `{name}` gets an id from 0xa0 up, at most 96 of them, as
 * in sendmail), macro definition and lookup through layered environments
 * (a session or test-mode scope over the configuration's), expansion with
 * $?x $| $. conditionals, and translate: turning `$*`, `$1`, `${x}`... in
 * raw cf text into the meta encoding of meta.h.
 */
#ifndef SDMAIL_CF_MACRO_H
#define SDMAIL_CF_MACRO_H

#include <stdbool.h>

#include "cf/cf.h"

struct strbuf;

/*
 * Parse a macro/class name at *pp: a single character, or `{name}`
 * (`{x}` with one character is the same as `x`).  Advances *pp past it.
 * Returns the id, or 0 after printing sendmail's error.
 */
int macro_parse_id(struct cf *cf, const char **pp);
/* Id for a name given without braces ("j", "client_addr"); 0 if unknown and !create. */
int macro_id(struct cf *cf, const char *name, bool create);
int macro_id_find(const struct cf *cf, const char *name);

/* The name of an id without braces: "j", "client_addr". */
const char *macro_plain_name(const struct cf *cf, int id, char buf[2]);

void macro_define(struct macro_env *env, int id, const char *encoded_value);
/* Define from raw cf text (translates `$` sequences first). */
void macro_define_text(struct cf *cf, struct macro_env *env, int id, const char *text);
const char *macro_get(const struct macro_env *env, int id);
void macro_env_clear(struct macro_env *env);

/*
 * Expand macros and conditionals in encoded `s` (sendmail's expand()).
 * Metas other than macro references are copied unchanged, so expanding a
 * rule leaves $* $1 $> and friends alone; $&x is kept for run time.
 */
void macro_expand(const struct cf *cf, const struct macro_env *env, const char *s,
		  struct strbuf *out);

/* Translate raw cf text into the meta encoding; caller frees. */
char *macro_translate(struct cf *cf, const char *text);

#endif
