# the -bt command /mx prints the route (this host is not dropped there)
printf '/mx mx.test\n/mx order.test\n/mx nosuch.test\n/mx txtonly.test\n/mx plain.test\n/mx self.test\n/mx selfmid.test\n/mx [mx.test]\n/mx tempmx.test\n/mx fbmx.test\n' |
	run $SM -bt
