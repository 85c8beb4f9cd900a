#!/usr/bin/perl
# burst.pl N FROM HOST:PORT
#
# N connections one after the other from address FROM: prints the first
# line each one gets (or that none came within 3 seconds), then QUIT.
# For the connection-rate limits (FEATURE(ratecontrol): ClientRate).
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;

my ($n, $from, $target) = @ARGV;
$| = 1;
for my $i (1 .. $n) {
	my $s = IO::Socket::INET->new(PeerAddr => $target, LocalAddr => $from, Proto => 'tcp')
	    or die "burst.pl: cannot connect to $target: $@\n";
	my $line = IO::Select->new($s)->can_read(3) ? <$s> : undef;
	$line = "(nothing within 3 s)\n" unless defined $line;
	$line =~ s/\r?\n$//;
	print "$i: $line\n";
	print $s "QUIT\r\n";
	close $s;
}
