/*
 * tls: GnuTLS credentials, sessions and sendmail's TLS macros (tls.h).
 */
#include "tls/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/*
 * GnuTLS initializes itself (random generator, ASN.1 trees, system
 * configuration) when it is loaded; most runs of the sendmail command
 * never use TLS, so that is put off until the first TLS context.
 */
GNUTLS_SKIP_GLOBAL_INIT

#include "cf/options.h"
#include "util/deadline.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct tls_context {
	enum tls_role role;
	bool request_cert;
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t prio; /* NULL: GnuTLS's default priorities */
};

struct tls_session {
	gnutls_session_t gs;
	enum tls_role role;
	bool request_cert;
	int rfd, wfd;
	int last_error; /* GnuTLS error code, 0 none */
};

/* --- configuration ------------------------------------------------------- */

static const char *nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

void tls_config_from_options(struct tls_config *cfg, const struct option_values *ov,
			     enum tls_role role)
{
	bool client = role == TLS_ROLE_CLIENT;

	memset(cfg, 0, sizeof(*cfg));
	cfg->cert_file = nonempty(ov->str[client ? OPT_ClientCertFile : OPT_ServerCertFile]);
	cfg->key_file = nonempty(ov->str[client ? OPT_ClientKeyFile : OPT_ServerKeyFile]);
	cfg->ca_file = nonempty(ov->str[OPT_CACertFile]);
	cfg->ca_path = nonempty(ov->str[OPT_CACertPath]);
	cfg->crl_file = nonempty(ov->str[OPT_CRLFile]);
	cfg->priority = nonempty(ov->str[OPT_CipherList]);
	/* TLSSrvOptions V: do not ask clients for a certificate */
	cfg->request_cert = !client && (ov->str[OPT_TLSSrvOptions] == NULL ||
					strchr(ov->str[OPT_TLSSrvOptions], 'V') == NULL);
}

/* --- context ------------------------------------------------------------- */

static int why_errno(struct strbuf *why, const char *what, const char *path, int err)
{
	if (why != NULL)
		sb_printf(why, "%s %s: %s", what, path, strerror(err));
	return -err;
}

static int why_gnutls(struct strbuf *why, const char *what, const char *path, int gerr)
{
	if (why != NULL)
		sb_printf(why, "%s %s: %s", what, path, gnutls_strerror(gerr));
	return -EPROTO;
}

static int check_readable(struct strbuf *why, const char *what, const char *path)
{
	if (access(path, R_OK) < 0)
		return why_errno(why, what, path, errno);
	return 0;
}

static int load_trust(struct tls_context *ctx, const struct tls_config *cfg, struct strbuf *why)
{
	int r;

	if (cfg->ca_file != NULL) {
		if ((r = check_readable(why, "CACertFile", cfg->ca_file)) < 0)
			return r;
		r = gnutls_certificate_set_x509_trust_file(ctx->cred, cfg->ca_file,
							   GNUTLS_X509_FMT_PEM);
		if (r < 0)
			return why_gnutls(why, "CACertFile", cfg->ca_file, r);
	}
	if (cfg->ca_path != NULL) {
		if ((r = check_readable(why, "CACertPath", cfg->ca_path)) < 0)
			return r;
		r = gnutls_certificate_set_x509_trust_dir(ctx->cred, cfg->ca_path,
							  GNUTLS_X509_FMT_PEM);
		if (r < 0)
			return why_gnutls(why, "CACertPath", cfg->ca_path, r);
	}
	if (cfg->crl_file != NULL) {
		if ((r = check_readable(why, "CRLFile", cfg->crl_file)) < 0)
			return r;
		r = gnutls_certificate_set_x509_crl_file(ctx->cred, cfg->crl_file,
							 GNUTLS_X509_FMT_PEM);
		if (r < 0)
			return why_gnutls(why, "CRLFile", cfg->crl_file, r);
	}
	return 0;
}

static int load_key(struct tls_context *ctx, const struct tls_config *cfg, struct strbuf *why)
{
	const char *cert_opt = ctx->role == TLS_ROLE_CLIENT ? "ClientCertFile" : "ServerCertFile";
	int r;

	if (cfg->cert_file == NULL && cfg->key_file == NULL) {
		if (ctx->role == TLS_ROLE_CLIENT)
			return 0;
		if (why != NULL)
			sb_puts(why, "ServerCertFile and ServerKeyFile are required");
		return -EINVAL;
	}
	if (cfg->cert_file == NULL || cfg->key_file == NULL) {
		if (why != NULL)
			sb_printf(why, "%s and its key file must be given together", cert_opt);
		return -EINVAL;
	}
	if ((r = check_readable(why, cert_opt, cfg->cert_file)) < 0)
		return r;
	if ((r = check_readable(why, "key file", cfg->key_file)) < 0)
		return r;
	r = gnutls_certificate_set_x509_key_file(ctx->cred, cfg->cert_file, cfg->key_file,
						 GNUTLS_X509_FMT_PEM);
	if (r < 0)
		return why_gnutls(why, cert_opt, cfg->cert_file, r);
	return 0;
}

static int load_priority(struct tls_context *ctx, const struct tls_config *cfg, struct strbuf *why)
{
	const char *err_pos = NULL;
	int r;

	if (cfg->priority == NULL)
		return 0;
	r = gnutls_priority_init(&ctx->prio, cfg->priority, &err_pos);
	if (r < 0) {
		ctx->prio = NULL;
		if (why != NULL)
			sb_printf(why, "CipherList: bad priority string at \"%s\": %s",
				  err_pos ? err_pos : "", gnutls_strerror(r));
		return -EINVAL;
	}
	return 0;
}

int tls_context_new(struct tls_context **ret, enum tls_role role, const struct tls_config *cfg,
		    struct strbuf *why)
{
	struct tls_context *ctx;
	static bool initialized;
	int r;

	if (!initialized) {
		r = gnutls_global_init();
		if (r < 0) {
			sb_printf(why, "GnuTLS initialization failed: %s", gnutls_strerror(r));
			return -EIO;
		}
		initialized = true;
	}
	ctx = xcalloc(1, sizeof(*ctx));
	ctx->role = role;
	ctx->request_cert = role == TLS_ROLE_SERVER && cfg->request_cert;
	if (gnutls_certificate_allocate_credentials(&ctx->cred) < 0) {
		free(ctx);
		return -ENOMEM;
	}
	r = load_trust(ctx, cfg, why);
	if (r == 0)
		r = load_key(ctx, cfg, why);
	if (r == 0)
		r = load_priority(ctx, cfg, why);
	if (r < 0) {
		tls_context_free(ctx);
		return r;
	}
	*ret = ctx;
	return 0;
}

void tls_context_free(struct tls_context *ctx)
{
	if (ctx == NULL)
		return;
	if (ctx->prio != NULL)
		gnutls_priority_deinit(ctx->prio);
	gnutls_certificate_free_credentials(ctx->cred);
	free(ctx);
}

/* --- transport: never blocks, never raises SIGPIPE ------------------------ */

static ssize_t transport_push(gnutls_transport_ptr_t p, const void *buf, size_t n)
{
	struct tls_session *s = p;
	ssize_t r = send(s->wfd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (r < 0)
		gnutls_transport_set_errno(s->gs, errno);
	return r;
}

static ssize_t transport_pull(gnutls_transport_ptr_t p, void *buf, size_t n)
{
	struct tls_session *s = p;
	ssize_t r = recv(s->rfd, buf, n, MSG_DONTWAIT);

	if (r < 0)
		gnutls_transport_set_errno(s->gs, errno);
	return r;
}

static int transport_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
	struct tls_session *s = p;
	struct pollfd pfd = {.fd = s->rfd, .events = POLLIN};
	int r = poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);

	if (r < 0)
		gnutls_transport_set_errno(s->gs, errno);
	return r;
}

/* --- sessions ------------------------------------------------------------ */

/* SNI carries DNS names only: no address literals, no trailing dot. */
static void set_server_name(gnutls_session_t gs, const char *name)
{
	unsigned char addr[16];
	size_t len;

	if (name == NULL || *name == '\0' || *name == '[')
		return;
	if (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1)
		return;
	len = strlen(name);
	if (name[len - 1] == '.')
		len--;
	if (len > 0)
		gnutls_server_name_set(gs, GNUTLS_NAME_DNS, name, len);
}

int tls_session_new(struct tls_session **ret, struct tls_context *ctx, int rfd, int wfd,
		    const char *server_name)
{
	struct tls_session *s = xcalloc(1, sizeof(*s));
	unsigned flags = ctx->role == TLS_ROLE_CLIENT ? GNUTLS_CLIENT : GNUTLS_SERVER;
	int r;

	s->role = ctx->role;
	s->request_cert = ctx->request_cert;
	s->rfd = rfd;
	s->wfd = wfd;
	if (gnutls_init(&s->gs, flags | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL) < 0) {
		free(s);
		return -ENOMEM;
	}
	r = ctx->prio ? gnutls_priority_set(s->gs, ctx->prio) : gnutls_set_default_priority(s->gs);
	if (r == 0)
		r = gnutls_credentials_set(s->gs, GNUTLS_CRD_CERTIFICATE, ctx->cred);
	if (r < 0) {
		s->last_error = r;
		tls_session_free(s);
		return -EINVAL;
	}
	if (ctx->role == TLS_ROLE_SERVER)
		gnutls_certificate_server_set_request(
		    s->gs, ctx->request_cert ? GNUTLS_CERT_REQUEST : GNUTLS_CERT_IGNORE);
	else
		set_server_name(s->gs, server_name);
	gnutls_transport_set_ptr(s->gs, s);
	gnutls_transport_set_push_function(s->gs, transport_push);
	gnutls_transport_set_pull_function(s->gs, transport_pull);
	gnutls_transport_set_pull_timeout_function(s->gs, transport_pull_timeout);
	*ret = s;
	return 0;
}

void tls_session_free(struct tls_session *s)
{
	if (s == NULL)
		return;
	gnutls_deinit(s->gs);
	free(s);
}

static int fail(struct tls_session *s, int gerr)
{
	s->last_error = gerr;
	switch (gerr) {
	case GNUTLS_E_PREMATURE_TERMINATION:
	case GNUTLS_E_PUSH_ERROR:
	case GNUTLS_E_PULL_ERROR:
		return -ECONNRESET;
	case GNUTLS_E_MEMORY_ERROR:
		return -ENOMEM;
	default:
		return -EPROTO;
	}
}

/* Wait for the direction GnuTLS was blocked on. */
static int wait_transport(struct tls_session *s, const struct deadline *d)
{
	if (tls_wants_write(s))
		return deadline_poll(s->wfd, POLLOUT, d);
	return deadline_poll(s->rfd, POLLIN, d);
}

int tls_handshake(struct tls_session *s, int timeout_ms)
{
	struct deadline d;

	deadline_start(&d, timeout_ms);
	for (;;) {
		int r = gnutls_handshake(s->gs);

		if (r == GNUTLS_E_SUCCESS)
			return 0;
		if (gnutls_error_is_fatal(r))
			return fail(s, r);
		if (r == GNUTLS_E_AGAIN) {
			int w = wait_transport(s, &d);
			if (w < 0)
				return w;
		} else if (deadline_left(&d) == 0) {
			return -ETIMEDOUT;
		}
	}
}

ssize_t tls_recv(struct tls_session *s, void *buf, size_t n)
{
	for (;;) {
		ssize_t r = gnutls_record_recv(s->gs, buf, n);

		if (r >= 0)
			return r;
		if (r == GNUTLS_E_AGAIN)
			return -EAGAIN;
		if (r == GNUTLS_E_PREMATURE_TERMINATION) {
			s->last_error = (int)r;
			return 0; /* closed without close_notify: plain end of stream */
		}
		if (gnutls_error_is_fatal((int)r))
			return fail(s, (int)r);
		/* interrupted, a warning alert, a renegotiation request we ignore */
	}
}

ssize_t tls_send(struct tls_session *s, const void *buf, size_t n)
{
	for (;;) {
		ssize_t r = gnutls_record_send(s->gs, buf, n);

		if (r >= 0)
			return r;
		if (r == GNUTLS_E_AGAIN)
			return -EAGAIN;
		if (r != GNUTLS_E_INTERRUPTED)
			return fail(s, (int)r);
	}
}

bool tls_wants_write(const struct tls_session *s)
{
	return gnutls_record_get_direction(s->gs) == 1;
}

size_t tls_pending(const struct tls_session *s)
{
	return gnutls_record_check_pending(s->gs);
}

int tls_bye(struct tls_session *s, int timeout_ms)
{
	struct deadline d;

	deadline_start(&d, timeout_ms);
	for (;;) {
		int r = gnutls_bye(s->gs, GNUTLS_SHUT_WR);

		if (r == GNUTLS_E_SUCCESS)
			return 0;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			return fail(s, r);
		if (r == GNUTLS_E_AGAIN) {
			int w = wait_transport(s, &d);
			if (w < 0)
				return w;
		}
	}
}

const char *tls_session_error(const struct tls_session *s)
{
	return s->last_error ? gnutls_strerror(s->last_error) : "";
}

/* --- the macros ---------------------------------------------------------- */

static const char *const verify_names[] = {
	[TLS_VERIFY_NONE] = "NONE",
	[TLS_VERIFY_OK] = "OK",
	[TLS_VERIFY_NO] = "NO",
	[TLS_VERIFY_NOT] = "NOT",
	[TLS_VERIFY_FAIL] = "FAIL",
	[TLS_VERIFY_CLEAR] = "CLEAR",
	[TLS_VERIFY_DANE_PASS] = "DANE_PASS",
	[TLS_VERIFY_DANE_FAIL] = "DANE_FAIL",
	[TLS_VERIFY_DANE_NOTLS] = "DANE_NOTLS",
	[TLS_VERIFY_DANE_TEMP] = "DANE_TEMP",
	[TLS_VERIFY_TEMP] = "TEMP",
	[TLS_VERIFY_PROTOCOL] = "PROTOCOL",
	[TLS_VERIFY_SOFTWARE] = "SOFTWARE",
};

const char *tls_verify_name(enum tls_verify v)
{
	if ((unsigned)v < sizeof(verify_names) / sizeof(verify_names[0]))
		return verify_names[v];
	return "SOFTWARE";
}

void tls_info_init(struct tls_info *info)
{
	memset(info, 0, sizeof(*info));
	info->verify = TLS_VERIFY_NONE;
}

void tls_info_free(struct tls_info *info)
{
	free(info->verify_detail);
	free(info->version);
	free(info->cipher);
	free(info->cert_subject);
	free(info->cert_issuer);
	free(info->cn_subject);
	free(info->cn_issuer);
	tls_info_init(info);
}

void tls_xtextify(struct strbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x21 || c > 0x7e || strchr("<>()\"+", c) != NULL) {
			sb_putc(out, '+');
			sb_putc(out, hex[c >> 4]);
			sb_putc(out, hex[c & 15]);
		} else {
			sb_putc(out, (char)c);
		}
	}
}

static char *xtext_dup(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	tls_xtextify(&sb, s, n);
	sb_puts(&sb, ""); /* an empty value is "", not NULL */
	return sb_detach(&sb);
}

static const char *version_name(gnutls_protocol_t v)
{
	switch (v) {
	case GNUTLS_SSL3:
		return "SSLv3";
	case GNUTLS_TLS1_0:
		return "TLSv1";
	case GNUTLS_TLS1_1:
		return "TLSv1.1";
	case GNUTLS_TLS1_2:
		return "TLSv1.2";
	case GNUTLS_TLS1_3:
		return "TLSv1.3";
	default: {
		const char *name = gnutls_protocol_get_name(v);
		return name ? name : "unknown";
	}
	}
}

/*
 * IANA cipher suite names (what GnuTLS reports) and OpenSSL's names for
 * them (what sendmail puts in ${cipher}).  TLS 1.3 suites have the same
 * name in both.
 */
static const struct {
	const char *iana, *openssl;
} cipher_names[] = {
	{"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
	{"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
	{"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
	{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
	{"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
	{"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
	{"TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "ECDHE-ECDSA-AES256-CCM"},
	{"TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM"},
	{"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384"},
	{"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384"},
	{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256"},
	{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256"},
	{"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
	{"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
	{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
	{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
	{"TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384"},
	{"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256"},
	{"TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305"},
	{"TLS_DHE_RSA_WITH_AES_256_CCM", "DHE-RSA-AES256-CCM"},
	{"TLS_DHE_RSA_WITH_AES_128_CCM", "DHE-RSA-AES128-CCM"},
	{"TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256"},
	{"TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256"},
	{"TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA"},
	{"TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA"},
	{"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
	{"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
	{"TLS_RSA_WITH_AES_256_CCM", "AES256-CCM"},
	{"TLS_RSA_WITH_AES_128_CCM", "AES128-CCM"},
	{"TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256"},
	{"TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256"},
	{"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
	{"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
	{"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA"},
	{"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA"},
};

static char *cipher_name(gnutls_session_t gs)
{
	const char *iana = gnutls_ciphersuite_get(gs);

	if (iana == NULL)
		return xstrdup("unknown");
	for (size_t i = 0; i < sizeof(cipher_names) / sizeof(cipher_names[0]); i++)
		if (strcmp(iana, cipher_names[i].iana) == 0)
			return xstrdup(cipher_names[i].openssl);
	return xstrdup(iana);
}

/* OpenSSL's short names for DN attributes, which sendmail's DNs show. */
static const struct {
	const char *oid, *name;
} dn_names[] = {
	{"2.5.4.3", "CN"},
	{"2.5.4.4", "SN"},
	{"2.5.4.5", "serialNumber"},
	{"2.5.4.6", "C"},
	{"2.5.4.7", "L"},
	{"2.5.4.8", "ST"},
	{"2.5.4.9", "street"},
	{"2.5.4.10", "O"},
	{"2.5.4.11", "OU"},
	{"2.5.4.12", "title"},
	{"2.5.4.15", "businessCategory"},
	{"2.5.4.17", "postalCode"},
	{"2.5.4.41", "name"},
	{"2.5.4.42", "GN"},
	{"2.5.4.43", "initials"},
	{"2.5.4.44", "generationQualifier"},
	{"2.5.4.46", "dnQualifier"},
	{"2.5.4.65", "pseudonym"},
	{"2.5.4.97", "organizationIdentifier"},
	{"1.2.840.113549.1.9.1", "emailAddress"},
	{"0.9.2342.19200300.100.1.1", "UID"},
	{"0.9.2342.19200300.100.1.25", "DC"},
	{"1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"},
	{"1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"},
	{"1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"},
};

static void put_attr_name(struct strbuf *sb, const gnutls_datum_t *oid)
{
	size_t len = oid->size;

	while (len > 0 && oid->data[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < sizeof(dn_names) / sizeof(dn_names[0]); i++) {
		if (strlen(dn_names[i].oid) == len &&
		    memcmp(dn_names[i].oid, oid->data, len) == 0) {
			sb_puts(sb, dn_names[i].name);
			return;
		}
	}
	sb_put(sb, (const char *)oid->data, len);
}

/* One-line DN as OpenSSL prints it: "/C=US/O=Org/CN=name", \xHH for bytes
 * outside printable ASCII. */
static void put_attr_value(struct strbuf *sb, const gnutls_datum_t *v)
{
	static const char hex[] = "0123456789ABCDEF";

	for (unsigned i = 0; i < v->size; i++) {
		unsigned char c = v->data[i];
		if (c < 0x20 || c > 0x7e) {
			sb_puts(sb, "\\x");
			sb_putc(sb, hex[c >> 4]);
			sb_putc(sb, hex[c & 15]);
		} else {
			sb_putc(sb, (char)c);
		}
	}
}

static bool is_cn(const gnutls_datum_t *oid)
{
	return oid->size >= 7 && memcmp(oid->data, "2.5.4.3", 7) == 0 &&
	       (oid->size == 7 || oid->data[7] == '\0');
}

/* Walk a DN in certificate order: the one-line form and the first CN. */
static void dn_text(gnutls_x509_dn_t dn, char **ret_line, char **ret_cn)
{
	struct strbuf line = STRBUF_INIT;

	*ret_cn = NULL;
	for (int irdn = 0;; irdn++) {
		gnutls_x509_ava_st ava;
		int iava;

		for (iava = 0; gnutls_x509_dn_get_rdn_ava(dn, irdn, iava, &ava) == 0; iava++) {
			sb_putc(&line, '/');
			put_attr_name(&line, &ava.oid);
			sb_putc(&line, '=');
			put_attr_value(&line, &ava.value);
			if (*ret_cn == NULL && is_cn(&ava.oid))
				*ret_cn = xtext_dup((const char *)ava.value.data, ava.value.size);
		}
		if (iava == 0)
			break;
	}
	*ret_line = xtext_dup(line.s ? line.s : "", line.len);
	sb_free(&line);
}

static void cert_names(gnutls_x509_crt_t crt, struct tls_info *info)
{
	gnutls_x509_dn_t dn;

	if (gnutls_x509_crt_get_subject(crt, &dn) == 0)
		dn_text(dn, &info->cert_subject, &info->cn_subject);
	if (gnutls_x509_crt_get_issuer(crt, &dn) == 0)
		dn_text(dn, &info->cert_issuer, &info->cn_issuer);
}

static void verify_peer(struct tls_session *s, struct tls_info *info)
{
	unsigned status = 0;
	int r = gnutls_certificate_verify_peers2(s->gs, &status);
	gnutls_datum_t text;

	if (r == 0 && status == 0) {
		info->verify = TLS_VERIFY_OK;
		return;
	}
	info->verify = TLS_VERIFY_FAIL;
	if (r < 0) {
		info->verify_detail = xstrdup(gnutls_strerror(r));
	} else if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text,
								0) == 0) {
		size_t n = strlen((const char *)text.data);
		while (n > 0 && text.data[n - 1] == ' ')
			n--;
		info->verify_detail = xstrndup((const char *)text.data, n);
		gnutls_free(text.data);
	}
}

static void peer_info(struct tls_session *s, struct tls_info *info)
{
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s->gs, &n);
	gnutls_x509_crt_t crt;

	if (certs == NULL || n == 0) {
		bool asked = s->role == TLS_ROLE_CLIENT || s->request_cert;
		info->verify = asked ? TLS_VERIFY_NO : TLS_VERIFY_NOT;
		return;
	}
	if (gnutls_x509_crt_init(&crt) == 0) {
		if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) == 0)
			cert_names(crt, info);
		gnutls_x509_crt_deinit(crt);
	}
	verify_peer(s, info);
}

const void *tls_peer_chain(const struct tls_session *s, unsigned *n)
{
	*n = 0;
	return gnutls_certificate_get_peers(s->gs, n);
}

void tls_session_info(struct tls_session *s, struct tls_info *info)
{
	tls_info_free(info);
	info->version = xstrdup(version_name(gnutls_protocol_get_version(s->gs)));
	info->cipher = cipher_name(s->gs);
	info->cipher_bits = (int)gnutls_cipher_get_key_size(gnutls_cipher_get(s->gs)) * 8;
	peer_info(s, info);
}

const char *tls_info_macro(const struct tls_info *info, const char *name, struct strbuf *scratch)
{
	if (strcmp(name, "verify") == 0)
		return tls_verify_name(info->verify);
	if (strcmp(name, "tls_version") == 0)
		return info->version;
	if (strcmp(name, "cipher") == 0)
		return info->cipher;
	if (strcmp(name, "cipher_bits") == 0) {
		if (info->version == NULL)
			return NULL;
		sb_reset(scratch);
		sb_printf(scratch, "%d", info->cipher_bits);
		return sb_str(scratch);
	}
	if (strcmp(name, "cert_subject") == 0)
		return info->cert_subject;
	if (strcmp(name, "cert_issuer") == 0)
		return info->cert_issuer;
	if (strcmp(name, "cn_subject") == 0)
		return info->cn_subject;
	if (strcmp(name, "cn_issuer") == 0)
		return info->cn_issuer;
	return NULL;
}
