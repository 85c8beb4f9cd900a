# What perdaemon's log comparison evens out on both sides (sendmail
# 8.17.1's and sdmail's), differences docs/architecture.md lists under
# "Not built yet": sm-mta logs the session's DelayLA line under an ID of
# the session, not the one its message then gets, and the to= line of a
# message taken over SMTP from a local sender lacks sendmail's ctladdr=.
s/^\(<[0-9]*>sendmail\[[0-9]*\]: \)[^ :]*: delaying=/\1SESSION: delaying=/
s/, ctladdr=<[^>]*> ([0-9]*\/[0-9]*)//
