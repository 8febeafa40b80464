"""Protocol cases: what the server does with connections and streams (HTTP/1.1 and HTTP/2)."""
