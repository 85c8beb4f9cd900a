# Debian's sendmail.cf with load limits of its own for the MTA daemon
# (port 25): refuseLA=5, delayLA=3, queueLA=3; the MSA (587) keeps the
# options (RefuseLA and QueueLA 12 and 8 per CPU, no DelayLA)
s/^\(O DaemonPortOptions=.*Name=MTA-v4, .*\)$/\1, refuseLA=5, delayLA=3, queueLA=3/
# any message waits at QueueLA (QueueFactor / (load - QueueLA + 1) < 30000)
s/^#O QueueFactor=.*/O QueueFactor=1/
