# Timeout.queuewarn and Timeout.queuereturn per class (.urgent, .normal,
# .non-urgent) on entries planted five hours old, one per Priority: or
# Precedence: header, with plain.test deferring every recipient (450) and
# the sender's host taking the DSNs: which entry gets a delay warning or
# is returned, and the words of each DSN.  The class timeouts are cf
# lines after Debian's Timeout.queuewarn/queuereturn: given with -O they
# would not count, as the cf's general line, read later, overrides them
# in sendmail 8.17.1
sink 127.0.0.2 -r RCPT
sink 127.0.0.3 -f RCPT
sink 127.0.0.4
plant() { # ID PRIORITY HEADER... (to u@plain.test, or $TO)
	local id=$1 pri=$2 f
	shift 2
	f=/var/spool/mqueue/qf$id
	printf 'V8\nT%s\nK0\nN1\nP%s\nFs\n$_root@localhost\nSs@fallback.test\nRPFD:%s\n' \
		"$(($(date +%s) - 5 * 3600))" "$pri" "${TO:-u@plain.test}" >"$f"
	printf 'H??%s\n' "$@" "Message-Id: <$id@oracle.example.org>" >>"$f"
	echo . >>"$f"
	echo body >/var/spool/mqueue/df$id
	chmod 600 /var/spool/mqueue/?f$id
}
dsns() { # the DSNs the sender's host received, in the order of the
	# subjects they return (not of arrival): their subjects and words
	sleep 0.3
	cat "$W/dump"/* 2>/dev/null | awk '
		/^X-Client-Addr: / { if (blk != "") print key "\t" blk; blk = ""; key = "" }
		/^(X-Rcpt-Args|Subject|Auto-Submitted|Action|Status|Content-Type): / ||
		/past |after |until |could not|Cannot send|Message could/ { blk = blk "|" $0 }
		/^Subject: [a-z]/ { key = $2 }
		END { if (blk != "") print key "\t" blk }' |
		sort | cut -f2 | sed 's/^|/--- DSN|/' | tr '|' '\n'
	rm -f "$W/dump"/*
}
plant 6B70AAAA000001 30001 'Subject: plain'
plant 6B70AAAB000002 30002 'Subject: urgent' 'Priority: urgent'
plant 6B70AAAC000003 30003 'Subject: non-urgent' 'Priority: non-urgent'
plant 6B70AAAD000004 30004 'Subject: bulk' 'Precedence: bulk'
plant 6B70AAAE000005 30005 'Subject: first-class' 'Precedence: first-class'
plant 6B70AAAF000006 30006 'Subject: junk-urgent' 'Precedence: junk' 'Priority: urgent'
plant 6B70AAAG000007 30007 'Subject: special' 'Precedence: special-delivery'
# refused for good in the run (not a timeout)
TO=x@mx2.mx.test plant 6B70AAAH000008 30008 'Subject: refused'
printf 'O Timeout.queuewarn.%s\n' urgent=1h normal=3h non-urgent=6h |
	cat /etc/mail/sendmail.cf - >/etc/mail/warn.cf
run $SM -C /etc/mail/warn.cf -q
sleep 1 # sendmail runs the queue in a child without -v
dsns
ls /var/spool/mqueue | sed 's/^\([dq]f\)6B70AAA\(.\).*/\1 \2/' | sort -k2 | tr '\n' ' '
echo
# the same entries with the warnings sent, and one new that had none:
# returned after Timeout.queuereturn of which class
plant 6B70AAAI000009 30009 'Subject: unwarned'
printf 'O Timeout.queuereturn.%s\n' urgent=2h normal=4h non-urgent=6h |
	cat /etc/mail/warn.cf - >/etc/mail/return.cf
run $SM -C /etc/mail/return.cf -q
sleep 1
dsns
ls /var/spool/mqueue | sed 's/^\([dq]f\)6B70AAA\(.\).*/\1 \2/' | sort -k2 | tr '\n' ' '
echo
