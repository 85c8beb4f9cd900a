/*
 * catalog: the journal MESSAGE_ID of each kind of sdmail log entry, the
 * keys of the message catalog catalog/sdmail.catalog (installed in
 * /usr/lib/systemd/catalog/, shown by `journalctl -x`).  Each ID was made
 * once with `systemd-id128 new` and never changes: administrators filter
 * on them (`journalctl MESSAGE_ID=...`) and the catalog's entries are
 * keyed by them.  An entry of a kind not listed here carries no
 * MESSAGE_ID.  log_message_id() chooses the ID from SDMAIL_EVENT and, for
 * a to= line, from the delivery outcome (SDMAIL_DELIVERY).
 */
#ifndef SDMAIL_LOG_CATALOG_H
#define SDMAIL_LOG_CATALOG_H

/* from=: a message was accepted into a queue */
#define SDMAIL_MID_ACCEPTED "afda8d759f0f4c5cbebbf5ef02d2fb3f"
/* to= ..., stat=Sent: delivered to the next hop or the mailbox */
#define SDMAIL_MID_DELIVERED "6ec3700195624736b68702a65837bece"
/* to= ..., stat=Deferred: kept in the queue for a later attempt */
#define SDMAIL_MID_DEFERRED "e65a99b3b38b4bd9a714388a81f51393"
/* to= ... refused for good (SDMAIL_DELIVERY=bounced): a DSN goes back */
#define SDMAIL_MID_BOUNCED "4aaad7a425a64699a014c512e430809f"
/* QID: DSNQID: DSN: a delivery status notification (bounce) was queued */
#define SDMAIL_MID_DSN "427ca17564084314a2352020df415784"
/* ruleset=... reject=: an SMTP command refused by policy */
#define SDMAIL_MID_REJECTED "efbca3aef38e464f8e25f2ae993a6a58"
/* AUTH failure: an SMTP AUTH attempt failed */
#define SDMAIL_MID_AUTH_FAILURE "233bdfb9a532444dac7b2dc102fa7cfc"

/*
 * The MESSAGE_ID of an entry with SDMAIL_EVENT `event` and, for "to",
 * SDMAIL_DELIVERY `delivery` ("sent", "deferred", "bounced"); NULL: none.
 */
const char *log_message_id(const char *event, const char *delivery);

#endif
