/*
 * modify: the changes filters ask for at end of message, kept as a list
 * in the order they arrived (add, insert, change or delete a header, add
 * or delete a recipient, change the sender, quarantine) plus a replaced
 * body in a temporary file, and the one function that applies them to an
 * envelope and its df file.  The engine applies the same list to its
 * working copy after each filter, so the next filter sees the changes,
 * and the caller applies it to the real envelope once the message is
 * accepted: both get the same result because the list is replayed in
 * order on the same starting state.
 */
#ifndef SDMAIL_MILTER_MODIFY_H
#define SDMAIL_MILTER_MODIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct envelope;
struct env_header;

enum milter_mod_type {
	MOD_ADD_HEADER, /* name, value: before the first of that name, else last */
	MOD_INS_HEADER, /* index, name, value: after header #index (0 first) */
	MOD_CHG_HEADER, /* index, name, value: the index-th (1-based) header
	                 * of that name among the message's own; empty
	                 * value deletes it */
	MOD_ADD_RCPT,   /* str = address, str2 = ESMTP arguments or NULL */
	MOD_DEL_RCPT,   /* str = address */
	MOD_CHG_FROM,   /* str = address, str2 = ESMTP arguments or NULL */
	MOD_QUARANTINE, /* str = reason */
};

struct milter_mod {
	enum milter_mod_type type;
	uint32_t index;
	char *str;
	char *str2;
	const char *filter; /* who asked (the filter's name, owned elsewhere) */
	bool leadspc;       /* header value as given, leading space included */
	struct milter_mod *next;
};

struct milter_mods {
	struct milter_mod *head, **tail;
	/* a replaced body (LF line ends, as in a df), or -1; its size */
	int body_fd;
	long long body_size;
};

void milter_mods_init(struct milter_mods *m);
void milter_mods_free(struct milter_mods *m);
struct milter_mod *milter_mods_add(struct milter_mods *m, enum milter_mod_type type, uint32_t index,
                                   const char *str, const char *str2, const char *filter);
bool milter_mods_empty(const struct milter_mods *m);

/*
 * Apply the list to `e`: header values get the single space sendmail
 * puts after the colon (unless the filter negotiated SMFIP_HDR_LEADSPC
 * and gave its own);
 * `own_skip` is the number of headers sendmail added in front of the
 * message's own (those the filters did not see and CHGHEADER does not
 * count).  Then the replaced body, if any, is copied over df_fd
 * (truncated, written, fsynced, e->body_size updated); df_fd < 0 skips
 * that.  Returns 0 or a negative errno from the df.
 */
int milter_apply(const struct milter_mods *m, struct envelope *e, size_t own_skip, int df_fd);

/* Apply the list's entries from `from` on (headers, recipients, sender),
 * not the body: what the engine does to its working copy.  *own_skip
 * grows when a header is inserted among sendmail's own.  A deleted
 * header stays in the list with a NULL value: like sendmail, later
 * changes still count it (milter_apply removes it). */
void milter_apply_list(const struct milter_mod *from, struct envelope *e, size_t *own_skip);

/* The address without its angle brackets, for comparing recipients. */
bool milter_same_addr(const char *a, const char *b);

#endif
