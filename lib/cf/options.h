/*
 * options: the typed table of every option sendmail 8.17 knows (`O Name=value`
 * lines, old one-letter `Ox` forms, -o/-O on the command line).  Parsing
 * follows sendmail: unique abbreviations are accepted with a warning,
 * unknown names give sendmail's error text, and values are converted by
 * type (boolean, number, time, file mode, string) or by a special parser
 * (DeliveryMode, PrivacyOptions, Timeout.*, DontBlameSendmail, ...).  Options
 * that later parts of sdmail act on are stored here already.
 */
#ifndef SDMAIL_CF_OPTIONS_H
#define SDMAIL_CF_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct cf;

enum option_type {
	OT_BOOL,    /* atobool; `O Name` alone means true */
	OT_INT,     /* atoi */
	OT_LONG,    /* atol */
	OT_STR,     /* string (macros kept in internal encoding) */
	OT_TIME,    /* convtime, unit suffixes s m h d w, default minutes */
	OT_TIME_S,  /* convtime, default seconds */
	OT_TIME_H,  /* convtime, default hours */
	OT_TIME_D,  /* convtime, default days */
	OT_MODE,    /* octal file mode */
	OT_SPECIAL, /* parsed by its own function */
};

/* X(id, long name, short letter or 0, type, safe on command line) */
#define SDMAIL_OPTIONS(X)                                                         \
	X(SevenBitInput, "SevenBitInput", '7', OT_BOOL, true)                     \
	X(EightBitMode, "EightBitMode", '8', OT_SPECIAL, true)                    \
	X(AliasFile, "AliasFile", 'A', OT_SPECIAL, false)                         \
	X(AliasWait, "AliasWait", 'a', OT_TIME, false)                            \
	X(BlankSub, "BlankSub", 'B', OT_SPECIAL, false)                           \
	X(MinFreeBlocks, "MinFreeBlocks", 'b', OT_SPECIAL, true)                  \
	X(CheckpointInterval, "CheckpointInterval", 'C', OT_INT, true)            \
	X(HoldExpensive, "HoldExpensive", 'c', OT_BOOL, false)                    \
	X(DeliveryMode, "DeliveryMode", 'd', OT_SPECIAL, true)                    \
	X(ErrorHeader, "ErrorHeader", 'E', OT_STR, false)                         \
	X(ErrorMode, "ErrorMode", 'e', OT_SPECIAL, true)                          \
	X(TempFileMode, "TempFileMode", 'F', OT_MODE, false)                      \
	X(SaveFromLine, "SaveFromLine", 'f', OT_BOOL, false)                      \
	X(MatchGECOS, "MatchGECOS", 'G', OT_BOOL, false)                          \
	X(HelpFile, "HelpFile", 'H', OT_STR, false)                               \
	X(MaxHopCount, "MaxHopCount", 'h', OT_INT, false)                         \
	X(ResolverOptions, "ResolverOptions", 'I', OT_SPECIAL, false)             \
	X(IgnoreDots, "IgnoreDots", 'i', OT_BOOL, true)                           \
	X(ForwardPath, "ForwardPath", 'J', OT_STR, false)                         \
	X(SendMimeErrors, "SendMimeErrors", 'j', OT_BOOL, true)                   \
	X(ConnectionCacheSize, "ConnectionCacheSize", 'k', OT_INT, false)         \
	X(ConnectionCacheTimeout, "ConnectionCacheTimeout", 'K', OT_TIME, false)  \
	X(UseErrorsTo, "UseErrorsTo", 'l', OT_BOOL, false)                        \
	X(LogLevel, "LogLevel", 'L', OT_INT, true)                                \
	X(MeToo, "MeToo", 'm', OT_BOOL, true)                                     \
	X(CheckAliases, "CheckAliases", 'n', OT_BOOL, false)                      \
	X(OldStyleHeaders, "OldStyleHeaders", 'o', OT_BOOL, true)                 \
	X(DaemonPortOptions, "DaemonPortOptions", 'O', OT_SPECIAL, false)         \
	X(PrivacyOptions, "PrivacyOptions", 'p', OT_SPECIAL, true)                \
	X(PostmasterCopy, "PostmasterCopy", 'P', OT_STR, false)                   \
	X(QueueFactor, "QueueFactor", 'q', OT_LONG, false)                        \
	X(QueueDirectory, "QueueDirectory", 'Q', OT_STR, false)                   \
	X(DontPruneRoutes, "DontPruneRoutes", 'R', OT_BOOL, false)                \
	X(StatusFile, "StatusFile", 'S', OT_STR, false)                           \
	X(SuperSafe, "SuperSafe", 's', OT_SPECIAL, true)                          \
	X(QueueTimeout, "QueueTimeout", 'T', OT_SPECIAL, false)                   \
	X(TimeZoneSpec, "TimeZoneSpec", 't', OT_STR, false)                       \
	X(UserDatabaseSpec, "UserDatabaseSpec", 'U', OT_STR, false)               \
	X(DefaultUser, "DefaultUser", 'u', OT_SPECIAL, false)                     \
	X(FallbackMXhost, "FallbackMXhost", 'V', OT_STR, false)                   \
	X(Verbose, "Verbose", 'v', OT_BOOL, true)                                 \
	X(TryNullMXList, "TryNullMXList", 'w', OT_BOOL, false)                    \
	X(QueueLA, "QueueLA", 'x', OT_INT, false)                                 \
	X(RefuseLA, "RefuseLA", 'X', OT_INT, false)                               \
	X(RecipientFactor, "RecipientFactor", 'y', OT_LONG, false)                \
	X(ForkEachJob, "ForkEachJob", 'Y', OT_BOOL, false)                        \
	X(ClassFactor, "ClassFactor", 'z', OT_LONG, false)                        \
	X(RetryFactor, "RetryFactor", 'Z', OT_LONG, false)                        \
	X(QueueSortOrder, "QueueSortOrder", 0, OT_SPECIAL, true)                  \
	X(HostsFile, "HostsFile", 0, OT_STR, false)                               \
	X(MinQueueAge, "MinQueueAge", 0, OT_TIME, true)                           \
	X(DefaultCharSet, "DefaultCharSet", 0, OT_STR, true)                      \
	X(ServiceSwitchFile, "ServiceSwitchFile", 0, OT_STR, false)               \
	X(DialDelay, "DialDelay", 0, OT_TIME_S, true)                             \
	X(NoRecipientAction, "NoRecipientAction", 0, OT_SPECIAL, true)            \
	X(SafeFileEnvironment, "SafeFileEnvironment", 0, OT_STR, false)           \
	X(MaxMessageSize, "MaxMessageSize", 0, OT_LONG, false)                    \
	X(ColonOkInAddr, "ColonOkInAddr", 0, OT_BOOL, true)                       \
	X(MaxQueueRunSize, "MaxQueueRunSize", 0, OT_INT, true)                    \
	X(MaxDaemonChildren, "MaxDaemonChildren", 0, OT_INT, false)               \
	X(DontExpandCnames, "DontExpandCnames", 0, OT_BOOL, false)                \
	X(MustQuoteChars, "MustQuoteChars", 0, OT_SPECIAL, false)                 \
	X(SmtpGreetingMessage, "SmtpGreetingMessage", 0, OT_STR, false)           \
	X(UnixFromLine, "UnixFromLine", 0, OT_STR, false)                         \
	X(OperatorChars, "OperatorChars", 0, OT_SPECIAL, false)                   \
	X(DontInitGroups, "DontInitGroups", 0, OT_BOOL, false)                    \
	X(SingleLineFromHeader, "SingleLineFromHeader", 0, OT_BOOL, true)         \
	X(AllowBogusHELO, "AllowBogusHELO", 0, OT_BOOL, true)                     \
	X(ConnectionRateThrottle, "ConnectionRateThrottle", 0, OT_INT, false)     \
	X(UnsafeGroupWrites, "UnsafeGroupWrites", 0, OT_BOOL, false)              \
	X(DoubleBounceAddress, "DoubleBounceAddress", 0, OT_STR, false)           \
	X(HostStatusDirectory, "HostStatusDirectory", 0, OT_STR, false)           \
	X(SingleThreadDelivery, "SingleThreadDelivery", 0, OT_BOOL, false)        \
	X(RunAsUser, "RunAsUser", 0, OT_SPECIAL, false)                           \
	X(RrtImpliesDsn, "RrtImpliesDsn", 0, OT_BOOL, false)                      \
	X(PidFile, "PidFile", 0, OT_STR, false)                                   \
	X(DontBlameSendmail, "DontBlameSendmail", 0, OT_SPECIAL, false)           \
	X(DontProbeInterfaces, "DontProbeInterfaces", 0, OT_SPECIAL, false)       \
	X(MaxRecipientsPerMessage, "MaxRecipientsPerMessage", 0, OT_INT, false)   \
	X(DeadLetterDrop, "DeadLetterDrop", 0, OT_STR, false)                     \
	X(MaxAliasRecursion, "MaxAliasRecursion", 0, OT_INT, false)               \
	X(ConnectOnlyTo, "ConnectOnlyTo", 0, OT_SPECIAL, false)                   \
	X(TrustedUser, "TrustedUser", 0, OT_SPECIAL, false)                       \
	X(MaxMimeHeaderLength, "MaxMimeHeaderLength", 0, OT_SPECIAL, false)       \
	X(ControlSocketName, "ControlSocketName", 0, OT_STR, false)               \
	X(MaxHeadersLength, "MaxHeadersLength", 0, OT_SPECIAL, false)             \
	X(ProcessTitlePrefix, "ProcessTitlePrefix", 0, OT_STR, false)             \
	X(DefaultAuthInfo, "DefaultAuthInfo", 0, OT_STR, false)                   \
	X(AuthMechanisms, "AuthMechanisms", 0, OT_STR, false)                     \
	X(ClientPortOptions, "ClientPortOptions", 0, OT_SPECIAL, false)           \
	X(DataFileBufferSize, "DataFileBufferSize", 0, OT_INT, false)             \
	X(XscriptFileBufferSize, "XscriptFileBufferSize", 0, OT_INT, false)       \
	X(ServerCertFile, "ServerCertFile", 0, OT_STR, false)                     \
	X(ServerKeyFile, "ServerKeyFile", 0, OT_STR, false)                       \
	X(ClientCertFile, "ClientCertFile", 0, OT_STR, false)                     \
	X(ClientKeyFile, "ClientKeyFile", 0, OT_STR, false)                       \
	X(CACertFile, "CACertFile", 0, OT_STR, false)                             \
	X(CACertPath, "CACertPath", 0, OT_STR, false)                             \
	X(DHParameters, "DHParameters", 0, OT_STR, false)                         \
	X(InputMailFilters, "InputMailFilters", 0, OT_STR, false)                 \
	X(AuthOptions, "AuthOptions", 0, OT_SPECIAL, false)                       \
	X(QueueFileMode, "QueueFileMode", 0, OT_MODE, false)                      \
	X(CertFingerprintAlgorithm, "CertFingerprintAlgorithm", 0, OT_STR, false) \
	X(CipherList, "CipherList", 0, OT_STR, false)                             \
	X(RandFile, "RandFile", 0, OT_STR, false)                                 \
	X(TLSSrvOptions, "TLSSrvOptions", 0, OT_SPECIAL, false)                   \
	X(BadRcptThrottle, "BadRcptThrottle", 0, OT_INT, false)                   \
	X(DeliverByMin, "DeliverByMin", 0, OT_TIME_S, false)                      \
	X(MaxQueueChildren, "MaxQueueChildren", 0, OT_INT, false)                 \
	X(MaxRunnersPerQueue, "MaxRunnersPerQueue", 0, OT_INT, false)             \
	X(DirectSubmissionModifiers, "DirectSubmissionModifiers", 0, OT_STR, false) \
	X(NiceQueueRun, "NiceQueueRun", 0, OT_INT, false)                         \
	X(SharedMemoryKey, "SharedMemoryKey", 0, OT_LONG, false)                  \
	X(AuthMaxBits, "AuthMaxBits", 0, OT_INT, false)                           \
	X(MailboxDatabase, "MailboxDatabase", 0, OT_STR, false)                   \
	X(UseMSP, "UseMSP", 0, OT_BOOL, false)                                    \
	X(DelayLA, "DelayLA", 0, OT_INT, false)                                   \
	X(FastSplit, "FastSplit", 0, OT_INT, false)                               \
	X(SoftBounce, "SoftBounce", 0, OT_BOOL, false)                            \
	X(SharedMemoryKeyFile, "SharedMemoryKeyFile", 0, OT_STR, false)           \
	X(RejectLogInterval, "RejectLogInterval", 0, OT_TIME, false)              \
	X(RequiresDirfsync, "RequiresDirfsync", 0, OT_BOOL, false)                \
	X(ConnectionRateWindowSize, "ConnectionRateWindowSize", 0, OT_TIME_S, false) \
	X(CRLFile, "CRLFile", 0, OT_STR, false)                                   \
	X(FallbackSmartHost, "FallbackSmartHost", 0, OT_STR, false)               \
	X(AuthRealm, "AuthRealm", 0, OT_STR, false)                               \
	X(CRLPath, "CRLPath", 0, OT_STR, false)                                   \
	X(HeloName, "HeloName", 0, OT_STR, false)                                 \
	X(MaxNOOPCommands, "MaxNOOPCommands", 0, OT_INT, false)                   \
	X(BadRcptShutdown, "BadRcptShutdown", 0, OT_INT, false)                   \
	X(BadRcptShutdownGood, "BadRcptShutdownGood", 0, OT_INT, false)           \
	X(ServerSSLOptions, "ServerSSLOptions", 0, OT_STR, false)                 \
	X(ClientSSLOptions, "ClientSSLOptions", 0, OT_STR, false)                 \
	X(MaxQueueAge, "MaxQueueAge", 0, OT_TIME, false)                          \
	X(RejectNUL, "RejectNUL", 0, OT_BOOL, false)                              \
	X(UseCompressedIPv6Addresses, "UseCompressedIPv6Addresses", 0, OT_BOOL, false) \
	X(SSLEngine, "SSLEngine", 0, OT_STR, false)                               \
	X(SSLEnginePath, "SSLEnginePath", 0, OT_STR, false)                       \
	X(TLSFallbacktoClear, "TLSFallbacktoClear", 0, OT_BOOL, false)            \
	X(DANE, "DANE", 0, OT_BOOL, false)                                        \
	X(SetCertAltnames, "SetCertAltnames", 0, OT_BOOL, false)                  \
	X(SmtpUTF8, "SmtpUTF8", 0, OT_SPECIAL, false)                             \
	X(StrictTransportSecurity, "StrictTransportSecurity", 0, OT_BOOL, false)  \
	X(CipherSuites, "CipherSuites", 0, OT_STR, false)

enum option_id {
#define SDMAIL_OPT_ENUM(id, name, letter, type, safe) OPT_##id,
	SDMAIL_OPTIONS(SDMAIL_OPT_ENUM)
#undef SDMAIL_OPT_ENUM
	OPT__COUNT,
	/* not in the option table but set through it */
	OPT_Timeout = OPT__COUNT, /* Timeout.* and the old `r` letter */
	OPT_Milter,               /* Milter.* */
	OPT_MacroDefine,          /* the `M` letter */
	OPT_UNKNOWN = -1,
};

enum timeout_id {
	TO_initial, TO_connect, TO_aconnect, TO_iconnect, TO_helo, TO_mail, TO_rcpt,
	TO_datainit, TO_datablock, TO_datafinal, TO_rset, TO_quit, TO_misc,
	TO_command, TO_ident, TO_fileopen, TO_control, TO_lhlo, TO_auth, TO_starttls,
	TO_queuereturn_urgent, TO_queuereturn_normal, TO_queuereturn_nonurgent,
	TO_queuereturn_dsn,
	TO_queuewarn_urgent, TO_queuewarn_normal, TO_queuewarn_nonurgent, TO_queuewarn_dsn,
	TO_hoststatus, TO_resolver_retrans_first, TO_resolver_retrans_normal,
	TO_resolver_retry_first, TO_resolver_retry_normal,
	TO__COUNT
};

/* PrivacyOptions bits */
enum {
	PRIV_PUBLIC = 0,
	PRIV_NEEDMAILHELO = 1 << 0,
	PRIV_NEEDEXPNHELO = 1 << 1,
	PRIV_NEEDVRFYHELO = 1 << 2,
	PRIV_NOEXPN = 1 << 3,
	PRIV_NOVRFY = 1 << 4,
	PRIV_RESTRICTEXPAND = 1 << 5,
	PRIV_RESTRICTMAILQ = 1 << 6,
	PRIV_RESTRICTQRUN = 1 << 7,
	PRIV_NOETRN = 1 << 8,
	PRIV_NOVERB = 1 << 9,
	PRIV_AUTHWARNINGS = 1 << 10,
	PRIV_NORECEIPTS = 1 << 11,
	PRIV_NOBODYRETN = 1 << 12,
	PRIV_NOACTUALRECIPIENT = 1 << 13,
	/* all but restrictmailq, restrictqrun, restrictexpand, noetrn,
	 * noreceipts, nobodyreturn and noactualrecipient (sendmail's op.me;
	 * 8.17.1 offers ETRN and DSN with goaway) */
	PRIV_GOAWAY = PRIV_NEEDMAILHELO | PRIV_NEEDEXPNHELO | PRIV_NEEDVRFYHELO | PRIV_NOEXPN |
		      PRIV_NOVRFY | PRIV_NOVERB | PRIV_AUTHWARNINGS,
};

struct daemon_port_options {
	char *spec;  /* the raw text, e.g. "Family=inet, Name=MTA-v4, Port=smtp, Addr=127.0.0.1" */
};

/* A Timeout.NAME line of the cf: which name (its place in the table), what value. */
struct timeout_line {
	int alias;
	long long secs;
};

struct option_values {
	bool set[OPT__COUNT];
	long long num[OPT__COUNT];
	char *str[OPT__COUNT];
	long long timeout[TO__COUNT]; /* seconds */
	bool timeout_set[TO__COUNT];
	/* sendmail reads -O Timeout.NAME before the cf and then skips only
	 * the cf lines of that very NAME: a cf's Timeout.queuewarn still
	 * overrides -O Timeout.queuewarn.urgent.  The cf's Timeout lines in
	 * order, and the names the command line gave (bit per name). */
	/* ResolverOptions: the resolver flags (RES_*) set and cleared, and
	 * sendmail's own words (HasWildcardMX, WorkAroundBrokenAAAA) */
	unsigned long resolver_set, resolver_clear;
	bool has_wildcard_mx, broken_aaaa;
	struct timeout_line *timeout_lines;
	int ntimeout_lines;
	unsigned long long timeout_sticky;
	struct daemon_port_options *daemons;
	int ndaemons;
	struct daemon_port_options *client_ports;
	int nclient_ports;
	unsigned long long dont_blame; /* DontBlameSendmail bit set */
	char *milter_settings;         /* "name=value\n" lines of Milter.* */
	bool resolver_trustad;         /* ResolverOptions +TrustAD (RES_TRUSTAD) */
};

/* Letter → option id, or OPT_UNKNOWN. */
enum option_id option_by_letter(int letter);
const char *option_name(enum option_id id);
enum option_type option_type(enum option_id id);
bool option_is_safe(enum option_id id);
/* Is a command-line -o/-O body (option_set_line's form) on sendmail's
 * list of options an untrusted caller may set without losing privileges? */
bool option_line_is_safe(const char *body);

/*
 * Set an option from an `O` line body (everything after the O) or from a
 * command-line -o/-O argument (`long_form` for -O).  Prints sendmail's
 * messages; may set cf->exit_status and return a fatal sysexits code
 * (EX_USAGE) for the errors on which sendmail stops.  `safe_only`: the
 * option came from a non-privileged command line.
 */
int option_set_line(struct cf *cf, const char *body, bool from_command_line);

/*
 * The value an option line of a sendmail.cf sets for the option `name`
 * (short form `letter`): "O Name=value" or "Lvalue"; NULL for any other
 * line.  For the tools that read one option without loading the cf.
 */
const char *option_line_value(const char *line, char letter, const char *name);

/*
 * Each line of the sendmail.cf at `path` to `fn`, its newline, CR and
 * trailing blanks removed, without parsing the file (for those tools).
 * 0, or -errno when it cannot be opened.
 */
int option_each_cf_line(const char *path, void (*fn)(void *arg, char *line), void *arg);

/*
 * Parse a sendmail time value ("2m", "1h30m", "5d"); `unit` is the default.
 * With cf given, a bad unit is reported like sendmail ("Invalid time unit").
 */
long long option_convtime(struct cf *cf, const char *p, char unit);

/* sendmail's atobool: empty or t/T/y/Y/1... is true */
bool option_atobool(const char *s);

/* Is a DontBlameSendmail flag (lower-case name, e.g. "mapinunsafedirpath") set? */
bool option_dont_blame(const struct cf *cf, const char *flag);

/* Apply built-in defaults (what sendmail has before any O line). */
void options_defaults(struct cf *cf);
void options_free(struct option_values *ov);

/* Timeout name → id list (a name like "queuereturn" sets several). */
const char *timeout_name(enum timeout_id id);

#endif
