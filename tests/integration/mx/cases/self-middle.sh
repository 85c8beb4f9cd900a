# an MX better than this host refuses; the worse one is never tried
send u@selfmid.test
queue
