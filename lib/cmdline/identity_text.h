/*
 * identity_text: the fixed blocks `sendmail -d0` prints about the build.
 * sdmail reproduces sendmail 8.17.1's text (Debian's build) so that
 * scripts which parse `-d0.1` output keep working; only the version
 * differs.  sendmail(8) documents which listed features sdmail lacks.
 */
#ifndef SDMAIL_SUBMIT_IDENTITY_TEXT_H
#define SDMAIL_SUBMIT_IDENTITY_TEXT_H

#define COMPILED_WITH_TEXT                                                  \
	" Compiled with: DNSMAP IPV6_FULL LDAPMAP LDAP_NETWORK_TIMEOUT\n"   \
	"\t\tLDAP_REFERRALS LOG MAP_REGEX MATCHGECOS MAXDAEMONS=64 MILTER\n" \
	"\t\tMIME7TO8 MIME8TO7 NAMED_BIND NETINET NETINET6 NETUNIX NEWDB=5.3\n" \
	"\t\tNIS NISPLUS PIPELINING SASLv2 SCANF SOCKETMAP STARTTLS\n"      \
	"\t\tTCPWRAPPERS TLS_EC TLS_VRFY_PER_CTX USERDB USE_LDAP_INIT XDEBUG\n"

#define OS_DEFINES_TEXT                                                     \
	"    OS Defines: ADDRCONFIG_IS_BROKEN HASFCHOWN HASFCHMOD HASFLOCK\n"    \
	"\t\tHASGETDTABLESIZE HAS_GETHOSTBYNAME2 HASGETUSERSHELL\n"          \
	"\t\tHASINITGROUPS HASLSTAT HASNICE HASRANDOM HASRRESVPORT\n"        \
	"\t\tHASSETREGID HASSETREUID HASSETRLIMIT HASSETSID HASSETVBUF\n"    \
	"\t\tHASURANDOMDEV HASSTRERROR HASUNAME HASUNSETENV HASWAITPID\n"    \
	"\t\tIDENTPROTO IP_SRCROUTE NEEDSGETIPNODE REQUIRES_DIR_FSYNC\n"     \
	"\t\tSFS_VFS USE_DOUBLE_FORK USE_SIGLONGJMP USESETEUID\n"            \
	"Kernel symbols:\t/boot/vmlinux\n"

#define LIBSM_DEFINES_TEXT                                                  \
	" libsm Defines: SM_CONF_LDAP_INITIALIZE SM_CONF_LDAP_MEMFREE\n"      \
	"\t\tSM_CONF_LONGLONG SM_CONF_MEMCHR SM_CONF_MSG SM_CONF_SEM\n"       \
	"\t\tSM_CONF_SIGSETJMP SM_CONF_SHM SM_CONF_SSIZE_T SM_CONF_STDBOOL_H\n" \
	"\t\tSM_CONF_STDDEF_H SM_CONF_SYS_CDEFS_H SM_CONF_UID_GID\n"          \
	"\t\tDO_NOT_USE_STRCPY SM_HEAP_CHECK SM_OS=sm_os_linux SM_VA_STD\n"

#define FFR_DEFINES_TEXT                                                    \
	"   FFR Defines: _FFR_BADRCPT_SHUTDOWN _FFR_MAIL_MACRO _FFR_MTA_STS\n"  \
	"\t\t_FFR_NO_PIPE _FFR_QUEUE_SCHED_DBG _FFR_REJECT_NUL_BYTE\n"        \
	"\t\t_FFR_RESET_MACRO_GLOBALS _FFR_RHS _FFR_SHM_STATUS\n"             \
	"\t\t_FFR_SKIP_DOMAINS _FFR_TLS_ALTNAMES\n"

#endif
