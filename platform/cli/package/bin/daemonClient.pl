#!/usr/bin/perl
# The quick client of this user's idp daemon (docs/adr/0016-cli-daemon.md), run by bin/idp when
# Perl is there (it is on macOS and, as perl-base, on every Debian and Ubuntu): Perl starts in a few
# milliseconds, Node.js in forty. It speaks the daemon's wire format (src/packaged/daemon/frames.ts):
# frames of [channel: 1 byte][length: 4 bytes, big endian][payload]; one request frame (JSON), then
# output frames and one exit frame back.
#
#   perl daemonClient.pl PACKAGE_DIR VERSION ARGS...
#
# Exits 75 having run nothing when no daemon answers at this version's alias, or the one there
# refuses (it was started for another node or install): bin/idp then goes on without this client.
use strict;
use warnings;
use Cwd ();
use IO::Socket::UNIX ();
use Socket ();

my $NOT_SERVED = 75;
my ($package, $version, @args) = @ARGV;
exit $NOT_SERVED unless defined $version;

# The daemon's folder as src/packaged/daemon/daemonAddress.ts chooses it: $XDG_RUNTIME_DIR/idp,
# else <tmp>/idp-<uid> where <tmp> is Node.js's os.tmpdir(); only if it is ours and private.
sub daemon_dir {
    my $runtime = $ENV{XDG_RUNTIME_DIR};
    return "$runtime/idp" if defined $runtime && $runtime =~ m{^/};
    # (map, not a hash slice: grep over a slice of %ENV would add the missing names to it.)
    my ($tmp) = grep { defined && length } map { $ENV{$_} } qw(TMPDIR TMP TEMP);
    $tmp = '/tmp' unless defined $tmp;
    $tmp =~ s{/+$}{} if length $tmp > 1;
    return "$tmp/idp-$<";
}
my $dir = daemon_dir();
my @stats = lstat $dir;
exit $NOT_SERVED unless @stats && -d _ && !-l _ && $stats[4] == $< && ($stats[2] & 077) == 0;

my $socket = IO::Socket::UNIX->new(Type => Socket::SOCK_STREAM(), Peer => "$dir/idp-$version.sock") or exit $NOT_SERVED;

# JSON strings of the bytes Perl holds: quotes, backslashes and control characters escaped;
# other bytes pass as they are (the daemon reads the request as UTF-8, as Node.js reads argv).
sub json_string {
    my ($text) = @_;
    $text =~ s/(["\\])/\\$1/g;
    $text =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
    return qq("$text");
}
my $cwd = Cwd::getcwd();
exit $NOT_SERVED unless defined $cwd;
my $request = join '',
  '{"kind":"run","argv":[', join(',', map { json_string($_) } @args), '],',
  '"cwd":', json_string($cwd), ',',
  '"env":{', join(',', map { json_string($_) . ':' . json_string($ENV{$_}) } grep { defined $ENV{$_} } sort keys %ENV), '},',
  '"umask":', umask(), ',',
  '"stdoutIsTTY":', (-t STDOUT ? 'true' : 'false'), ',',
  '"stderrIsTTY":', (-t STDERR ? 'true' : 'false'), ',',
  '"packageDir":', json_string($package), '}';
write_all($socket, pack('C N', 0, length $request) . $request) or exit $NOT_SERVED;

# A reader that went away (`idp ... | head`) is not an error: its output is dropped.
$SIG{PIPE} = 'IGNORE';
my %out = (1 => \*STDOUT, 2 => \*STDERR);
while (1) {
    my $header = read_exactly($socket, 5);
    last unless defined $header;
    my ($channel, $length) = unpack 'C N', $header;
    my $payload = read_exactly($socket, $length);
    last unless defined $payload;
    exit($payload + 0) if $channel == 3;
    write_all($out{$channel}, $payload) if $out{$channel};
}
print STDERR "idp: the idp daemon stopped while running this command; run it again (IDP_DAEMON=0 runs idp without it)\n";
exit 1;

sub read_exactly {
    my ($handle, $length) = @_;
    my $data = '';
    while (length $data < $length) {
        my $read = sysread $handle, $data, $length - length $data, length $data;
        return undef unless $read;
    }
    return $data;
}

sub write_all {
    my ($handle, $data) = @_;
    while (length $data) {
        my $written = syswrite $handle, $data;
        return 0 unless defined $written;
        substr($data, 0, $written) = '';
    }
    return 1;
}
