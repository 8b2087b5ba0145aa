vcl 4.1;

# Template used by the integration-test fixture VarnishServer.
# {{ORIGIN_HOST}} / {{ORIGIN_PORT}} are replaced with the TestOrigin's address.

import std;
import xkey;

backend origin {
    .host = "{{ORIGIN_HOST}}";
    .port = "{{ORIGIN_PORT}}";
    .connect_timeout = 5s;
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "PURGE not allowed"));
        }
        if (req.http.xkey-purge) {
            # Tag purge: space-separated keys, hard purge of every object carrying one.
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
        }
        if (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Softpurged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }

    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "BAN not allowed"));
        }
        # Ban everything cached for this host.
        ban("req.http.host == " + req.http.host);
        return (synth(200, "Banned"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Tests never send cookies / auth on purpose; ignore them so caching is deterministic.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    # The origin sends Cache-Control: public, max-age=3600; keep the xkey header on the
    # cached object (xkey indexes it) and make sure 200s are cached even without headers.
    if (beresp.status == 200 && beresp.ttl <= 0s) {
        set beresp.ttl = 1h;
        set beresp.uncacheable = false;
    }
    unset beresp.http.Set-Cookie;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason;
    return (deliver);
}
