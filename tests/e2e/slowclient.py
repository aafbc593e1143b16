"""slowclient.py - a hostile client for t_hostile.sh (127.0.0.1 only).

usage: slowclient.py PORT MODE N SECONDS
  idle     open N TCP connections and send nothing
  loris    open N TLS connections and trickle an HTTP request header one byte
           every 0.5 s (never finishing it)
Holds them at most SECONDS, then prints "closed=C open=O refused=R": how
many the server closed, how many were still open, how many it refused at
once. Exit 0 always (the shell test judges the counts)."""
import socket, ssl, sys, time

port, mode, n, secs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
socks, refused = [], 0
for _ in range(n):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=3)
        if mode == "loris":
            s = ctx.wrap_socket(s)
            s.sendall(b"GET /v1/info HTTP/1.1\r\nHost: x\r\n")
        s.setblocking(False)
        socks.append(s)
    except OSError:
        refused += 1
closed = set()
end = time.time() + secs
while time.time() < end and len(closed) < len(socks):
    time.sleep(0.5)
    for k, s in enumerate(socks):
        if k in closed:
            continue
        try:
            if mode == "loris":
                s.send(b"a")  # one more byte of a header line that never ends
            data = s.recv(4096)
            if data == b"":
                closed.add(k)
        except ssl.SSLWantReadError:
            pass
        except BlockingIOError:
            pass
        except (OSError, ssl.SSLError):
            closed.add(k)
print("closed=%d open=%d refused=%d" % (len(closed), len(socks) - len(closed), refused))
