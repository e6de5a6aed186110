#!/usr/bin/perl
# statements.pl — the SQL statements RT 5 runs to create one ticket
# (RT::Ticket->Create as the bench user, in the Bench queue, with a
# requester and a plain-text body: what REST2's POST /ticket calls), counted
# by RT's own statement log (RT::Handle->LogSQLStatements) over N creations.
# Run by tests/bench/rt.mjs with the environment of its RT (RT_SITE_CONFIG,
# XQ_RT_*). Prints "statements <mean per ticket>".
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
use MIME::Entity;

RT::LoadConfig();
RT::Init();
my $user = RT::CurrentUser->new;
$user->Load('bench') or die "no user bench\n";
my $n = $ARGV[0] || 5;
my $total = 0;
$RT::Handle->LogSQLStatements(1);
for my $k (1 .. $n) {
  $RT::Handle->ClearSQLStatementLog;
  my $t = RT::Ticket->new($user);
  my ($id, undef, $msg) = $t->Create(
    Queue     => 'Bench',
    Subject   => "statements $k",
    Requestor => ['party@bench.test'],
    MIMEObj   => MIME::Entity->build(Type => 'text/plain', Charset => 'UTF-8', Data => ['bench']),
  );
  die "Create: $msg\n" unless $id;
  $total += scalar($RT::Handle->SQLStatementLog);
}
printf "statements %.1f\n", $total / $n;
