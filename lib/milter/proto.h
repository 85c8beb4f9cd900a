/*
 * proto: the milter wire format, version 6 — the bytes between the MTA
 * and a mail filter, and nothing else.  A packet is a 32-bit big-endian
 * length (the command byte and the data), one command byte, the data.
 * This module builds the MTA's commands (option negotiation, macros,
 * connect ... end of message, abort, quit) and parses what a filter
 * sends back into a checked `struct milter_reply`: every length, string
 * terminator and index is verified here, because a filter is another
 * process that may be broken or hostile.  Constants carry the names of
 * the protocol's documentation (SMFIC_*, SMFIR_*, SMFIF_*, SMFIP_*).
 */
#ifndef SDMAIL_MILTER_PROTO_H
#define SDMAIL_MILTER_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define MILTER_VERSION 6        /* the protocol version the MTA speaks */
#define MILTER_MIN_VERSION 2    /* the oldest a filter may answer with */
#define MILTER_CHUNK_SIZE 65535 /* body bytes per SMFIC_BODY */
#define MILTER_MAX_DATA 65535   /* longest reply data a filter may send */
#define MILTER_MAX_DATA_256K (256 * 1024 - 1)
#define MILTER_MAX_DATA_1M (1024 * 1024 - 1)

/* commands, MTA to filter */
enum {
	SMFIC_ABORT = 'A',
	SMFIC_BODY = 'B',
	SMFIC_CONNECT = 'C',
	SMFIC_MACRO = 'D',
	SMFIC_BODYEOB = 'E',
	SMFIC_HELO = 'H',
	SMFIC_QUIT_NC = 'K',
	SMFIC_HEADER = 'L',
	SMFIC_MAIL = 'M',
	SMFIC_EOH = 'N',
	SMFIC_OPTNEG = 'O',
	SMFIC_QUIT = 'Q',
	SMFIC_RCPT = 'R',
	SMFIC_DATA = 'T',
	SMFIC_UNKNOWN = 'U',
};

/* replies, filter to MTA */
enum {
	SMFIR_ADDRCPT = '+',
	SMFIR_DELRCPT = '-',
	SMFIR_ADDRCPT_PAR = '2',
	SMFIR_SHUTDOWN = '4',
	SMFIR_ACCEPT = 'a',
	SMFIR_REPLBODY = 'b',
	SMFIR_CONTINUE = 'c',
	SMFIR_DISCARD = 'd',
	SMFIR_CHGFROM = 'e',
	SMFIR_CONN_FAIL = 'f',
	SMFIR_ADDHEADER = 'h',
	SMFIR_INSHEADER = 'i',
	SMFIR_SETSYMLIST = 'l',
	SMFIR_CHGHEADER = 'm',
	SMFIR_PROGRESS = 'p',
	SMFIR_QUARANTINE = 'q',
	SMFIR_REJECT = 'r',
	SMFIR_SKIP = 's',
	SMFIR_TEMPFAIL = 't',
	SMFIR_REPLYCODE = 'y',
};

/* actions a filter may take at end of message */
enum {
	SMFIF_ADDHDRS = 0x001,
	SMFIF_CHGBODY = 0x002,
	SMFIF_ADDRCPT = 0x004,
	SMFIF_DELRCPT = 0x008,
	SMFIF_CHGHDRS = 0x010,
	SMFIF_QUARANTINE = 0x020,
	SMFIF_CHGFROM = 0x040,
	SMFIF_ADDRCPT_PAR = 0x080,
	SMFIF_SETSYMLIST = 0x100,
	SMFIF_ALL = 0x1ff,
};

/* protocol steps: what the filter does not want, or wants without reply */
enum {
	SMFIP_NOCONNECT = 0x000001,
	SMFIP_NOHELO = 0x000002,
	SMFIP_NOMAIL = 0x000004,
	SMFIP_NORCPT = 0x000008,
	SMFIP_NOBODY = 0x000010,
	SMFIP_NOHDRS = 0x000020,
	SMFIP_NOEOH = 0x000040,
	SMFIP_NR_HDR = 0x000080,
	SMFIP_NOUNKNOWN = 0x000100,
	SMFIP_NODATA = 0x000200,
	SMFIP_SKIP = 0x000400,
	SMFIP_RCPT_REJ = 0x000800,
	SMFIP_NR_CONN = 0x001000,
	SMFIP_NR_HELO = 0x002000,
	SMFIP_NR_MAIL = 0x004000,
	SMFIP_NR_RCPT = 0x008000,
	SMFIP_NR_DATA = 0x010000,
	SMFIP_NR_UNKN = 0x020000,
	SMFIP_NR_EOH = 0x040000,
	SMFIP_NR_BODY = 0x080000,
	SMFIP_HDR_LEADSPC = 0x100000,
	SMFIP_ALL = 0x1fffff, /* what sendmail 8.17 offers */
	SMFIP_MDS_256K = 0x10000000,
	SMFIP_MDS_1M = 0x20000000,
};

/* Where a macro list applies (the SMFIM_* stage numbers of SETSYMLIST). */
enum milter_macro_stage {
	MILTER_MACROS_CONNECT = 0,
	MILTER_MACROS_HELO = 1,
	MILTER_MACROS_ENVFROM = 2,
	MILTER_MACROS_ENVRCPT = 3,
	MILTER_MACROS_DATA = 4,
	MILTER_MACROS_EOM = 5,
	MILTER_MACROS_EOH = 6,
	MILTER_MACROS_COUNT = 7,
};

/* One packet to send: header and data assembled in one buffer. */
struct milter_packet {
	struct strbuf b; /* 4 length bytes, the command, the data */
};

void milter_packet_begin(struct milter_packet *p, char cmd);
void milter_packet_put(struct milter_packet *p, const void *data, size_t n);
/* A string with its NUL. */
void milter_packet_str(struct milter_packet *p, const char *s);
void milter_packet_u16(struct milter_packet *p, uint16_t v);
void milter_packet_u32(struct milter_packet *p, uint32_t v);
/* Fill in the length; returns the bytes to send. */
const char *milter_packet_end(struct milter_packet *p, size_t *len);
void milter_packet_free(struct milter_packet *p);

/* The options a filter answered SMFIC_OPTNEG with. */
struct milter_optneg {
	uint32_t version, actions, protocol;
	/* SETSYMLIST: the macros the filter wants per stage ("{a} b"), NULL
	 * where it said nothing */
	char *macros[MILTER_MACROS_COUNT];
};

enum milter_optneg_error {
	OPTNEG_OK = 0,
	OPTNEG_NOT_OPTNEG,  /* the reply is not an 'O' */
	OPTNEG_SHORT,       /* fewer than three 32-bit words */
	OPTNEG_BAD_SYMLIST, /* a macro list that is cut or names no stage */
};

/* Parse the filter's OPTNEG reply; on success opt owns its strings. */
enum milter_optneg_error milter_parse_optneg(char cmd, const char *data, size_t len,
                                             struct milter_optneg *opt);
void milter_optneg_free(struct milter_optneg *opt);

/* A reply packet, checked. */
struct milter_reply {
	char cmd;
	/* SMFIR_REPLYCODE: the reply text ("550 5.7.1 text", lines joined
	 * with CRLF); ADDHEADER/INSHEADER/CHGHEADER: the header name;
	 * ADDRCPT(_PAR)/DELRCPT/CHGFROM: the address; QUARANTINE: reason */
	const char *str;
	/* header value; ADDRCPT_PAR/CHGFROM: the ESMTP arguments or NULL */
	const char *str2;
	uint32_t index;   /* INSHEADER/CHGHEADER */
	const char *body; /* REPLBODY */
	size_t body_len;
};

enum milter_reply_error {
	REPLY_OK = 0,
	REPLY_UNKNOWN,   /* not a reply command at all */
	REPLY_MALFORMED, /* strings not terminated, fields missing */
	REPLY_BAD_CODE,  /* a REPLYCODE that is no 4xx/5xx reply */
};

/*
 * Parse one reply packet (cmd and its data).  The strings point into
 * `data`, which must stay alive and have a NUL at data[len] (the
 * connection's buffer always has one); nothing is allocated.
 */
enum milter_reply_error milter_parse_reply(char cmd, const char *data, size_t len,
                                           struct milter_reply *r);

/* Is `text` a reply a filter may give for SMFIR_REPLYCODE: a 4xx or
 * 5xx code, a blank or '-', lines of the same code? */
bool milter_reply_code_ok(const char *text);

#endif
