#!/usr/bin/python3
"""Writes cases/*.case: the inputs of the golden-file suite (see golden.py).

Each entry is (name, config, args, stdin).  Re-run after editing, then
capture the expected output with `golden.py capture` on a machine that has
the sendmail 8.17 oracle.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = []


def case(name, config, args, stdin, extra=""):
    CASES.append((name, config, args, stdin, extra))


def alias_case(name, args, aliases="basic", pre=(), program=None, stdin="", sort=False,
               config="debian"):
    extra = "#!aliases %s\n" % aliases + "".join("#!pre %s\n" % p for p in pre)
    if sort:
        extra += "#!sort\n"
    if program:
        extra += "#!program %s\n" % program
    case(name, config, args, stdin, extra)


DEB_RULESETS = ["canonify", "Canonify2", "parse", "Parse0", "Parse1", "final", "Recurse",
                "Local_localaddr", "localaddr", "MailerToTriple", "CanonLocal", "MasqHdr",
                "MasqEnv", "ParseLocal", "D", "A", "CanonAddr", "ParseRecipient",
                "check_relay", "Basic_check_relay", "check_mail", "Basic_check_mail",
                "check_rcpt", "Basic_check_rcpt", "Rcpt_ok", "Relay_ok", "SearchList",
                "trust_auth", "tls_client", "tls_server", "TLS_connection", "RelayTLS",
                "authinfo", "RateControl", "ConnControl", "greet_pause", "EnvFromL",
                "EnvToL", "HdrFromL", "HdrToL", "MasqSMTP", "PseudoToReal", "EnvFromSMTP",
                "EnvToSMTP", "HdrFromSMTP", "MasqRelay", "F", "E", "U", "srv_features",
                "clt_features", "try_tls", "tls_rcpt", "Delay_TLS_Clt", "FullAddr"]
for rs in DEB_RULESETS:
    case("deb-dump-" + rs, "debian", "-bt", "=S%s\n" % rs)
for rs in ["canonify", "parse", "Parse1", "final", "MasqHdr", "EnvToSMTP", "check_mail",
           "MailerToTriple", "Canonify2"]:
    case("msp-dump-" + rs, "debian", "-Ac -bt", "=S%s\n" % rs)

case("deb-banner", "debian", "-bt", "")
case("deb-help", "debian", "-bt", "?\n")
case("deb-mailers", "debian", "-bt", "=M\n")
case("msp-mailers", "debian", "-Ac -bt", "=M\n")
case("deb-macros", "debian", "-bt",
     "$j\n$w\n$m\n$k\n$Z\n$n\n$q\n$e\n$l\n$o\n${daemon_flags}\n${MTAHost}\n$M\n$S\n$R\n")
case("msp-macros", "debian", "-Ac -bt", "$j\n$Z\n${MTAHost}\n$M\n$n\n")
case("deb-classes", "debian", "-bt",
     "$=w\n$=m\n$=R\n$=E\n$=M\n$={Accept}\n$={Tls}\n$={TlsVerified}\n$={ResOk}\n"
     "$=P\n$=O\n$=.\n$=[\n$=t\n$={Src}\n$={VirtHost}\n$=N\n")
case("msp-classes", "debian", "-Ac -bt", "$=w\n$=R\n$=P\n$=O\n$={ResOk}\n")
case("deb-define", "debian", "-bt",
     ".Dq$w.$m\n$q\n.D{foo}a$?{bar}x$|y$.z\n${foo}\n.CXfoo Bar\n$=X\n.CXFOO\n$=X\n"
     ".D{a}x\n${a}\n$a\n$abc\n.Dx\n$x\n")
case("deb-errors", "debian", "-bt",
     "=S\n=Sfoo\n=S999\n=X\n=\n-x\n-\n$\n$=\n$={nosuch}\n/canon\n/mx\n/map\n/map foo\n"
     "/foo\n/\n/tryflags\n/try local\n.\n.X\n#comment\n3\n3,\n3,,0 a\n3 ,0 a\nfoo a\n"
     "999 a\n99 a\n3,0,nosuch a\n3,nosuch a,b\n")
case("deb-quit", "debian", "-bt", "3 a\n/quit\n3 b\n")

ADDRS = ["user@oracle.example.org", "user@oracle", "user@localhost", "user@[127.0.0.1]",
         "user", "foo@bar.com", "a.b@c.d.e", "<user@oracle.example.org>",
         "Full Name <user@oracle.example.org>", "user@bar.com (Comment)",
         "@relay.example:user@dest.example", "host!user", "a!b!c", "user%remote@oracle.example.org",
         "<>", "postmaster", "user+detail@oracle.example.org", "\"quoted user\"@oracle.example.org",
         "user@[IPv6:::1]", "user@example.org.", "|/bin/prog", "/var/mail/file",
         ":include:/etc/list", "group: a@b, c@d;", "user@", "@", "user@@x",
         "u@oracle.example.org.", "MAILER-DAEMON", "root@localhost.example.org"]
for i, a in enumerate(ADDRS):
    case("deb-30-%02d" % i, "debian", "-bt", "3,0 %s\n" % a)
for i, a in enumerate(ADDRS[:16]):
    case("msp-30-%02d" % i, "debian", "-Ac -bt", "3,0 %s\n" % a)
for i, a in enumerate(ADDRS[:12]):
    case("sdm-30-%02d" % i, "sdmail", "-bt", "3,0 %s\n" % a)
for i, a in enumerate(ADDRS[:20]):
    case("deb-parse-%02d" % i, "debian", "-bt", "/parse %s\n" % a)
for i, a in enumerate(ADDRS[:10]):
    case("msp-parse-%02d" % i, "debian", "-Ac -bt", "/parse %s\n" % a)

case("deb-crack", "debian", "-bt", "".join("/parse %s\n" % a for a in [
    "a@b", "Full Name <user@host>", "user@host (Full Name)", "a (c1) b (c2) c", "<>",
    ":include:/x", "\"Full Name\" <a@b>", "Joe Q. Public <a@b>", "O'Brien <a@b>",
    "group: a@b, c@d;", "a <b> c", "<a@b> trailing", "(only comment)", "a@b (unbalanced",
    "x <a@b", "Joe <a@b> (c)", "Joe.Public <a@b>", "  a@b  ", "Smith, John <a@b>",
    "\"a b\"@c", "a\\@b <c@d>", "<a@b>", "Full Name<a@b>"]))

CHECKS = [
    ("check_mail", "user@oracle.example.org"), ("check_mail", "<>"),
    ("check_mail", "reject@somewhere.example"), ("check_mail", "<user@bar.com>"),
    ("check_rcpt", "postmaster@oracle.example.org"), ("check_rcpt", "user@bar.com"),
    ("check_rcpt", "<root@localhost>"), ("check_relay", "localhost $| 127.0.0.1"),
    ("check_relay", "evil.example $| 192.0.2.7"), ("Basic_check_relay", "<>"),
    ("Local_check_mail", "a@b"), ("A", "<16.19.2.333><default><+Connect><passthru>"),
    ("D", "<some.ext.domain> <+ From> <D:some.ext.domain>"),
    ("SearchList", "<+ From> <F:user@dom> <U:user@> <D:dom>"),
    ("Translate,Local_check_relay", "bogus.host.domain $$| 123.45.67.89"),
    ("greet_pause", "localhost $| 127.0.0.1"), ("RateControl", "127.0.0.1"),
    ("ConnControl", "192.0.2.1"), ("trust_auth", "PLAIN"),
    ("tls_client", "$| MAIL"), ("srv_features", "127.0.0.1"),
]
for i, (rs, a) in enumerate(CHECKS):
    case("deb-check-%02d" % i, "debian", "-bt", "%s %s\n" % (rs, a))
    case("deb-check-t-%02d" % i, "debian", "-bt -d21.12", "%s %s\n" % (rs, a))
for i, (rs, a) in enumerate(CHECKS[:8]):
    case("deb-check-map-%02d" % i, "debian", "-bt -d60.5", "%s %s\n" % (rs, a))

for i, a in enumerate(["a@b", "user@oracle.example.org", "root", "<@a,@b:c@d>"]):
    case("deb-trace-%02d" % i, "debian", "-bt -d21.12", "3,0 %s\n" % a)
case("deb-trace-levels", "debian", "-bt", "".join("-d21.%d\n3 a@b\n" % l for l in (1, 2, 4, 10, 11, 12)))
case("deb-maptrace", "debian", "-bt", "-d60.1\n3 a@b.c\n-d60.5\n3 x@y\n")

TRIES = ["esmtp dusko", "esmtp user@oracle.example.org", "relay user@bar.com", "local root",
         "smtp a@b.c", "esmtp Full Name <u@oracle>", "nosuch x"]
for i, t in enumerate(TRIES):
    case("deb-try-%02d" % i, "debian", "-bt", "/try %s\n" % t)
    case("deb-try-hs-%02d" % i, "debian", "-bt", "/tryflags HS\n/try %s\n" % t)
    case("deb-try-es-%02d" % i, "debian", "-bt", "/tryflags es\n/try %s\n" % t)
case("msp-try", "debian", "-Ac -bt", "/tryflags HS\n/try relay dusko\n/tryflags ES\n/try relay dusko\n")

case("deb-maps", "debian", "-bt",
     "/map access Connect:127\n/map access reject@\n/map access Spam:postmaster@\n"
     "/map access nosuch\n/map host oracle\n/map host ORACLE.example.org\n/map host [127.0.0.1]\n"
     "/map host [::1]\n/map host [IPv6:::1]\n/map host foo.\n/map host oracle.example.org.\n"
     "/map dequote abc\n/map dequote \"a b\"\n/map dequote a\"b\"c\n/map dequote \"\"\n"
     "/map arith / 1\n/map macro {foo}\n/map nosuch x\n/map resolve oracle\n")
case("deb-canon-mx", "debian", "-bt",
     "/canon oracle\n/canon oracle.example.org\n/canon localhost\n/canon foo\n/canon foo.bar\n"
     "/canon 127.0.0.1\n/canon [127.0.0.1]\n/mx foo.bar\n/mx oracle.example.org\n")
case("deb-longhost", "debian", "-bt",
     "/map host aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeee.com\n"
     "/map host aaaaaaaaaabbbbbbbbbbcccccccccc.com\n/map host aaaaaaaaaabbbbbbbbbbcc.com\n")
case("deb-sender", "debian", "-bt", "/sender root\n/sender foo@bar\n/sender\n")
case("deb-expand-header", "debian", "-bt",
     "/expand $j and $w\n/expand\n/header Subject: hi\n/header From: a@b\n/header X-Foo: bar\n"
     "/header\n/header To: a\n/header Bcc: b\n/header Received: x\n/header Return-Path: <>\n"
     "/header Resent-To: a\n/header Content-Type: text/plain\n/gethostbyname oracle\n/dnslookup x\n")

TOKENS = ['x', 'a.b@c', '"a b"@c', 'a (comment) b', '<a', 'a>', '((a)', 'a\\@b', 'a\\ b',
          '"unterminated', 'a,b', 'a;b', '<<a>>', 'a!b%c^d/e[f]g+h', 'a:b', 'a\tb',
          'a=b*c&d#e', '@', '""', 'a"b"c', 'a  ', '', '<>', 'a@b (x) <c@d>', ')', 'a\\',
          'a=?b', 'a.', '.a', 'a..b', '"a,b"', '<a,b>', 'a\\"b', '\\@b', 'a\\<b', '"a\\"b"',
          '"a\\', 'a"b', 'x""y', 'a<b<c>d', ',a', 'a,', 'a,,b', 'a;b,c', 'a>,b', '<a>>',
          'a\\\tb', 'a(b,c)d']
case("tok-basic", "custom:tokens.cf", "-bt", "".join("a %s\n" % t for t in TOKENS))
case("tok-ctrl", "custom:tokens.cf", "-bt", "a a\x01b\na a\rb\na a\x7fb\na a\xc3\xa4b\n")
case("tok-8bit", "custom:tokens.cf", "-bt", "a x\x80y\na x\x9fy\na x\xa0y\na x\xffy\n")
case("tok-long", "custom:tokens.cf", "-bt",
     "a %s\na %s\na %s\na %s\n" % ("x" * 255, "x" * 256, "a " * 127, "a." * 128))
case("deb-8bit", "debian", "-bt", "3 \xfc\x81@x\n")

for name in ["ruleset-names", "classes-macros", "rewrite-limits", "option-errors",
             "option-errors2", "comments-dollars", "map-errors", "arith-dequote",
             "rline-errors", "ruleset-redefined", "mailer-equates", "other-lines",
             "milter-queue", "error-mailer", "trace-levels", "trace-rules", "bad-lines",
             "no-local-no-queue", "minimal"]:
    case("cf-%s-empty" % name, "custom:%s.cf" % name, "-bt", "")
case("cf-names-run", "custom:ruleset-names.cf", "-bt", "=Sfoo\n=Sbar\nfoo q\n")
case("cf-classes-run", "custom:classes-macros.cf", "-bt",
     "x FOO\nx bar\nx foo\n$A\n$B\n$D\n=Sy\ny a $$| b\ny $| b\n$=X\n")
case("cf-limits-run", "custom:rewrite-limits.cf", "-bt", "a x\nb x\nc x\ne x\nf x\ni \"a\"\n")
case("cf-recursion", "custom:rewrite-limits.cf", "-bt", "d x\n")
case("cf-comments-run", "custom:comments-dollars.cf", "-bt", "$X\n$Y\n$W\n$V\n$U|\n=Sa\n=Sb\na $\n")
case("cf-maperr-run", "custom:map-errors.cf", "-bt", "/map s root\n/map v foo\n/map u foo\n/map nosuch x\n/map s\n")
case("cf-arith-run", "custom:arith-dequote.cf", "-bt", "-d60.5\na x\n")
case("cf-rline-run", "custom:rline-errors.cf", "-bt", "=Sa\n=M\n")
case("cf-redef-run", "custom:ruleset-redefined.cf", "-bt", "=Sa\n")
case("cf-equates-run", "custom:mailer-equates.cf", "-bt", "=M\n")
case("cf-other-run", "custom:other-lines.cf", "-bt", "$=t\n")
case("cf-errmailer-run", "custom:error-mailer.cf", "-bt", "/parse a\n/parse nosuchmailer\n")
case("cf-errmailer-bv", "custom:error-mailer.cf", "-bv a b", "")
case("cf-milter-trace", "custom:milter-trace.cf", "-d64.5 -bt", "")
case("cf-milter-trace-quiet", "custom:milter-trace.cf", "-d64.4 -bt", "")
case("cf-trace-levels", "custom:trace-levels.cf", "-bt",
     "".join("-d21.%d\na x\n" % l for l in (1, 2, 4, 5, 10, 11)))
case("cf-trace-rules", "custom:trace-rules.cf", "-bt", "-d21.12\nx q\n")
case("cf-bad-bv", "custom:bad-lines.cf", "-bv root", "")
case("cf-noq-bv", "custom:no-local-no-queue.cf", "-bv root", "")

for lvl in ["0", "0.1", "0.4", "0.10", "0.11"]:
    case("deb-d%s" % lvl, "debian", "-d%s -bt" % lvl, "")
case("msp-d0.10", "debian", "-Ac -d0.10 -bt", "")
case("deb-d0.1-bv", "debian", "-d0.1 -bv root", "")

BV = ["root", "root nobody nosuchuser foo@bar.com", "postmaster", "a@[127.0.0.1]",
      "|/bin/x /tmp/f", "root,nobody root a+b nobody+x@oracle.example.org Root \"root\"",
      "root bin mail daemon", "root,bin mail", "mail,daemon,bin,root", "a,b,c",
      "user@oracle.example.org", "reject@somewhere.example"]
for i, a in enumerate(BV):
    case("deb-bv-%02d" % i, "debian", "-bv " + a, "")
case("deb-bv-none", "debian", "-bv", "")
case("deb-bv-v", "debian", "-bv -v foo@bar.com root", "")
case("msp-bv", "debian", "-Ac -bv root foo@bar.com", "")
case("sdm-bv", "sdmail", "-bv root nobody nosuchuser foo@bar.com", "")
case("cli-stop-at-nonoption", "debian", "-bv root -C/etc/mail/sendmail.cf", "")
case("cli-bad-mode", "debian", "-bz", "")
case("cli-illegal", "debian", "-x", "")
case("cli-bt-Q", "debian", "-bt -Q", "")
case("cli-no-cf", "debian", "-C/nonexistent.cf -bt", "")

# sdmail's own configuration and Debian's submit.cf, more broadly
for rs in ["canonify", "Canonify2", "parse", "Parse1", "final", "check_mail", "check_rcpt",
           "check_relay", "Mailertable", "EnvToSMTP", "MasqHdr", "localaddr"]:
    case("sdm-dump-" + rs, "sdmail", "-bt", "=S%s\n" % rs)
case("sdm-mailers", "sdmail", "-bt", "=M\n")
case("sdm-classes", "sdmail", "-bt", "$=w\n$=m\n$=R\n$=P\n$={VirtHost}\n$=G\n$=M\n")
for i, (rs, a) in enumerate(CHECKS[:10]):
    case("sdm-check-%02d" % i, "sdmail", "-bt -d21.12", "%s %s\n" % (rs, a))
    case("msp-check-%02d" % i, "debian", "-Ac -bt", "%s %s\n" % (rs, a))
for i, a in enumerate(["a@b", "user@oracle.example.org", "root", "Full <u@oracle>"]):
    case("sdm-trace-%02d" % i, "sdmail", "-bt -d21.12", "3,0 %s\n" % a)
    case("msp-trace-%02d" % i, "debian", "-Ac -bt -d21.12", "3,0 %s\n" % a)
    case("sdm-maptrace-%02d" % i, "sdmail", "-bt -d60.5", "3,0 %s\n" % a)
for i, t in enumerate(TRIES[:5]):
    case("sdm-try-%02d" % i, "sdmail", "-bt", "/tryflags HS\n/try %s\n/tryflags ER\n/try %s\n" % (t, t))
case("sdm-d0.10", "sdmail", "-d0.10 -bt", "")
case("sdm-d0.15", "sdmail", "-d0.15 -bt", "")
case("msp-d0.15", "debian", "-Ac -d0.15 -bt", "")
case("deb-d0.15", "debian", "-d0.15 -bt", "")
case("sdm-maps", "sdmail", "-bt", "/map access Connect:127\n/map mailertable example.org\n"
     "/map virtuser user@example.org\n/map generics user\n/map host oracle\n")
case("sdm-bv-more", "sdmail", "-bv user@oracle.example.org nobody+x@oracle.example.org root,bin", "")

case("cf-daemon-options", "custom:daemon-options.cf", "-bt", "")

# aliases (aliases/NAME compiled by newaliases before the command)
WW = "chmod 666 /etc/mail/ww.inc"
FWD = "printf 'daemon, \\\\root\\n' > /root/.forward && chmod 644 /root/.forward"
alias_case("ali-newaliases", "-bi")
alias_case("ali-newaliases-bad", "-bi", aliases="bad")
NOBODY = "--reuid=65534 --regid=65534 --clear-groups -- "
alias_case("ali-newaliases-nobody", NOBODY + "newaliases", program="setpriv")
alias_case("ali-bi-nobody", NOBODY + "sendmail -bi", program="setpriv")
alias_case("ali-bv-all", "-bv postmaster abuse staff list prog file remote loop1 dup nouser")
alias_case("ali-bv-more", "-bv a2 self self2 b1 c1,a1 a1,c1 Quoted MAILER-DAEMON owner-staff staff-request")
alias_case("ali-bv-case", "-bv POSTMASTER Abuse mailer-daemon \\postmaster")
alias_case("ali-bv-include", "-bv list missing")
alias_case("ali-bv-ww", "-bv ww", pre=[WW])
alias_case("ali-bv-empty", "-bv empty")
alias_case("ali-bv-direct", "-bv :include:/etc/mail/list.inc")
alias_case("ali-bv-deep", "-bv deep1")
alias_case("ali-bv-user", "-bv user root@oracle.example.org postmaster@localhost")
alias_case("ali-v-basic", "-v -bv postmaster list loop1 dup nouser")
alias_case("ali-v-include", "-v -bv missing empty")
alias_case("ali-v-ww", "-v -bv ww", pre=[WW])
alias_case("ali-v-order", "-v -bv a1,c1 c1,a1 a2 b1")
alias_case("ali-forward", "-bv root list", pre=[FWD])
alias_case("ali-v-forward", "-v -bv root", pre=[FWD])
alias_case("ali-forward-ww", "-bv root", pre=[FWD, "chmod 666 /root/.forward"])
# sendmail's praliases cannot read the database newaliases made (0640, smmta)
RD = "chmod 644 /etc/mail/aliases.db"
alias_case("ali-praliases", "", program="praliases", pre=[RD], sort=True)
alias_case("ali-praliases-keys", "postmaster nosuch abuse MAILER-DAEMON @", program="praliases", pre=[RD])
alias_case("ali-praliases-f", "-f /etc/mail/aliases", program="praliases", pre=[RD], sort=True)
alias_case("ali-praliases-fkeys", "-f /etc/mail/aliases user a1", program="praliases", pre=[RD])
alias_case("ali-praliases-C", "-C /etc/mail/sendmail.cf staff", program="praliases", pre=[RD])
alias_case("ali-praliases-bad", "", aliases="bad", program="praliases", pre=[RD], sort=True)

# FEATURE(virtusertable), FEATURE(genericstable), MASQUERADE_AS and friends
# (cf/virt.cf is what sendmail-cf's m4 makes of cf/virt.mc)
# readable by all: the oracle's maps are 0640 smmta, and sendmail gives up
# root for a -C configuration (virt.cf trusts smmta, as Debian's does)
VIRT = ["makemap hash /etc/mail/virtusertable < /etc/mail/virtusertable",
        "makemap hash /etc/mail/genericstable < /etc/mail/genericstable",
        "chmod 644 /etc/mail/virtusertable.db /etc/mail/genericstable.db /etc/mail/aliases.db"]
VADDRS = ["info@virt.example", "joe@virt.example", "any@virt.example", "error@virt.example",
          "plus+x@virt.example", "user@oracle.example.org", "joe@oracle.example.org",
          "someone@sub.example.org"]
alias_case("virt-bt", "-bt", aliases="virt", pre=VIRT, config="custom:virt.cf",
           stdin="".join("3,0 %s\n" % a for a in VADDRS))
alias_case("virt-bv", "-bv " + " ".join(VADDRS[:6]), aliases="virt", pre=VIRT,
           config="custom:virt.cf")
alias_case("virt-v-bv", "-v -bv info@virt.example plus+x@virt.example", aliases="virt",
           pre=VIRT, config="custom:virt.cf")
alias_case("virt-maps", "-bt", aliases="virt", pre=VIRT, config="custom:virt.cf",
           stdin="/map virtuser info@virt.example\n/map virtuser @virt.example\n"
                 "/map generics joe\n/map generics root@oracle.example.org\n$=G\n$=M\n"
                 "$={VirtHost}\n$M\n")
alias_case("virt-try", "-bt", aliases="virt", pre=VIRT, config="custom:virt.cf",
           stdin="".join("/tryflags %s\n/try esmtp %s\n" % (f, a)
                         for f in ("HS", "ES", "HR", "ER")
                         for a in ("joe", "root", "user", "joe@oracle.example.org",
                                   "someone@sub.example.org", "x@oracle")))

for name, config, args, stdin, extra in CASES:
    path = os.path.join(HERE, "cases", name + ".case")
    with open(path, "wb") as f:
        f.write(("#!config %s\n#!args %s\n%s" % (config, args, extra)).encode())
        f.write(stdin.encode("latin-1"))
with open(os.path.join(HERE, "cases.list"), "w") as f:
    for name, _, _, _, _ in CASES:
        f.write(name + "\n")
print(len(CASES), "cases")
