# What perdaemon's log comparison evens out on both sides (sendmail
# 8.17.1's and sdmail's): nothing now.  The session's DelayLA line and
# its message share the ID the session had, and the to= line of a
# message from a local sender names it as ctladdr=, as sendmail's do.
