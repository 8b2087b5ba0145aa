vcl 4.1;

# Varnish in front of the sample site, close to what a production site uses: anonymous front-end
# pages are cached, the admin and anyone with a session pass, purges come only from this machine.
# run.sh replaces {{ORIGIN_PORT}}.

import xkey;

backend orchard {
    .host = "127.0.0.1";
    .port = "{{ORIGIN_PORT}}";
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
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
        }
        return (purge);
    }

    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "BAN not allowed"));
        }
        ban("req.http.host == " + req.http.host);
        return (synth(200, "Banned"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # The admin, login and anyone signed in see live pages.
    if (req.url ~ "^/(admin|login|logout|register|users)" || req.http.Cookie ~ "orchauth_") {
        return (pass);
    }

    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Pages that set a cookie are personal; everything else anonymous is cached for an hour.
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.status == 200 && bereq.method == "GET") {
        set beresp.ttl = 1h;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Tags are for Varnish, not for browsers.
    unset resp.http.xkey;
}
