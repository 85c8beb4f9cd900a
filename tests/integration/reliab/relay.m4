divert(-1)
#
# Read by m4 before sdmail's default sendmail.mc (cf/sendmail.mc) to make
# the configuration of the reliability tests: the default one, with a smart
# host.  Everything not local goes through the relay mailer to
# [127.0.0.1]:2526, where the tests run Postfix's smtp-sink in their own
# network namespace; mailertable routes may send a domain to
# relay:[127.0.0.2], the same port on an address where nothing listens.
#
define(`SMART_HOST', `relay:[127.0.0.1]')
define(`RELAY_MAILER_ARGS', `TCP $h 2526')
divert(0)dnl
