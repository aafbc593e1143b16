"""slowproxy.py - a TCP proxy on 127.0.0.1 that can be made slow, for
t_network_tui.sh (a sync that lasts long enough to type during it).

usage: slowproxy.py LISTEN_PORT TARGET_PORT FLAGFILE DELAY
While FLAGFILE exists, every chunk the client sends waits DELAY seconds
before it is forwarded (each TLS handshake flight and each request is late);
otherwise bytes pass at once. TLS passes through untouched, so the target's
pin still holds. Prints "listening" once bound; runs until killed."""
import os, socket, sys, threading, time

listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
flag, delay = sys.argv[3], float(sys.argv[4])


def pump(src, dst, slow):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if slow and os.path.exists(flag):
                time.sleep(delay)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client):
    try:
        upstream = socket.create_connection(("127.0.0.1", target_port), timeout=5)
        upstream.settimeout(None)
    except OSError:
        client.close()
        return
    threading.Thread(target=pump, args=(client, upstream, True), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, False), daemon=True).start()


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(16)
print("listening", flush=True)
while True:
    c, _ = srv.accept()
    serve(c)
