vcl 4.1;

# Varnish in front of the sample site. It sets no lifetimes of its own: the site's cache policy
# (Settings → Cache Policy) sends Cache-Control, and Varnish keeps each page for its s-maxage,
# serves it stale for its stale-while-revalidate (grace) and, while the site fails, for its
# stale-if-error. Signed-in users pass; other cookies are dropped from anonymous GETs; purges come
# only from this machine. run.sh replaces {{ORIGIN_PORT}}. The module's tests run this same VCL
# (test/CachePurge.Testing/Caches/varnish-policy.vcl).

import std;
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

    # A page past its stale-while-revalidate window is looked up again with only that much grace
    # (vcl_hit), so that it is fetched now; vcl_synth serves it stale if that fetch fails.
    if (req.restarts == 0) {
        unset req.http.X-Grace-Limit;
        unset req.http.X-Serve-Stale;
    } elsif (req.http.X-Grace-Limit) {
        set req.grace = std.duration(req.http.X-Grace-Limit + "s", 0s);
    } elsif (req.http.X-Serve-Stale) {
        # A restart keeps the limit set above; the stale page needs its whole grace back.
        set req.grace = 3650d;
    }

    # Signed-in users (Orchard's cookie is orchauth_<tenant>) see live pages.
    if (req.http.Cookie ~ "(^|;\s*)orchauth_") {
        return (pass);
    }

    # Other cookies (antiforgery, consent) do not change an anonymous page; POSTs keep theirs.
    if (req.method == "GET" || req.method == "HEAD") {
        unset req.http.Cookie;
    }

    # Varnish's built-in rules follow: other methods and Authorization pass.
}

sub vcl_hit {
    # Past its stale-while-revalidate window, a page kept for stale-if-error is fetched again now,
    # and served stale only if that fails (vcl_synth).
    if (obj.ttl < 0s && obj.http.X-Stale-While-Revalidate && !req.http.X-Grace-Limit && !req.http.X-Serve-Stale
        && obj.ttl + std.duration(obj.http.X-Stale-While-Revalidate + "s", 0s) < 0s) {
        set req.http.X-Grace-Limit = obj.http.X-Stale-While-Revalidate;
        return (restart);
    }
}

sub vcl_backend_response {
    # stale-if-error may be longer than stale-while-revalidate (Varnish's grace): keep the page
    # that long, and note where stale-while-revalidate ends.
    if (beresp.ttl > 0s && beresp.http.Cache-Control ~ "(?i)stale-if-error=[0-9]+") {
        set beresp.http.X-Stale-While-Revalidate = beresp.grace;
        if (std.duration(regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=([0-9]+).*$", "\1s"), 0s) > beresp.grace) {
            set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=([0-9]+).*$", "\1s"), 0s);
        }
    }

    # A failing site does not replace the page it served before.
    if (beresp.status >= 500 && (bereq.is_bgfetch || bereq.http.X-Grace-Limit)) {
        return (abandon);
    }
}

sub vcl_backend_error {
    if (bereq.is_bgfetch || bereq.http.X-Grace-Limit) {
        return (abandon);
    }
}

sub vcl_synth {
    # The fetch of a page past stale-while-revalidate failed: serve the stale page.
    if (resp.status == 503 && req.http.X-Grace-Limit && !req.http.X-Serve-Stale) {
        unset req.http.X-Grace-Limit;
        set req.http.X-Serve-Stale = "1";
        return (restart);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Tags and notes are for Varnish, not for browsers.
    unset resp.http.xkey;
    unset resp.http.X-Stale-While-Revalidate;
}
