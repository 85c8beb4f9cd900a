#!/bin/bash
# drive.sh CASE_FILE
#
# One `sendmail -bs` session case, run the same way in the sendmail 8.17
# oracle and in sdmail's sandbox: the case's first line is
# "#! CHAT-OPTIONS -- SENDMAIL-ARGS" (see chat.pl: -w waits before the
# greeting, as sendmail's greet_pause wants), the rest is the client's
# side.  Prints the transcript, the exit status, then the qf files the
# session left in the MTA and client queues.  $SM is the sendmail binary;
# $CHAT the path of chat.pl.
set -u
case_file=$1
header=$(head -1 "$case_file")
chat_opts=${header#\#! }
chat_opts=${chat_opts%% -- *}
sm_args=${header#* -- }
for q in /var/spool/mqueue /var/spool/mqueue-client; do rm -f "$q"/*; done
# a case may use policy.cf (Debian's sendmail.cf plus test rulesets)
[ -n "${POLICY_CF:-}" ] && cp "$POLICY_CF" /etc/mail/policy.cf
# shellcheck disable=SC2086 # options are words
tail -n +2 "$case_file" | perl "$CHAT" $chat_opts -- "$SM" $sm_args
echo "rc=$?"
for q in /var/spool/mqueue /var/spool/mqueue-client; do
	for f in $(ls -tr "$q" | grep '^qf'); do
		echo "--- $q/qf"
		cat "$q/$f"
	done
done
