vcl 4.1;

# A misconfigured cache for the confirmed-eviction tests: it answers every PURGE with 200 but
# keeps the page, as a Varnish whose purge rule never matches would.

backend origin {
    .host = "{{ORIGIN_HOST}}";
    .port = "{{ORIGIN_PORT}}";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        return (synth(200, "Purged"));
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
