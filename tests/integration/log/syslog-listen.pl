#!/usr/bin/perl
# syslog-listen.pl SOCKET OUT: a /dev/log for a root without syslogd.
# Every datagram becomes one line of OUT: "<PRI>TAG[PID]: TEXT" with the
# time stamp dropped (what sendmail 8.17.1 passes to syslog(3)).
use strict;
use warnings;
use IO::Socket::UNIX;
my ($path, $out) = @ARGV;
unlink $path;
my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $path) or die "$path: $!";
chmod 0666, $path;
open(my $fh, '>>', $out) or die "$out: $!";
$fh->autoflush(1);
while (defined $s->recv(my $buf, 65536)) {
	$buf =~ s/\n+$//;
	$buf =~ s/^(<\d+>)[A-Z][a-z][a-z] [ \d]\d \d\d:\d\d:\d\d /$1/;
	print $fh "$buf\n";
}
