/* saslw: the libsasl2 wrapper of SMTP AUTH (see saslw.h). */
#include "sasl/saslw.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sasl/sasl.h>

#include "util/xalloc.h"

#define SDMAIL_SASL_APPNAME "Sendmail" /* sendmail's: selects Sendmail.conf */
#define SDMAIL_SASL_SERVICE "smtp"
#define LOG_KEEP 4096 /* bytes of libsasl2 messages kept */

/* libsasl2 stores every callback as int (*)(void) */
#define CB(fn) ((int (*)(void))(void (*)(void))(fn))

unsigned auth_options_parse(const char *letters)
{
	static const struct {
		char c;
		unsigned flag;
	} map[] = {
	    {'A', AUTHOPT_A}, {'a', AUTHOPT_a}, {'c', AUTHOPT_c}, {'d', AUTHOPT_d},
	    {'f', AUTHOPT_f}, {'m', AUTHOPT_m}, {'p', AUTHOPT_p}, {'y', AUTHOPT_y},
	};
	unsigned flags = 0;

	for (const char *p = letters; p && *p; p++)
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (*p == map[i].c)
				flags |= map[i].flag;
	return flags;
}

/* ---- process-wide set-up ------------------------------------------------- */

/* libsasl2 keeps its configuration process-wide; so must we. */
static const struct saslw_conf *global_conf;

static int cb_getopt(void *ctx, const char *plugin, const char *option, const char **result,
                     unsigned *len)
{
	(void)ctx;
	(void)plugin;
	if (global_conf == NULL || global_conf->options == NULL)
		return SASL_FAIL;
	for (const char *const *o = global_conf->options; o[0] && o[1]; o += 2) {
		if (strcmp(o[0], option) == 0) {
			*result = o[1];
			if (len)
				*len = (unsigned)strlen(o[1]);
			return SASL_OK;
		}
	}
	return SASL_FAIL; /* libsasl2 falls back to Sendmail.conf */
}

static int cb_getconfpath(void *ctx, const char **path)
{
	(void)ctx;
	if (global_conf == NULL || global_conf->confdir == NULL)
		return SASL_FAIL;
	*path = global_conf->confdir;
	return SASL_OK;
}

static int cb_log_drop(void *ctx, int level, const char *message)
{
	(void)ctx;
	(void)level;
	(void)message;
	return SASL_OK; /* messages outside a session: no stderr noise */
}

/* libsasl2 keeps a pointer to these: they live as long as the process */
static sasl_callback_t global_callbacks[4];

/* A failing SASL_CB_GETCONFPATH makes libsasl2's initialization fail:
 * offer it only when there is a directory to name. */
static void set_global_callbacks(void)
{
	int n = 0;
	global_callbacks[n++] = (sasl_callback_t){SASL_CB_GETOPT, CB(cb_getopt), NULL};
	if (global_conf != NULL && global_conf->confdir != NULL)
		global_callbacks[n++] =
		    (sasl_callback_t){SASL_CB_GETCONFPATH, CB(cb_getconfpath), NULL};
	global_callbacks[n++] = (sasl_callback_t){SASL_CB_LOG, CB(cb_log_drop), NULL};
	global_callbacks[n] = (sasl_callback_t){SASL_CB_LIST_END, NULL, NULL};
}

int saslw_init(const struct saslw_conf *conf, struct strbuf *err)
{
	static bool initialized;
	int rc;

	if (initialized)
		return 0; /* libsasl2 can be set up once per process */
	global_conf = conf;
	set_global_callbacks();
	rc = sasl_server_init(global_callbacks, SDMAIL_SASL_APPNAME);
	if (rc == SASL_OK)
		rc = sasl_client_init(global_callbacks);
	if (rc != SASL_OK) {
		sb_printf(err, "SASL initialization failed: %s", sasl_errstring(rc, NULL, NULL));
		return -EIO;
	}
	initialized = true;
	return 0;
}

void saslw_done(void)
{
	sasl_done();
	global_conf = NULL;
}

/* ---- shared -------------------------------------------------------------- */

static void log_append(struct strbuf *log, const char *message)
{
	if (log->len + strlen(message) + 1 > LOG_KEEP)
		return;
	sb_puts(log, message);
	sb_putc(log, '\n');
}

/* No security layer ever: see saslw.h. */
static int set_props(sasl_conn_t *conn, unsigned options)
{
	sasl_security_properties_t props;

	memset(&props, 0, sizeof(props));
	props.min_ssf = 0;
	props.max_ssf = 0;
	props.maxbufsize = 0;
	if (options & AUTHOPT_a)
		props.security_flags |= SASL_SEC_NOACTIVE;
	if (options & AUTHOPT_c)
		props.security_flags |= SASL_SEC_PASS_CREDENTIALS;
	if (options & AUTHOPT_d)
		props.security_flags |= SASL_SEC_NODICTIONARY;
	if (options & AUTHOPT_f)
		props.security_flags |= SASL_SEC_FORWARD_SECRECY;
	if (options & AUTHOPT_m)
		props.security_flags |= SASL_SEC_MUTUAL_AUTH;
	if (options & AUTHOPT_p)
		props.security_flags |= SASL_SEC_NOPLAINTEXT;
	if (options & AUTHOPT_y)
		props.security_flags |= SASL_SEC_NOANONYMOUS;
	return sasl_setprop(conn, SASL_SEC_PROPS, &props);
}

static enum saslw_result result_of(int rc)
{
	switch (rc) {
	case SASL_OK:
		return SASLW_OK;
	case SASL_CONTINUE:
		return SASLW_CONTINUE;
	case SASL_NOMECH:
	case SASL_TOOWEAK:
	case SASL_ENCRYPT:
		return SASLW_NOMECH;
	default:
		return SASLW_FAIL;
	}
}

static void set_out(struct strbuf *out, const char *data, unsigned len)
{
	sb_reset(out);
	if (data != NULL)
		sb_put(out, data, len);
}

/* ---- server -------------------------------------------------------------- */

struct saslw_server {
	sasl_conn_t *conn;
	sasl_callback_t callbacks[3];
	struct strbuf log;
	char *mech;
	const char *authen, *author; /* owned by conn */
};

static int cb_server_log(void *ctx, int level, const char *message)
{
	struct saslw_server *srv = ctx;
	(void)level;
	log_append(&srv->log, message);
	return SASL_OK;
}

/*
 * Who may act as whom: like sendmail, any authenticated client may name
 * an authorization identity; what it is worth is decided later (the
 * trust_auth ruleset for MAIL's AUTH=, the rulesets for relaying).
 */
static int cb_proxy_policy(sasl_conn_t *conn, void *ctx, const char *requested_user, unsigned rlen,
                           const char *auth_identity, unsigned alen, const char *def_realm,
                           unsigned urlen, struct propctx *propctx)
{
	(void)conn, (void)ctx, (void)requested_user, (void)rlen, (void)def_realm;
	(void)urlen, (void)propctx;
	return auth_identity != NULL && alen > 0 ? SASL_OK : SASL_BADAUTH;
}

struct saslw_server *saslw_server_new(const struct saslw_server_params *p, struct strbuf *err)
{
	struct saslw_server *srv = xcalloc(1, sizeof(*srv));
	int rc;

	sb_init(&srv->log);
	srv->callbacks[0] = (sasl_callback_t){SASL_CB_LOG, CB(cb_server_log), srv};
	srv->callbacks[1] = (sasl_callback_t){SASL_CB_PROXY_POLICY, CB(cb_proxy_policy), srv};
	srv->callbacks[2] = (sasl_callback_t){SASL_CB_LIST_END, NULL, NULL};
	rc = sasl_server_new(SDMAIL_SASL_SERVICE, p->fqdn, p->realm && *p->realm ? p->realm : NULL,
	                     p->local_addr, p->remote_addr, srv->callbacks, 0, &srv->conn);
	if (rc == SASL_OK)
		rc = set_props(srv->conn, p->options);
	if (rc == SASL_OK && p->tls_ssf > 0) {
		sasl_ssf_t ssf = p->tls_ssf;
		rc = sasl_setprop(srv->conn, SASL_SSF_EXTERNAL, &ssf);
	}
	if (rc != SASL_OK) {
		sb_printf(err, "SASL server session: %s", sasl_errstring(rc, NULL, NULL));
		saslw_server_free(srv);
		return NULL;
	}
	return srv;
}

void saslw_server_free(struct saslw_server *srv)
{
	if (srv == NULL)
		return;
	if (srv->conn != NULL)
		sasl_dispose(&srv->conn);
	sb_free(&srv->log);
	free(srv->mech);
	free(srv);
}

void saslw_server_mechs(struct saslw_server *srv, const char *allowed, struct strbuf *out)
{
	const char *list = NULL;
	unsigned len = 0;
	int count = 0;
	char *avail;
	const char *p = allowed;

	sb_reset(out);
	if (sasl_listmech(srv->conn, NULL, "", " ", "", &list, &len, &count) != SASL_OK)
		return;
	avail = xstrndup(list, len);
	while (p && *p) {
		size_t w;
		char *word;
		p += strspn(p, " \t,");
		w = strcspn(p, " \t,");
		if (w == 0)
			break;
		word = xstrndup(p, w);
		if (mech_in_list(avail, word) && !mech_in_list(sb_str(out), word)) {
			if (out->len)
				sb_putc(out, ' ');
			sb_puts(out, word);
		}
		free(word);
		p += w;
	}
	free(avail);
}

static enum saslw_result server_result(struct saslw_server *srv, int rc, const char *data,
                                       unsigned len, struct strbuf *challenge)
{
	enum saslw_result r = result_of(rc);
	const void *v;

	set_out(challenge, r == SASLW_CONTINUE ? data : NULL, len);
	if (r != SASLW_OK)
		return r;
	srv->authen = srv->author = NULL;
	if (sasl_getprop(srv->conn, SASL_AUTHUSER, &v) == SASL_OK)
		srv->authen = v;
	if (sasl_getprop(srv->conn, SASL_USERNAME, &v) == SASL_OK)
		srv->author = v;
	if (srv->authen == NULL)
		srv->authen = srv->author;
	if (srv->author == NULL)
		srv->author = srv->authen;
	return srv->authen != NULL ? SASLW_OK : SASLW_FAIL;
}

enum saslw_result saslw_server_start(struct saslw_server *srv, const char *mech, const char *resp,
                                     size_t len, struct strbuf *challenge)
{
	const char *out = NULL;
	unsigned outlen = 0;
	int rc;

	if (len > UINT_MAX)
		return SASLW_FAIL;
	free(srv->mech);
	srv->mech = xstrdup(mech);
	rc = sasl_server_start(srv->conn, mech, resp, (unsigned)len, &out, &outlen);
	return server_result(srv, rc, out, outlen, challenge);
}

enum saslw_result saslw_server_step(struct saslw_server *srv, const char *resp, size_t len,
                                    struct strbuf *challenge)
{
	const char *out = NULL;
	unsigned outlen = 0;
	int rc;

	if (len > UINT_MAX)
		return SASLW_FAIL;
	rc = sasl_server_step(srv->conn, resp, (unsigned)len, &out, &outlen);
	return server_result(srv, rc, out, outlen, challenge);
}

const char *saslw_server_authen(const struct saslw_server *srv)
{
	return srv->authen;
}

const char *saslw_server_author(const struct saslw_server *srv)
{
	return srv->author;
}

const char *saslw_server_mech(const struct saslw_server *srv)
{
	return srv->mech;
}

unsigned saslw_server_ssf(const struct saslw_server *srv)
{
	const void *v;
	if (sasl_getprop(srv->conn, SASL_SSF, &v) == SASL_OK && v != NULL)
		return *(const sasl_ssf_t *)v;
	return 0;
}

const char *saslw_server_log(const struct saslw_server *srv)
{
	return sb_str(&srv->log);
}

/* ---- client -------------------------------------------------------------- */

struct saslw_client {
	sasl_conn_t *conn;
	sasl_callback_t callbacks[6];
	struct authinfo ai;
	sasl_secret_t *secret;
	struct strbuf log;
	char *mechs; /* the candidates given to libsasl2 */
};

static int cb_client_log(void *ctx, int level, const char *message)
{
	struct saslw_client *cl = ctx;
	(void)level;
	log_append(&cl->log, message);
	return SASL_OK;
}

static int cb_client_simple(void *ctx, int id, const char **result, unsigned *len)
{
	struct saslw_client *cl = ctx;
	const char *v = id == SASL_CB_USER ? cl->ai.user : cl->ai.authid;

	if (v == NULL)
		return SASL_FAIL;
	*result = v;
	if (len)
		*len = (unsigned)strlen(v);
	return SASL_OK;
}

static int cb_client_pass(sasl_conn_t *conn, void *ctx, int id, sasl_secret_t **psecret)
{
	struct saslw_client *cl = ctx;
	(void)conn;
	if (id != SASL_CB_PASS || cl->secret == NULL)
		return SASL_FAIL;
	*psecret = cl->secret;
	return SASL_OK;
}

static int cb_client_realm(void *ctx, int id, const char **availrealms, const char **result)
{
	struct saslw_client *cl = ctx;
	(void)id;
	if (cl->ai.realm != NULL)
		*result = cl->ai.realm;
	else if (availrealms != NULL && availrealms[0] != NULL)
		*result = availrealms[0];
	else
		return SASL_FAIL;
	return SASL_OK;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct saslw_client *saslw_client_new(const char *server_fqdn, const struct authinfo *ai,
                                      struct strbuf *err)
{
	struct saslw_client *cl = xcalloc(1, sizeof(*cl));
	size_t n = ai->secret ? strlen(ai->secret) : 0;
	int rc;

	sb_init(&cl->log);
	cl->ai.user = dup_or_null(ai->user);
	cl->ai.authid = dup_or_null(ai->authid);
	cl->ai.secret = dup_or_null(ai->secret);
	cl->ai.realm = dup_or_null(ai->realm);
	cl->ai.mechs = dup_or_null(ai->mechs);
	cl->secret = xcalloc(1, sizeof(*cl->secret) + n + 1);
	cl->secret->len = n;
	if (n)
		memcpy(cl->secret->data, ai->secret, n);
	cl->callbacks[0] = (sasl_callback_t){SASL_CB_LOG, CB(cb_client_log), cl};
	cl->callbacks[1] = (sasl_callback_t){SASL_CB_USER, CB(cb_client_simple), cl};
	cl->callbacks[2] = (sasl_callback_t){SASL_CB_AUTHNAME, CB(cb_client_simple), cl};
	cl->callbacks[3] = (sasl_callback_t){SASL_CB_PASS, CB(cb_client_pass), cl};
	cl->callbacks[4] = (sasl_callback_t){SASL_CB_GETREALM, CB(cb_client_realm), cl};
	cl->callbacks[5] = (sasl_callback_t){SASL_CB_LIST_END, NULL, NULL};
	rc = sasl_client_new(SDMAIL_SASL_SERVICE, server_fqdn, NULL, NULL, cl->callbacks, 0,
	                     &cl->conn);
	if (rc == SASL_OK)
		rc = set_props(cl->conn, 0);
	if (rc != SASL_OK) {
		sb_printf(err, "SASL client session: %s", sasl_errstring(rc, NULL, NULL));
		saslw_client_free(cl);
		return NULL;
	}
	return cl;
}

int saslw_client_secure(struct saslw_client *cl, unsigned options, unsigned tls_ssf)
{
	sasl_ssf_t ssf = tls_ssf;
	int rc = set_props(cl->conn, options);

	if (rc == SASL_OK && tls_ssf > 0)
		rc = sasl_setprop(cl->conn, SASL_SSF_EXTERNAL, &ssf);
	return rc == SASL_OK ? 0 : -EIO;
}

void saslw_client_free(struct saslw_client *cl)
{
	if (cl == NULL)
		return;
	if (cl->conn != NULL)
		sasl_dispose(&cl->conn);
	if (cl->secret != NULL) {
		explicit_bzero(cl->secret->data, cl->secret->len);
		free(cl->secret);
	}
	if (cl->ai.secret != NULL)
		explicit_bzero(cl->ai.secret, strlen(cl->ai.secret));
	authinfo_free(&cl->ai);
	sb_free(&cl->log);
	free(cl->mechs);
	free(cl);
}

/* The words of `offered` that `wanted` (NULL: all) allows. */
static char *candidates(const char *offered, const char *wanted)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = offered;

	while (p && *p) {
		size_t w;
		char *word;
		p += strspn(p, " \t");
		w = strcspn(p, " \t");
		if (w == 0)
			break;
		word = xstrndup(p, w);
		if (wanted == NULL || mech_in_list(wanted, word)) {
			if (sb.len)
				sb_putc(&sb, ' ');
			sb_puts(&sb, word);
		}
		free(word);
		p += w;
	}
	return sb_detach(&sb);
}

enum saslw_result saslw_client_start(struct saslw_client *cl, const char *offered,
                                     const char **mech, bool *has_initial, struct strbuf *out)
{
	const char *data = NULL;
	unsigned len = 0;
	int rc;

	free(cl->mechs);
	cl->mechs = candidates(offered, cl->ai.mechs);
	*mech = NULL;
	*has_initial = false;
	sb_reset(out);
	if (cl->mechs == NULL || *cl->mechs == '\0')
		return SASLW_NOMECH;
	rc = sasl_client_start(cl->conn, cl->mechs, NULL, &data, &len, mech);
	if (rc != SASL_OK && rc != SASL_CONTINUE)
		return result_of(rc) == SASLW_NOMECH ? SASLW_NOMECH : SASLW_FAIL;
	*has_initial = data != NULL;
	set_out(out, data, len);
	return result_of(rc);
}

enum saslw_result saslw_client_step(struct saslw_client *cl, const char *challenge, size_t len,
                                    struct strbuf *out)
{
	const char *data = NULL;
	unsigned outlen = 0;
	int rc;

	if (len > UINT_MAX)
		return SASLW_FAIL;
	rc = sasl_client_step(cl->conn, challenge, (unsigned)len, NULL, &data, &outlen);
	set_out(out, data, outlen);
	return result_of(rc);
}

const char *saslw_client_log(const struct saslw_client *cl)
{
	return sb_str(&cl->log);
}
