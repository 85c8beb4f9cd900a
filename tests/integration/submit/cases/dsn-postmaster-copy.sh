# PostmasterCopy: with -v, the DSN to the sender, then the header-only
# copy to the postmaster, each refused, each followed by a notice to the
# postmaster; DeadLetterDrop cannot be written: nothing is saved
sink -f RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -v -odi -OPostmasterCopy=postmaster -ODeadLetterDrop=/nonexistent/dead.letter nobody
received
