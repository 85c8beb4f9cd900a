#!/usr/bin/perl
# chat.pl [-w SECONDS] -- COMMAND...
# chat.pl [-w SECONDS] [--from ADDRESS] --tcp HOST:PORT
#
# Talks SMTP with COMMAND over its stdin/stdout (sendmail -bs), or with
# the server listening at HOST:PORT, the way a
# careful client does: waits SECONDS (default 0) before reading the
# greeting — sendmail's greet_pause punishes clients that talk first —,
# then sends one command at a time from our standard input and waits for
# its whole reply.  A line "DATA" is followed by the message lines up to
# the "." line, sent together; a line "#pipe ..." sends the rest of the
# line's commands (separated by " | ") in one write, then reads one reply
# for each; "#sleep N" waits.  Prints the transcript: client lines with
# ">>> ", server lines as they are.  Exits with COMMAND's status.
use strict;
use warnings;
use IPC::Open2;
use IO::Handle;
use IO::Socket::INET;
use Time::HiRes qw(sleep);

my $wait = 0;
my $from;
if (@ARGV >= 2 && $ARGV[0] eq '-w') { shift; $wait = shift; }
if (@ARGV >= 2 && $ARGV[0] eq '--from') { shift; $from = shift; }
my ($pid, $out, $in);
if (@ARGV >= 2 && $ARGV[0] eq '--tcp') {
	my @local = defined $from ? (LocalAddr => $from) : ();
	$out = $in = IO::Socket::INET->new(PeerAddr => $ARGV[1], Proto => 'tcp', @local)
	    or die "chat.pl: cannot connect to $ARGV[1]: $@\n";
} else {
	shift if @ARGV && $ARGV[0] eq '--';
	$pid = open2($out, $in, @ARGV) or die "chat.pl: cannot run @ARGV\n";
}
my @lines = <STDIN>;
$in->autoflush(1);
$| = 1;

sub reply {
	while (defined(my $l = <$out>)) {
		$l =~ s/\r?\n$//;
		print "$l\n";
		# 0xx lines (VERB mode) are informational, not the reply
		return $l if $l =~ /^[1-5]\d\d(?: |$)/;
	}
	return undef;
}

# after DATA's 354: the message lines up to ".", in one write
sub send_message {
	my @msg;
	while (defined(my $m = shift @lines)) {
		$m =~ s/\r?\n$//;
		push @msg, $m;
		last if $m eq '.';
	}
	print ">>> $_\n" for @msg;
	print $in map { "$_\r\n" } @msg;
	reply();
}

sleep($wait) if $wait > 0;
reply() // exit 1;
while (defined(my $c = shift @lines)) {
	$c =~ s/\r?\n$//;
	if ($c =~ /^#sleep\s+([\d.]+)/) { sleep($1); next; }
	if ($c =~ /^#pipe\s+(.*)$/) {
		my @cmds = split /\s*\|\s*/, $1;
		my $r;
		print ">>> $_\n" for @cmds;
		print $in map { "$_\r\n" } @cmds;
		for (@cmds) { $r = reply() // last; }
		send_message() if defined $r && $cmds[-1] =~ /^data$/i && $r =~ /^354/;
		next;
	}
	print ">>> $c\n";
	print $in "$c\r\n";
	my $r = reply() // last;
	send_message() if $c =~ /^data$/i && $r =~ /^354/;
}
# whatever the server still says
if (defined $pid) {
	close $in;
	while (defined(my $l = <$out>)) { $l =~ s/\r?\n$//; print "$l\n"; }
	waitpid($pid, 0);
	exit($? >> 8);
}
$in->shutdown(1);
while (defined(my $l = <$out>)) { $l =~ s/\r?\n$//; print "$l\n"; }
exit 0;
