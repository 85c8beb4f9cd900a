# -t: To, Cc and Bcc are the recipients; Bcc is not sent on
sink
printf 'To: Fred <root@oracle.example.org>, <nobody>\nCc: zzz@[10.0.0.9]\nBcc: secret@[10.0.0.8]\nSubject: t\n\nbody\n' |
	run $SM -v -odi -t
received
printf 'To: root\nSubject: t plus\n\nbody\n' | run $SM -odi -t nobody
received
printf 'Resent-To: nobody\nTo: root\nSubject: resent\n\nbody\n' | run $SM -odi -t
received
