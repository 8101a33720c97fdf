#!/usr/bin/env perl
# CityOps interoperability harness: FixMyStreet's own Open311 client against our Open311 server.
#
# Loads Open311.pm, unmodified, from FixMyStreet's perllib (FMS_PERLLIB) and makes every call FixMyStreet makes
# against OPEN311_ENDPOINT, printing one line per call: "OK   name: detail" or "FAIL name: reason". Exits 1 when
# any call fails. How to get FixMyStreet's perllib and the Debian packages: scripts/interop/README.md.
#
#   FMS_PERLLIB       path to FixMyStreet's perllib/ (the directory holding Open311.pm)           required
#   OPEN311_ENDPOINT  e.g. http://127.0.0.1:18311/open311/v2/ (FixMyStreet appends "services.xml") required
#   OPEN311_API_KEY   an api_key whose roles may create cases (cityops apikey create …)          required
#   OPEN311_STAFF_KEY the key the city's own staff steps use through the REST API (accept, reject one of the driver's
#                     reports; roles operator, scoped to the city: --role operator --region R-329900 in the demo);
#                     default OPEN311_API_KEY
#   OPEN311_LAT, OPEN311_LONG  a point inside the city (default: the demo city, 31.55 / 120.3)
#   OPEN311_SERVICE   service_code to report under (default: the first service with a definition)
#   OPEN311_REST      the city's REST API base (default: OPEN311_ENDPOINT with open311/v2/ replaced by api/v1/)
#   OPEN311_DISCOVERY the discovery document (default: OPEN311_ENDPOINT with v2/ replaced by discovery.xml)
#   OPEN311_JURISDICTION  jurisdiction_id FixMyStreet sends on every call (default: cityops.example)
#   OPEN311_VERBOSE=1 print FixMyStreet's request details (debug_details) after a failure
#
# Open311.pm imports FixMyStreet's application (its config, database schema, cobrands, photo handling). Those need
# FixMyStreet's PostgreSQL database and configuration, and none of the calls exercised here reaches them except for
# the few methods below, so this script installs small stand-ins of its own for them before loading Open311.pm.
# The report and update that FixMyStreet would read from its database are stand-in objects with the same methods.
use strict;
use warnings;
use utf8;
use v5.14;

binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';

my %ENVV;
BEGIN {
    for my $k (qw(FMS_PERLLIB OPEN311_ENDPOINT OPEN311_API_KEY)) {
        die "$k is not set (see scripts/interop/README.md)\n" unless $ENV{$k};
    }
    die "FMS_PERLLIB=$ENV{FMS_PERLLIB} holds no Open311.pm\n" unless -f "$ENV{FMS_PERLLIB}/Open311.pm";
}

# ---------------------------------------------------------------------------------------------------------------
# Stand-ins for the FixMyStreet application modules Open311.pm imports (only what its Open311 calls touch).
# ---------------------------------------------------------------------------------------------------------------
BEGIN {
    package FixMyStreet;
    our %CONFIG = (
        O311_POLLING_INTERVAL  => 0,    # token polling: no wait (our services are all realtime)
        O311_POLLING_MAX_TRIES => 1,
        DO_NOT_REPLY_EMAIL     => 'do-not-reply@fms.example',
    );
    sub config    { my ($class, $key) = @_; return $CONFIG{$key} }
    sub test_mode { 1 }

    package FixMyStreet::Cobrand;
    package FixMyStreet::DB;
    package FixMyStreet::ImageMagick;
    package FixMyStreet::App::Model::PhotoSet;

    # FixMyStreet's default report states (its state table fixture db/fixture.sql plus the hard-coded ones): which
    # ones count as open and fixed decides the status an update is posted with, and which are visible decides
    # whether a fetched update may set a report's state.
    package FixMyStreet::DB::Result::Problem;
    my @OPEN   = ('confirmed', 'investigating', 'in progress', 'planned', 'action scheduled');
    my @FIXED  = ('fixed', 'fixed - user', 'fixed - council');
    my @CLOSED = ('closed', 'unable to fix', 'not responsible', 'duplicate', 'internal referral', 'cancelled');
    sub open_states    { wantarray ? @OPEN   : { map { $_ => 1 } @OPEN } }
    sub fixed_states   { wantarray ? @FIXED  : { map { $_ => 1 } @FIXED } }
    sub closed_states  { wantarray ? @CLOSED : { map { $_ => 1 } @CLOSED } }
    sub visible_states { my @v = (@OPEN, @FIXED, @CLOSED); wantarray ? @v : { map { $_ => 1 } @v } }

    # Open311->new(fixmystreet_body => …) checks the class; the body has no cobrand handler.
    package FixMyStreet::DB::Result::Body;
    sub new { bless { name => $_[1] // 'CityOps' }, $_[0] }
    sub name { $_[0]{name} }
    sub get_cobrand_handler { undef }

    package Utils;
    # FixMyStreet sends coordinates with at most 6 decimals.
    sub truncate_coordinate {
        my $c = sprintf('%.6f', shift);
        $c =~ s/\.?0+$//;
        return $c;
    }

    package main;
    $INC{"$_.pm"} = __FILE__ for qw(FixMyStreet FixMyStreet/Cobrand FixMyStreet/DB FixMyStreet/DB/Result/Problem
        FixMyStreet/DB/Result/Body Utils FixMyStreet/ImageMagick FixMyStreet/App/Model/PhotoSet);
}

# A cobrand whose hooks all decline.
package CityOpsInterop::Cobrand {
    sub new { bless {}, shift }
    sub call_hook { return }
    sub base_url { 'https://fms.example' }
}

# Plain objects with the accessors Open311.pm calls on FixMyStreet's users, reports and updates.
package CityOpsInterop::Thing {
    sub new { my ($class, %f) = @_; bless {%f}, $class }
    our $AUTOLOAD;
    sub AUTOLOAD {
        my $self = shift;
        (my $name = $AUTOLOAD) =~ s/.*:://;
        return if $name eq 'DESTROY';
        die "stand-in object has no '$name'\n" unless exists $self->{$name};
        $self->{$name} = shift if @_;
        return $self->{$name};
    }
}
package CityOpsInterop::Problem {
    our @ISA = ('CityOpsInterop::Thing');
    sub get_extra_fields   { $_[0]{extra_fields} || [] }
    sub get_extra_metadata { my ($s, $k) = @_; my $m = $s->{extra_metadata} || {}; defined $k ? $m->{$k} : $m }
    sub get_cobrand_logged { CityOpsInterop::Cobrand->new }
}
package CityOpsInterop::Comment {
    our @ISA = ('CityOpsInterop::Thing');
    sub get_extra_metadata { my ($s, $k) = @_; my $m = $s->{extra_metadata} || {}; defined $k ? $m->{$k} : $m }
    sub get_cobrand_logged { CityOpsInterop::Cobrand->new }
}

package main;

use lib $ENV{FMS_PERLLIB};
require Open311;

use DateTime;
use DateTime::Format::W3CDTF;
use Digest::SHA qw(sha1_hex);
use Encode ();
use HTTP::Request;
use JSON::PP ();
use LWP::UserAgent;
use XML::Simple;

my $ENDPOINT     = $ENV{OPEN311_ENDPOINT};
my $API_KEY      = $ENV{OPEN311_API_KEY};
my $JURISDICTION = $ENV{OPEN311_JURISDICTION} // 'cityops.example';
my $LAT          = $ENV{OPEN311_LAT}  // 31.55;
my $LONG         = $ENV{OPEN311_LONG} // 120.3;
my $VERBOSE      = $ENV{OPEN311_VERBOSE};
my $STAFF_KEY    = $ENV{OPEN311_STAFF_KEY} // $API_KEY;
my $REST         = $ENV{OPEN311_REST};
($REST = $ENDPOINT) =~ s{open311/v2/?$}{api/v1/} unless $REST;
my $W3C          = DateTime::Format::W3CDTF->new;
my $JSON         = JSON::PP->new->utf8->canonical;

my ($n_ok, $n_fail) = (0, 0);
sub one_line  { my $s = shift; $s =~ s/\s+$//; $s =~ s/\s*\n+\s*/ | /g; return $s }
sub ok_line   { my ($name, $detail) = @_; $n_ok++; say "OK   $name: " . one_line($detail) }
sub fail_line {
    my ($name, $reason, $o) = @_;
    $n_fail++;
    say "FAIL $name: " . one_line($reason);
    if ($VERBOSE && $o) {
        # debug_details holds the parameters as the UTF-8 bytes sent; the api_key is shortened.
        my $d = Encode::decode('UTF-8', $o->debug_details);
        $d =~ s/^(api_key: .{8}).*$/$1…/mg;
        say "     $_" for split /\n/, $d;
    }
}
# FixMyStreet's own error text ("request failed: <status line>\nerror: <code>: <description>\n…") without the debug
# dump it appends.
sub fms_error {
    my $o = shift;
    my $e = $o->error // '';
    $e =~ s/\n(?:GET|POST) .*//s;
    $e =~ s/\s+$//;
    return $e || 'no error recorded';
}
sub w3c_now    { $W3C->format_datetime(DateTime->now) }
sub parse_w3c  { my $s = shift // ''; my $dt = eval { $W3C->parse_datetime($s) }; return $dt }
sub utc_w3c    { my $dt = shift; $W3C->format_datetime($dt->clone->set_time_zone('UTC')) }
sub has_zone   { ($_[0] // '') =~ /(?:Z|[+-]\d\d:\d\d)$/ }

sub client {
    my %extra = @_;
    return Open311->new(
        endpoint         => $ENDPOINT,
        api_key          => $API_KEY,
        jurisdiction     => $JURISDICTION,
        fixmystreet_body => FixMyStreet::DB::Result::Body->new('CityOps'),
        %extra,
    );
}

# The city's side: a staff step through the REST API (not FixMyStreet's client), to give FixMyStreet something to fetch.
sub rest {
    my ($method, $path, $body) = @_;
    my $req = HTTP::Request->new($method => $REST . $path,
        [ Authorization => "Bearer $STAFF_KEY", Accept => 'application/json', ($body ? ('Content-Type' => 'application/json') : ()) ]);
    $req->content($JSON->encode($body)) if $body;
    my $res = LWP::UserAgent->new(timeout => 30)->request($req);
    my $data = eval { $JSON->decode($res->content) };
    my $why = $res->is_success ? '' : $res->status_line . (ref $data eq 'HASH' && $data->{error} ? ": $data->{error}{message}" : '');
    return ($res->is_success ? $data : undef, $why);
}

# What FixMyStreet's add_media does with a media_url: download it and keep it only if it is an image.
sub fetch_image {
    my $url = shift;
    my $res = LWP::UserAgent->new(timeout => 30)->get($url);
    return $res->is_success && $res->content_type =~ m{^image/(jpeg|pjpeg|gif|tiff|png|webp)$} ? length($res->content) : 0;
}

my $open311_pm = "$ENV{FMS_PERLLIB}/Open311.pm";
my $sha = do { open my $fh, '<:raw', $open311_pm or die $!; local $/; sha1_hex(<$fh>) };
say "# FixMyStreet Open311.pm: $INC{'Open311.pm'} (sha1 $sha)";
say "# endpoint: $ENDPOINT  jurisdiction_id: $JURISDICTION  point: $LAT,$LONG";

# ---------------------------------------------------------------------------------------------------------------
# Discovery: the endpoint URL it lists, used as FixMyStreet's endpoint (an administrator pastes it into the body's
# Open311 settings; Open311.pm appends "services.xml" etc. to the URL's path as it stands).
# ---------------------------------------------------------------------------------------------------------------
{
    my $name = 'discovery endpoint url as the FixMyStreet endpoint';
    my $discovery = $ENV{OPEN311_DISCOVERY};
    ($discovery = $ENDPOINT) =~ s{/v2/?$}{/discovery.xml} unless $discovery;
    my $res = LWP::UserAgent->new(timeout => 30)->get($discovery);
    my $doc = $res->is_success ? eval { XMLin($res->decoded_content, ForceArray => ['endpoint', 'format'], KeyAttr => {}) } : undef;
    my ($ep) = grep { ($_->{specification} // '') =~ /GeoReport_v2/ } @{ $doc->{endpoints}{endpoint} || [] };
    if (!$ep) {
        fail_line($name, "GET $discovery: " . ($res->is_success ? 'no GeoReport_v2 endpoint listed' : $res->status_line));
    } else {
        my $url = $ep->{url};
        my $o = Open311->new(endpoint => $url, jurisdiction => $JURISDICTION);
        my $list = $o->get_service_list;
        my $tried = URI->new($url); $tried->path($tried->path . 'services.xml');
        if ($list && ref $list->{service} eq 'ARRAY') {
            ok_line($name, "$url → " . scalar(@{ $list->{service} }) . ' services');
        } else {
            my $why = $url =~ m{/$} ? fms_error($o)
                : "listed url '$url' has no trailing slash, so FixMyStreet requests $tried (" . fms_error($o) . ')';
            fail_line($name, $why, $o);
        }
    }
}

# ---------------------------------------------------------------------------------------------------------------
# get_service_list: GET services.xml (Open311::PopulateServiceList)
# ---------------------------------------------------------------------------------------------------------------
my @services;
{
    my $o = client();
    my $list = $o->get_service_list;
    if (!$list || ref $list->{service} ne 'ARRAY' || !@{ $list->{service} }) {
        fail_line('get_service_list', 'no <service> list: ' . fms_error($o), $o);
    } else {
        @services = @{ $list->{service} };
        my @bad;
        for my $s (@services) {
            my $c = $s->{service_code} // '(none)';
            push @bad, "$c: no service_code" unless defined $s->{service_code} && !ref $s->{service_code};
            push @bad, "$c: no service_name" unless defined $s->{service_name} && $s->{service_name} =~ /\S/;
            push @bad, "$c: metadata '" . ($s->{metadata} // '') . "' (want true/false)"
                unless ($s->{metadata} // '') =~ /^(?:true|false)$/i;
            push @bad, "$c: type '" . ($s->{type} // '') . "'" unless ($s->{type} // '') =~ /^(?:realtime|batch|blackbox)$/;
        }
        if (@bad) {
            fail_line('get_service_list', scalar(@bad) . ' problems, e.g. ' . join('; ', @bad[0 .. ($#bad < 2 ? $#bad : 2)]), $o);
        } else {
            my $groups = grep { ref $_->{group} eq 'ARRAY' && defined $_->{group}[0] } @services;
            ok_line('get_service_list', scalar(@services) . " services, each with service_code, service_name, metadata, type; $groups with a group");
        }
    }
}

# ---------------------------------------------------------------------------------------------------------------
# get_service_meta_info: GET services/{code}.xml, for each service with metadata=true (PopulateServiceList keeps the
# attributes as the category's extra questions and sends the answers as attribute[code]).
# ---------------------------------------------------------------------------------------------------------------
my %DATATYPES = map { $_ => 1 } qw(string number datetime text singlevaluelist multivaluelist);
my $service_code = $ENV{OPEN311_SERVICE};
my @attributes;    # the definition of the service reported under below
{
    my @with_meta = grep { lc($_->{metadata} // '') eq 'true' } @services;
    my $o = client();
    if (!@services) {
        fail_line('get_service_meta_info', 'no service list to read definitions of');
    } elsif (!@with_meta) {
        my $code = $services[0]{service_code};
        my $def = $o->get_service_meta_info($code);
        my $shape = !$def ? 'no definition: ' . fms_error($o)
            : ref $def->{attributes} eq 'ARRAY' ? scalar(@{ $def->{attributes} }) . ' attributes'
            : 'an empty <attributes/>, which FixMyStreet reads as "Empty meta data"';
        fail_line('get_service_meta_info', 'no service has metadata=true (0 of ' . scalar(@services)
            . "), so FixMyStreet never asks for a definition and no category gets extra questions; services/$code.xml has $shape", $o);
    } else {
        my (@bad, $n_attr);
        for my $s (@with_meta) {
            my $code = $s->{service_code};
            my $def = $o->get_service_meta_info($code);
            if (!$def || ref $def->{attributes} ne 'ARRAY' || !@{ $def->{attributes} }) {
                push @bad, "$code: metadata=true but " . (!$def ? fms_error($o) : 'no <attribute> in <attributes>');
                next;
            }
            push @bad, "$code: <service_code> is '" . ($def->{service_code} // '') . "'" unless ($def->{service_code} // '') eq $code;
            my %orders;
            for my $a (@{ $def->{attributes} }) {
                $n_attr++;
                my $ac = $a->{code} // '';
                my $id = "$code/$ac";
                # Sent back as attribute[code]. A non-ASCII code would make the form a character string and
                # Open311.pm's UTF-8 bytes would then be encoded a second time (every non-ASCII value garbled).
                push @bad, "$id: code must be ASCII letters, digits or _ (sent back as attribute[code])" unless $ac =~ /^[A-Za-z0-9_]+$/;
                push @bad, "$id: datatype '" . ($a->{datatype} // '') . "'" unless $DATATYPES{ $a->{datatype} // '' };
                for my $flag (qw(variable required)) {
                    push @bad, "$id: $flag '" . ($a->{$flag} // '') . "' (FixMyStreet compares with the text true/false)"
                        unless ($a->{$flag} // '') =~ /^(?:true|false)$/;
                }
                push @bad, "$id: order '" . ($a->{order} // '') . "' (want a positive integer)" unless ($a->{order} // '') =~ /^[1-9]\d*$/;
                push @bad, "$id: order $a->{order} repeated" if defined $a->{order} && $orders{ $a->{order} }++;
                push @bad, "$id: no description (the question FixMyStreet shows)" unless ($a->{description} // '') =~ /\S/;
                if (($a->{datatype} // '') =~ /valuelist$/) {
                    my $values = $a->{values};
                    if (ref $values ne 'ARRAY' || !@$values) {
                        push @bad, "$id: $a->{datatype} without <values><value><key/><name/></value></values>";
                    } else {
                        for my $v (@$values) {
                            push @bad, "$id: a value without key or name" unless defined $v->{key} && !ref $v->{key} && defined $v->{name};
                        }
                    }
                }
                push @bad, "$id: automated '$a->{automated}' (FixMyStreet knows server_set, hidden_field)"
                    if defined $a->{automated} && $a->{automated} !~ /^(?:server_set|hidden_field)$/;
            }
            if (!@attributes && (!defined $service_code || $service_code eq $code)) {
                $service_code //= $code;
                @attributes = @{ $def->{attributes} };
            }
        }
        if (@bad) {
            fail_line('get_service_meta_info', scalar(@bad) . ' problems, e.g. ' . join('; ', @bad[0 .. ($#bad < 3 ? $#bad : 3)]), $o);
        } else {
            ok_line('get_service_meta_info', scalar(@with_meta) . " services with metadata=true, $n_attr attributes, all well-formed");
        }
    }
}
$service_code //= @services ? $services[0]{service_code} : '01001';

# ---------------------------------------------------------------------------------------------------------------
# send_service_request: POST requests.xml (FixMyStreet::SendReport::Open311)
# ---------------------------------------------------------------------------------------------------------------
my $run = time();
my $user = CityOpsInterop::Thing->new(name => '王小明', email => 'wang.xiaoming@fms.example', phone => '13800138000');

# Answers to the definition's questions, as FixMyStreet would hold them (a multivaluelist answer is a list, sent as
# repeated attribute[code] fields). FixMyStreet also fills a question whose code is the category's id field
# (default "fixmystreet_id") with its own report id; that one is sent here whether or not the definition asks.
my @extra_fields = ({ name => 'fixmystreet_id', value => $run });
for my $a (grep { ($_->{variable} // 'true') ne 'false' && ($_->{automated} // '') ne 'server_set' } @attributes) {
    my $dt = $a->{datatype} // 'string';
    my $first = ref $a->{values} eq 'ARRAY' && @{ $a->{values} } ? $a->{values}[0]{key} : undef;
    my $value = $dt eq 'singlevaluelist' ? $first
        : $dt eq 'multivaluelist' ? [ grep { defined } $first ]
        : $dt eq 'number' ? 1
        : $dt eq 'datetime' ? w3c_now()
        : '测试';
    # FixMyStreet holds the codes as it stored them (plain strings from its database), not as XML::Simple's
    # character strings: see the note on codes in get_service_meta_info above.
    my $code = $a->{code};
    utf8::downgrade($code, 1);
    push @extra_fields, { name => $code, value => $value };
}

sub new_problem {
    my %f = @_;
    return CityOpsInterop::Problem->new(
        id => $run, name => $user->name, user => $user, title => '井盖缺失', detail => '人行道上的井盖不见了，夜里很危险。',
        cobrand => 'cityops', cobrand_data => '', phone_waste => $user->phone, used_map => 1,
        latitude => $LAT, longitude => $LONG, postcode => '', uprn => undef, service => '', send_fail_count => 0,
        photo => undef, non_public => 0, extra_fields => [@extra_fields], state => 'confirmed', external_id => undef,
        %f,
    );
}
my %report_extra = (
    url          => "https://fms.example/report/$run",
    image_url    => "https://fms.example/photo/$run.0.full.jpeg",
    account_id   => "fms-account-$run",
);

my ($request_id, $requested_dt);
{
    my $o = client();
    my $p = new_problem();
    my $id = $o->send_service_request($p, {%report_extra}, $service_code);
    if (!$id) {
        fail_line('send_service_request', "service_code $service_code: " . fms_error($o), $o);
    } else {
        $request_id = $id;
        my $sent = join ', ', sort grep { /^attribute\[/ } keys %{ { map { /^(\S+?):/ ? ($1 => 1) : () } split /\n/, $o->debug_details } };
        ok_line('send_service_request', "service_code $service_code → service_request_id $id (lat/long, description, media_url, email, phone, "
            . "first_name/last_name, account_id, jurisdiction_id, api_key; $sent)");
    }
}

# The answers FixMyStreet sent as attribute[code] are on the case as sent (read through the city's REST API with
# OPEN311_STAFF_KEY); FixMyStreet's own fixmystreet_id is not, unless the definition asks it.
if ($request_id && @attributes) {
    my $name = 'send_service_request (answers stored on the case)';
    my ($case, $why) = rest(GET => "cases/$request_id");
    if (!$case) {
        fail_line($name, "GET ${REST}cases/$request_id: $why");
    } else {
        my %sent = map { $_->{name} => $_->{value} } @extra_fields;
        my %got = map { $_->{code} => join('|', @{ $_->{values} || [] }) } @{ $case->{attributes} || [] };
        my @bad;
        for my $a (grep { ($_->{variable} // 'true') ne 'false' && ($_->{automated} // '') ne 'server_set' } @attributes) {
            my $want = join '|', map { ref $_ ? @$_ : $_ } grep { defined } $sent{ $a->{code} };
            push @bad, "$a->{code}: stored '" . ($got{ $a->{code} } // '(nothing)') . "', sent '$want'" if ($got{ $a->{code} } // '') ne $want;
        }
        push @bad, 'fixmystreet_id stored although the definition does not ask it'
            if exists $got{fixmystreet_id} && !grep { $_->{code} eq 'fixmystreet_id' } @attributes;
        @bad ? fail_line($name, join('; ', @bad))
             : ok_line($name, join(', ', map { "$_=$got{$_}" } sort keys %got) . ' (as sent; labels from the definition)');
    }
}

# Errors: FixMyStreet reads <errors><error><code/><description/></error></errors> from a failed call.
{
    my $o = client(api_key => 'not-a-key');
    my $id = $o->send_service_request(new_problem(), {%report_extra}, $service_code);
    my $e = fms_error($o);
    if (!$id && $e =~ /^request failed: 403\b/ && $e =~ /\berror: 403: \S/) {
        ok_line('send_service_request (bad api_key)', "refused: $e");
    } else {
        fail_line('send_service_request (bad api_key)', $id ? "accepted with a bad api_key (id $id)" : "want a 403 with <errors>: $e", $o);
    }
}
{
    my $o = client();
    my $id = $o->send_service_request(new_problem(), {%report_extra}, '99999');
    my $e = fms_error($o);
    if (!$id && $e =~ /^request failed: 404\b/ && $e =~ /\berror: 404: \S/) {
        ok_line('send_service_request (unknown service_code)', "refused: $e");
    } else {
        fail_line('send_service_request (unknown service_code)', $id ? "accepted service_code 99999 (id $id)" : "want a 404 with <errors>: $e", $o);
    }
}

# Several photos (a cobrand with multi_photos): media_url repeated, one field per photo. The point is 33 m from the
# first report: with duplicate detection on (the default) the city links it to that report as a duplicate.
my $multi_id;
{
    my $o = client(multi_photos => 1);
    my @urls = map { "https://fms.example/photo/$run.$_.full.jpeg" } 0, 1;
    my $id = $o->send_service_request(new_problem(latitude => $LAT + 0.0003), { %report_extra, all_image_urls => \@urls }, $service_code);
    if (!$id) {
        fail_line('send_service_request (multi_photos)', fms_error($o), $o);
    } else {
        my $list = client()->get_service_requests({ report_ids => [$id] });
        my ($r) = grep { ($_->{service_request_id} // '') eq $id } @{ $list || [] };
        my @back = ref $r->{media_url} eq 'ARRAY' ? @{ $r->{media_url} } : grep { defined } $r->{media_url};
        my $kept = grep { my $u = $_; grep { $_ eq $u } @back } @urls;
        ($kept == 2 ? \&ok_line : \&fail_line)->('send_service_request (multi_photos)', "2 media_url fields → $id; $kept of 2 URLs come back"
            . ($kept < 2 ? ' (the others are dropped without an error)' : ''), $o);
        $multi_id = $id;
    }
}

# A required question left unanswered: FixMyStreet expects a 400 with <errors> (and keeps the report to resend).
if (my @required = grep { ($_->{required} // '') eq 'true' && ($_->{variable} // '') ne 'false'
        && ($_->{automated} // '') ne 'server_set' } @attributes) {
    my $o = client();
    my %skip = map { $_->{code} => 1 } @required;
    my $id = $o->send_service_request(new_problem(extra_fields => [ grep { !$skip{ $_->{name} } } @extra_fields ]), {%report_extra}, $service_code);
    my $e = fms_error($o);
    if (!$id && $e =~ /^request failed: 400\b/ && $e =~ /\berror: 400: \S/) {
        ok_line('send_service_request (required attribute missing)', "refused: $e");
    } else {
        fail_line('send_service_request (required attribute missing)',
            $id ? "accepted without attribute[" . join('], attribute[', sort keys %skip) . "] (id $id)" : "want a 400 with <errors>: $e", $o);
    }
}

# ---------------------------------------------------------------------------------------------------------------
# get_service_requests: GET requests.xml by id (Open311::GetUpdates, bin/open311-update-reports: the plain-Open311
# way to follow reports) and by date window (Open311::GetServiceRequests, bin/fetch --reports).
# ---------------------------------------------------------------------------------------------------------------
my %STATUS_OF = (open => 'confirmed', closed => 'fixed - council');
sub check_request {
    my ($r) = @_;
    my @bad;
    push @bad, 'no lat/long (FixMyStreet skips it)' unless $r->{lat} && $r->{long};
    for my $f (qw(requested_datetime updated_datetime)) {
        my $dt = parse_w3c($r->{$f});
        push @bad, "$f '" . ($r->{$f} // '') . "' is not a W3C datetime with a zone" unless $dt && has_zone($r->{$f});
    }
    push @bad, "status '" . ($r->{status} // '') . "' is not open/closed" unless ($r->{status} // '') =~ /^(?:open|closed)$/;
    push @bad, 'no service_code' unless defined $r->{service_code};
    return @bad;
}
if ($request_id) {
    my $o = client();
    my $list = $o->get_service_requests({ report_ids => [$request_id] });
    my ($r) = grep { ($_->{service_request_id} // '') eq $request_id } @{ $list || [] };
    if (!$r) {
        fail_line('get_service_requests (service_request_id)', "request $request_id not returned: " . ($o->success ? 'empty list' : fms_error($o)), $o);
    } else {
        my @bad = check_request($r);
        push @bad, "lat/long $r->{lat},$r->{long} differ from the sent $LAT,$LONG"
            if $r->{lat} && (abs($r->{lat} - $LAT) > 1e-5 || abs($r->{long} - $LONG) > 1e-5);
        push @bad, "service_code $r->{service_code} is not $service_code" if ($r->{service_code} // '') ne $service_code;
        push @bad, 'description lost the report text' unless ($r->{description} // '') =~ /人行道上的井盖不见了/;
        push @bad, "media_url '" . ($r->{media_url} // '') . "' is not the sent one" unless ($r->{media_url} // '') eq $report_extra{image_url};
        if (@bad) {
            fail_line('get_service_requests (service_request_id)', join('; ', @bad), $o);
        } else {
            $requested_dt = $r->{requested_datetime};
            ok_line('get_service_requests (service_request_id)', "request $request_id: status $r->{status} → FixMyStreet state '"
                . $o->map_state($r->{status}) . "', status_notes '" . ($r->{status_notes} // '') . "', requested $r->{requested_datetime}, "
                . "updated $r->{updated_datetime}, description and media_url as sent");
        }
    }
}
if ($request_id) {
    # Open311::GetUpdates asks for every report of the body it ever sent (any visible state) in one GET, the ids
    # comma-joined and URL-escaped (",", → "%2C"). 1,000 ids is the most our server documents for one call.
    my @ids = ((map { sprintf('%s%06d', substr($request_id, 0, 8), 900000 + $_) } 1 .. 999), $request_id);
    my $o = client();
    my $list = $o->get_service_requests({ report_ids => [@ids] });
    my $found = grep { ($_->{service_request_id} // '') eq $request_id } @{ $list || [] };
    my $uri = URI->new($ENDPOINT . 'requests.xml'); $uri->query_form(service_request_id => join(',', @ids), jurisdiction_id => $JURISDICTION);
    my $len = length $uri->path_query;
    if ($found) {
        ok_line('get_service_requests (1,000 service_request_ids)', "request line of $len characters; $request_id returned");
    } else {
        my $e = fms_error($o);
        fail_line('get_service_requests (1,000 service_request_ids)', "request line of $len characters: "
            . ($o->success ? "$request_id not returned" : $e), $o);
    }
}
if ($request_id) {
    # FixMyStreet's default window: the last hour, up to now, both in UTC with a Z; it then keeps a request only if
    # its updated_datetime (in UTC) lies inside the window, compared as text.
    sleep 1;
    my $o = client();
    my $now = DateTime->now;
    my %args = (start_date => $W3C->format_datetime($now->clone->add(hours => -1)), end_date => $W3C->format_datetime($now));
    my $list = $o->get_service_requests({%args});
    my ($r) = grep { ($_->{service_request_id} // '') eq $request_id } @{ $list || [] };
    if (!$r) {
        fail_line('get_service_requests (start_date/end_date)', "request $request_id not in $args{start_date} … $args{end_date}: "
            . ($o->success ? scalar(@{ $list || [] }) . ' others returned' : fms_error($o)), $o);
    } else {
        my @bad = check_request($r);
        my $upd = parse_w3c($r->{updated_datetime});
        my $u = $upd ? utc_w3c($upd) : '';
        push @bad, "updated_datetime $u (UTC) outside the window: FixMyStreet would not import it"
            if $upd && ($u lt $args{start_date} || $u gt $args{end_date});
        @bad ? fail_line('get_service_requests (start_date/end_date)', join('; ', @bad), $o)
             : ok_line('get_service_requests (start_date/end_date)', "$args{start_date} … $args{end_date}: "
                . scalar(@$list) . " requests, including $request_id, which FixMyStreet would import");
    }
}
if ($request_id && $requested_dt) {
    # The window bounds requested_datetime; a request whose requested_datetime equals end_date (or start_date) is
    # inside it. FixMyStreet sends whole seconds.
    for my $edge (qw(end_date start_date)) {
        my $at = parse_w3c($requested_dt);
        my %args = $edge eq 'end_date'
            ? (start_date => $W3C->format_datetime($at->clone->add(hours => -1)), end_date => $requested_dt)
            : (start_date => $requested_dt, end_date => $W3C->format_datetime($at->clone->add(hours => 1)));
        my $o = client();
        my $list = $o->get_service_requests({%args});
        my $found = grep { ($_->{service_request_id} // '') eq $request_id } @{ $list || [] };
        my $name = "get_service_requests ($edge = its requested_datetime)";
        if ($found) {
            ok_line($name, "$request_id (requested $requested_dt) is in $args{start_date} … $args{end_date}");
        } else {
            fail_line($name, "$request_id shows requested_datetime $requested_dt but is missing from $args{start_date} … $args{end_date}"
                . ($o->success ? '' : ': ' . fms_error($o)), $o);
        }
    }
}

# ---------------------------------------------------------------------------------------------------------------
# post_service_request_update: POST servicerequestupdates.xml (Open311::PostServiceRequestUpdates, bin/send-comments)
# ---------------------------------------------------------------------------------------------------------------
sub new_comment {
    my (%f) = @_;
    my $problem = new_problem(external_id => $request_id // 'none', state => $f{problem_state} // 'confirmed');
    return CityOpsInterop::Comment->new(
        id => $run * 10 + ($f{n} // 1), name => $user->name, user => $user, problem => $problem,
        problem_state => 'confirmed', text => '井盖还是没有修好。', confirmed => DateTime->now, mark_open => 0,
        photo => undef, extra => undef, send_fail_count => 0, cobrand_data => '',
        %f,
    );
}
my @posted;
if ($request_id) {
    for my $case (
        [ 'post_service_request_update', {}, new_comment(n => 1) ],
        [ 'post_service_request_update (retry, same update_id)', {}, new_comment(n => 1) ],
        [ 'post_service_request_update (extended_statuses, FIXED)', { extended_statuses => 1 },
            new_comment(n => 2, problem_state => 'fixed - user', text => '已经修好了，谢谢。') ],
        [ 'post_service_request_update (multi_photos, 2 photos)', { multi_photos => 1 },
            new_comment(n => 3, text => '补充两张照片。', photo => 1,
                photos => [ map { { url_full => "/photo/c/$run.$_.full.jpeg" } } 0, 1 ]) ],
    ) {
        my ($name, $conf, $comment) = @$case;
        my $o = client(%$conf);
        my $id = $o->post_service_request_update($comment);
        my ($status) = $o->debug_details =~ /^status: (\S+)/m;
        if ($id) {
            push @posted, { update_id => $comment->id, id => $id, status => $status, text => $comment->text,
                ($comment->photo ? (photos => [ map { 'https://fms.example' . $_->{url_full} } @{ $comment->photos } ]) : ()) } unless $name =~ /retry/;
            my $note = $name =~ /retry/ && @posted && $posted[0]{id} ne $id ? " (the first post returned $posted[0]{id}: a retry made a second update)" : '';
            ($note ? \&fail_line : \&ok_line)->($name, "update_id " . $comment->id . ", status $status on $request_id → $id$note", $o);
        } else {
            fail_line($name, "update_id " . $comment->id . ", status $status on $request_id: " . fms_error($o), $o);
        }
    }
} else {
    fail_line('post_service_request_update', 'no service request to update (send_service_request failed)');
}

# ---------------------------------------------------------------------------------------------------------------
# get_service_request_updates: GET servicerequestupdates.xml?start_date&end_date (Open311::GetServiceRequestUpdates,
# bin/fetch --updates). Default window: the last two hours, in UTC.
# ---------------------------------------------------------------------------------------------------------------
my %POSTED_ID = map { $_->{id} => 1 } @posted;   # FixMyStreet's comments' external_ids: fetched updates it skips
sub fetch_updates {
    my $now = DateTime->now;
    my @window = ($W3C->format_datetime($now->clone->add(hours => -2)), $W3C->format_datetime($now));
    my $o = client();
    my $updates = $o->get_service_request_updates(@window);
    return ($o, $o->success ? ($updates || []) : undef, @window);
}
# How FixMyStreet reads one fetched update (UpdatesBase::check_date, _process_update): the state it would give the
# report, or why the update would be skipped or leave the state alone.
sub fms_reading {
    my ($o, $u, @window) = @_;
    my $id = $u->{update_id} // '(no update_id)';
    return (undef, "$id: no update_id (FixMyStreet skips it)") unless defined $u->{update_id} && !ref $u->{update_id};
    return (undef, "$id: no service_request_id") unless defined $u->{service_request_id} && !ref $u->{service_request_id};
    my $dt = parse_w3c($u->{updated_datetime});
    return (undef, "$id: updated_datetime '" . ($u->{updated_datetime} // '') . "' (FixMyStreet skips it)") unless $dt && has_zone($u->{updated_datetime});
    my $t = utc_w3c($dt);
    return (undef, "$id: updated_datetime $t (UTC) outside the asked window (FixMyStreet skips it)") if $t lt $window[0] || $t gt $window[1];
    my $state = $o->map_state($u->{status} // '');
    return (undef, "$id: status '" . ($u->{status} // '') . "' maps to '$state', which is no FixMyStreet state (the report's state would not follow)")
        unless FixMyStreet::DB::Result::Problem->visible_states->{$state};
    return (undef, "$id: no description (FixMyStreet: \"Couldn't determine update text\")") unless ($u->{description} // '') =~ /\S/;
    return ($state, '');
}
my @MEDIA_CHECKED;
sub check_media {
    my ($u) = @_;
    my @urls = ref $u->{media_url} eq 'ARRAY' ? @{ $u->{media_url} } : grep { defined && length } $u->{media_url};
    my @bad;
    my $ours = URI->new($ENDPOINT)->scheme . '://' . URI->new($ENDPOINT)->host_port . '/';
    for my $url (@urls) {
        if ($url !~ m{^https?://\S+$}) {
            push @bad, "$u->{update_id}: media_url '$url' is not an http(s) URL";
            next;
        }
        # Photos served by this server are downloaded as FixMyStreet's add_media does (a client's own URLs are not ours).
        next unless index($url, $ours) == 0;
        my $bytes = fetch_image($url);
        $bytes ? push(@MEDIA_CHECKED, $url) : push(@bad, "$u->{update_id}: media_url $url is not an image FixMyStreet could download");
    }
    return @bad;
}
my %fms_state;    # the state FixMyStreet would give each of the driver's reports, from the updates it imports
{
    my ($o, $updates, @window) = fetch_updates();
    if (!$updates) {
        fail_line('get_service_request_updates', "$window[0] … $window[1]: " . fms_error($o), $o);
    } else {
        my @mine = grep { ($_->{service_request_id} // '') eq ($request_id // '') } @$updates;
        my @bad;
        for my $u (@$updates) {
            my (undef, $why) = fms_reading($o, $u, @window);
            push @bad, $why if $why;
            push @bad, check_media($u);
        }
        push @bad, "no update of $request_id although it was created and updated in the window" if $request_id && !@mine;
        # FixMyStreet stores the update_id a POST returned as its update's external_id and skips fetched updates with
        # that update_id; the same update listed under another update_id comes back to it as a new update (an echo).
        for my $p (@posted) {
            my @echo = grep { ($_->{description} // '') eq $p->{text} && ($_->{update_id} // '') ne $p->{id} } @mine;
            push @bad, "the posted update $p->{id} is listed again as update_id $echo[0]{update_id} (FixMyStreet would import its own update)" if @echo;
            my ($listed) = grep { ($_->{update_id} // '') eq $p->{id} } @mine;
            push @bad, "the posted update $p->{id} is listed with the text '" . ($listed->{description} // '') . "'" if $listed && ($listed->{description} // '') ne $p->{text};
            if ($p->{photos} && $listed) {
                my @back = ref $listed->{media_url} eq 'ARRAY' ? @{ $listed->{media_url} } : grep { defined } $listed->{media_url};
                my $kept = grep { my $x = $_; grep { $_ eq $x } @back } @{ $p->{photos} };
                push @bad, "the posted update $p->{id} lists $kept of its " . scalar(@{ $p->{photos} }) . ' photos' if $kept != @{ $p->{photos} };
            }
        }
        if (@bad) {
            fail_line('get_service_request_updates', scalar(@bad) . ' problems, e.g. ' . join('; ', @bad[0 .. ($#bad < 3 ? $#bad : 3)]), $o);
        } else {
            my $own = grep { $POSTED_ID{ $_->{update_id} } } @mine;
            ok_line('get_service_request_updates', "$window[0] … $window[1]: " . scalar(@$updates) . ' updates, '
                . scalar(@mine) . " of $request_id (statuses " . join(',', map { $_->{status} } @mine) . "), $own of them FixMyStreet's own "
                . 'posts under the ids the POSTs returned (skipped, not echoed); every update readable by FixMyStreet');
        }
    }
}

# The city's side: a staff step on a FixMyStreet report (through our REST API, with OPEN311_STAFF_KEY), then FixMyStreet
# fetches the updates and imports the change: the report's state follows the mapped status, the text is the description.
sub imported {
    my ($id, $after) = @_;
    my ($o, $updates, @window) = fetch_updates();
    return (undef, 'GET servicerequestupdates.xml: ' . fms_error($o)) unless $updates;
    my @new = grep { ($_->{service_request_id} // '') eq $id && !$POSTED_ID{ $_->{update_id} // '' } && !$after->{ $_->{update_id} // '' } } @$updates;
    return (undef, "no new update of $id in $window[0] … $window[1]") unless @new;
    my @read = map { [ $_, fms_reading($o, $_, @window) ] } @new;
    my @bad = map { $_->[2] } grep { $_->[2] } @read;
    return (undef, join('; ', @bad)) if @bad;
    push @bad, check_media($_) for @new;
    return (undef, join('; ', @bad)) if @bad;
    $fms_state{$id} = $read[-1][1];
    return (\@read, '');
}
my %seen_before;    # update ids listed before the city's steps
{
    my (undef, $updates) = fetch_updates();
    $seen_before{ $_->{update_id} // '' } = 1 for @{ $updates || [] };
}
if ($request_id) {
    my $name = 'get_service_request_updates (a change made by the city)';
    my (undef, $why) = rest(POST => "cases/$request_id/accept", { note => 'interop: accepted by the city' });
    if ($why) {
        fail_line($name, "the city's step (POST ${REST}cases/$request_id/accept) failed: $why; OPEN311_STAFF_KEY needs role operator and the city's region");
    } else {
        my ($read, $err) = imported($request_id, \%seen_before);
        my $last = $read ? $read->[-1] : undef;
        if (!$last) {
            fail_line($name, "accepted $request_id: $err");
        } elsif ($last->[1] ne 'investigating') {
            fail_line($name, "accepted $request_id: update $last->[0]{update_id} status '$last->[0]{status}' → FixMyStreet state '$last->[1]', want 'investigating'");
        } else {
            ok_line($name, "accepted $request_id → update $last->[0]{update_id}, status $last->[0]{status} → FixMyStreet state '$last->[1]', text '$last->[0]{description}'");
        }
    }
}
# A report linked to the first one as its duplicate (the multi_photos report, 33 m away) follows the first one.
if ($multi_id && $request_id) {
    my $name = 'get_service_request_updates (a report linked as a duplicate)';
    my $list = client()->get_service_requests({ report_ids => [$multi_id] });
    my ($r) = grep { ($_->{service_request_id} // '') eq $multi_id } @{ $list || [] };
    if (!$r) {
        fail_line($name, "request $multi_id not returned");
    } elsif (($r->{status_notes} // '') !~ /\Q$request_id\E/) {
        ok_line($name, "$multi_id is not linked to $request_id (duplicate detection is off): nothing to follow");
    } else {
        my ($read, $err) = imported($multi_id, {});
        my @states = $read ? map { $_->[1] } @$read : ();
        my @texts = $read ? map { $_->[0]{description} } @$read : ();
        if (!$read) {
            fail_line($name, "$multi_id: $err");
        } elsif (!grep { /\Q$request_id\E/ } @texts) {
            fail_line($name, "no update of $multi_id names the request it was linked to ($request_id)");
        } elsif (($states[-1] // '') ne 'investigating') {
            fail_line($name, "$multi_id ends in FixMyStreet state '" . ($states[-1] // '') . "', not its master's 'investigating'");
        } else {
            ok_line($name, "$multi_id: " . scalar(@$read) . ' updates → FixMyStreet states ' . join(', ', map { "'$_'" } @states)
                . " (linked to $request_id, then told its acceptance)");
        }
    }
}
# A report the city rejects: closed, and never "fixed".
my $rejected_id;
{
    my $name = 'get_service_request_updates (a report the city rejected)';
    my $o = client();
    $rejected_id = $o->send_service_request(new_problem(latitude => $LAT - 0.002, id => $run + 1), {%report_extra}, $service_code);
    if (!$rejected_id) {
        fail_line($name, 'send_service_request: ' . fms_error($o), $o);
    } else {
        my (undef, $why) = rest(POST => "cases/$rejected_id/reject", { reason => 'interop: rejected by the city', rejectKind => 'invalid' });
        my ($read, $err) = $why ? (undef, "the city's step (POST ${REST}cases/$rejected_id/reject) failed: $why") : imported($rejected_id, {});
        my $list = client(extended_statuses => 1)->get_service_requests({ report_ids => [$rejected_id] });
        my ($r) = grep { ($_->{service_request_id} // '') eq $rejected_id } @{ $list || [] };
        my $state = $read ? $read->[-1][1] : '';
        my $fixed = FixMyStreet::DB::Result::Problem->fixed_states->{$state};
        if (!$read) {
            fail_line($name, "$rejected_id: $err");
        } elsif ($fixed || !FixMyStreet::DB::Result::Problem->closed_states->{$state}) {
            fail_line($name, "$rejected_id: status '$read->[-1][0]{status}' → FixMyStreet state '$state' (want closed, not fixed)");
        } elsif (!$r || ($r->{status} // '') ne 'closed' || ($r->{status_notes} // '') !~ /\S/ || ($r->{status_notes} // '') =~ /fixed|办结|处置完毕/i) {
            fail_line($name, "$rejected_id in requests.xml: status '" . ($r->{status} // '') . "', status_notes '" . ($r->{status_notes} // '') . "'");
        } else {
            ok_line($name, "$rejected_id: update status $read->[-1][0]{status} → FixMyStreet state '$state' (closed, not fixed), text '"
                . $read->[-1][0]{description} . "'; requests.xml: closed, status_notes '$r->{status_notes}'");
        }
    }
}
# Every report of this run: the state FixMyStreet got from the updates agrees with the request list's open/closed.
{
    my $name = 'get_service_request_updates (consistent with requests.xml)';
    my @ids = grep { $fms_state{$_} } grep { defined } ($request_id, $multi_id, $rejected_id);
    my $list = client()->get_service_requests({ report_ids => [@ids] });
    my %status = map { ($_->{service_request_id} // '') => ($_->{status} // '') } @{ $list || [] };
    my @bad;
    for my $id (@ids) {
        my $open = FixMyStreet::DB::Result::Problem->open_states->{ $fms_state{$id} } ? 'open' : 'closed';
        push @bad, "$id: FixMyStreet state '$fms_state{$id}' is $open, requests.xml says '" . ($status{$id} // 'nothing') . "'" if ($status{$id} // '') ne $open;
    }
    if (!@ids) { fail_line($name, 'no report had imported updates to compare') }
    elsif (@bad) { fail_line($name, join('; ', @bad)) }
    else { ok_line($name, join(', ', map { "$_ '$fms_state{$_}' = $status{$_}" } @ids)) }
}

# ---------------------------------------------------------------------------------------------------------------
# get_service_request_id_from_token: GET tokens/{token}.xml. FixMyStreet polls it only when a POST answers with a
# token instead of a service_request_id (batch services).
# ---------------------------------------------------------------------------------------------------------------
{
    my @batch = grep { ($_->{type} // '') eq 'batch' } @services;
    my $o = client();
    my $id = $o->get_service_request_id_from_token('no-such-token');
    my $e = fms_error($o);
    if (!$id && $e =~ /^request failed: 404\b/ && $e =~ /\berror: 404: \S/) {
        ok_line('get_service_request_id_from_token', (@batch ? scalar(@batch) . ' batch services; ' : 'not reached (every service is realtime); ')
            . "an unknown token → 0 after a 404 with <errors>");
    } else {
        fail_line('get_service_request_id_from_token', $id ? "unknown token gave id $id" : "unknown token: want a 404 with <errors>: $e", $o);
    }
}

say "# $n_ok OK, $n_fail FAIL";
exit($n_fail ? 1 : 0);
